package dev.levee.instrumentation.okhttp;

import static dev.levee.testkit.Behaviour.hang;
import static dev.levee.testkit.Behaviour.reset;
import static dev.levee.testkit.Behaviour.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.Clock;
import dev.levee.core.RandomSource;
import dev.levee.core.config.ConfigLoader;
import dev.levee.core.config.LeveeConfig;
import dev.levee.core.pipeline.CallPipeline;
import dev.levee.core.pipeline.CircuitOpenException;
import dev.levee.instrumentation.api.LeveeRuntime;
import dev.levee.testkit.FaultServer;
import dev.levee.testkit.RecordedRequest;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hooks run in this JVM against real OkHttp 4.12 objects and a real server, without the agent: the test
 * calls a hook where the woven method would, and the attempts' own execute/enqueue run OkHttp's real code.
 */
class OkHttpHooksTest {

  static final String QUIET_BREAKER = "    circuitBreaker: {slidingWindowSize: 1000, minimumNumberOfCalls: 1000}";
  static final String FAST_RETRY = "    retry: {maxAttempts: 3, initialBackoff: 5ms, maxBackoff: 10ms}";

  final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
    Thread t = new Thread(r, "levee-timer");
    t.setDaemon(true);
    return t;
  });
  final FaultServer server = FaultServer.start();

  @AfterEach
  void stop() {
    server.close();
    timer.shutdownNow();
  }

  OkHttpHooks hooks(String... yaml) throws Exception {
    LeveeConfig config = ConfigLoader.parse(String.join("\n", yaml) + "\n", "resilience.yaml");
    return new OkHttpHooks(new LeveeRuntime(config,
        new CallPipeline(config.http(), Clock.SYSTEM, RandomSource.SYSTEM, timer),
        new CallPipeline(config.jdbc(), Clock.SYSTEM, RandomSource.SYSTEM, timer)));
  }

  /** What the woven {@code RealCall.execute()} does: the bridge's site for it, else the method as written. */
  static Response execute(OkHttpHooks hooks, Call call) throws IOException {
    Object result = site(hooks, "execute").apply(call, new Object[0]);
    return result != null ? (Response) result : runAsWritten(call);
  }

  /** The function the bridge calls for {@code RealCall.method} (OkHttp 4.x), bound to {@code hooks}. */
  static java.util.function.BiFunction<Object, Object[], Object> site(OkHttpHooks hooks, String method) {
    OkHttpInstrumentation instrumentation = new OkHttpInstrumentation();
    for (dev.levee.instrumentation.api.MethodHook<OkHttpHooks> hook : instrumentation.methodHooks()) {
      if (hook.typeName().equals(OkHttpInstrumentation.REAL_CALL_4) && hook.methodName().equals(method)) {
        return dev.levee.instrumentation.api.BridgeTable.of(instrumentation, hooks).get(hook.site());
      }
    }
    throw new AssertionError("no hook for RealCall." + method);
  }

  /** The original method: in this JVM nothing is woven, so calling it runs OkHttp's own code. */
  private static Response runAsWritten(Call call) throws IOException {
    return call.execute();
  }

  Request get(String path) {
    return new Request.Builder().url(server.url(path)).build();
  }

  @Test
  void aFlakyGetIsRetriedOnFreshCallsEachCarryingTheDeadlineHeader() throws Exception {
    server.on("/flaky").respond(status(503), status(503), status(200));
    List<String> seenByInterceptor = new CopyOnWriteArrayList<>();
    OkHttpClient client = new OkHttpClient.Builder().addInterceptor(chain -> {
      seenByInterceptor.add(chain.request().header("X-Request-Deadline"));
      return chain.proceed(chain.request());
    }).build();
    OkHttpHooks hooks = hooks("http:", "  defaults:", "    timeout: {total: 10s}", FAST_RETRY, QUIET_BREAKER);
    Call call = client.newCall(get("/flaky"));

    try (Response response = execute(hooks, call)) {
      assertEquals(200, response.code());
    }

    assertEquals(3, server.requestCount("/flaky"));
    for (RecordedRequest r : server.requests("/flaky")) {
      assertNotNull(r.header("X-Request-Deadline"), r.toString());
    }
    assertEquals(3, seenByInterceptor.size(), "the app's interceptor sees every attempt");
    assertTrue(seenByInterceptor.stream().allMatch(h -> h != null), "with the deadline header: " + seenByInterceptor);
    assertTrue(call.isExecuted(), "the app's call counts as executed");
    IllegalStateException again = assertThrows(IllegalStateException.class, () -> execute(hooks, call));
    assertEquals("Already Executed", again.getMessage());
  }

  @Test
  void okHttpsOwnRetryOnConnectionFailureDoesNotMultiplyAttempts() throws Exception {
    server.on("/reset").respond(reset());
    OkHttpClient client = new OkHttpClient.Builder().retryOnConnectionFailure(true).build();
    OkHttpHooks hooks = hooks("http:", "  defaults:", FAST_RETRY, QUIET_BREAKER);

    // on a pooled connection, OkHttp alone resends a request whose connection broke
    client.newCall(get("/warmup")).execute().close();
    assertThrows(IOException.class, () -> client.newCall(get("/reset")).execute());
    int okHttpAlone = server.requestCount("/reset");
    client.newCall(get("/warmup")).execute().close();
    assertThrows(IOException.class, () -> execute(hooks, client.newCall(get("/reset"))));

    assertEquals(2, okHttpAlone, "control: OkHttp alone sent it twice");
    assertEquals(3, server.requestCount("/reset") - okHttpAlone, "exactly maxAttempts: " + server.requests());
  }

  @Test
  void aPostIsNotRetriedAndAOneShotBodyNeverIs() throws Exception {
    server.on("/orders").respond(status(503));
    OkHttpClient client = new OkHttpClient();
    OkHttpHooks hooks = hooks("http:", "  defaults:", FAST_RETRY, QUIET_BREAKER);

    Request post = new Request.Builder().url(server.url("/orders"))
        .post(RequestBody.create(MediaType.parse("text/plain"), "x")).build();
    execute(hooks, client.newCall(post)).close();
    assertEquals(1, server.requestCount("/orders"));

    Request oneShot = new Request.Builder().url(server.url("/orders")).header("Idempotency-Key", "k")
        .put(new OkHttpRequestsTest.StreamingBody(true, false)).build();
    execute(hooks, client.newCall(oneShot)).close();
    assertEquals(2, server.requestCount("/orders"));
  }

  @Test
  void aHangingAttemptTimesOutAsOkHttpsOwnTimeout() throws Exception {
    server.on("/hang").respond(hang());
    OkHttpHooks hooks = hooks("http:", "  defaults:", "    timeout: {connect: 1s, attempt: 300ms, total: 700ms}",
        FAST_RETRY, QUIET_BREAKER);
    long start = System.nanoTime();

    InterruptedIOException timeout = assertThrows(InterruptedIOException.class,
        () -> execute(hooks, new OkHttpClient().newCall(get("/hang"))));

    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals("timeout", timeout.getMessage());
    assertTrue(ms >= 500 && ms < 3000, "bounded by the total timeout, took " + ms + "ms");
    assertTrue(server.requestCount("/hang") >= 2, server.requests().toString());
  }

  @Test
  void theAppsStricterCallTimeoutBoundsTheWholeCall() throws Exception {
    server.on("/hang").respond(hang());
    OkHttpHooks hooks = hooks("http:", "  defaults:", "    timeout: {connect: 1s, attempt: 5s, total: 10s}",
        FAST_RETRY, QUIET_BREAKER);
    OkHttpClient client = new OkHttpClient.Builder().callTimeout(400, TimeUnit.MILLISECONDS).build();
    long start = System.nanoTime();

    InterruptedIOException timeout = assertThrows(InterruptedIOException.class,
        () -> execute(hooks, client.newCall(get("/hang"))));

    long ms = (System.nanoTime() - start) / 1_000_000;
    assertTrue(ms >= 350 && ms < 1500, "the app's 400ms for the whole call, not Levee's 5s per attempt, took " + ms + "ms");
    assertEquals("timeout", timeout.getMessage());
    long deadline = Long.parseLong(server.requests("/hang").get(0).header("X-Request-Deadline"));
    long ahead = deadline - server.requests("/hang").get(0).epochMillis();
    assertTrue(ahead <= 450, "the deadline header is the app's call timeout, " + ahead + "ms ahead");
  }

  @Test
  void aTimeoutTheAppSetOnTheCallItselfIsHonoured() throws Exception {
    server.on("/hang").respond(hang());
    OkHttpHooks hooks = hooks("http:", "  defaults:", "    timeout: {connect: 1s, attempt: 5s, total: 10s}",
        "    retry: {maxAttempts: 1}", QUIET_BREAKER);
    Call call = new OkHttpClient().newCall(get("/hang"));
    call.timeout().timeout(300, TimeUnit.MILLISECONDS);
    long start = System.nanoTime();

    assertThrows(InterruptedIOException.class, () -> execute(hooks, call));

    long ms = (System.nanoTime() - start) / 1_000_000;
    assertTrue(ms < 1500, "the call's own 300ms, took " + ms + "ms");
  }

  @Test
  void theAttemptTimeoutEndsAtTheHeadersSoASlowBodyReadIsNotCutShort() throws Exception {
    OkHttpHooks hooks = hooks("http:", "  defaults:", "    timeout: {connect: 1s, attempt: 300ms, total: 10s}",
        "    retry: {maxAttempts: 1}", QUIET_BREAKER);
    try (Response response = execute(hooks, new OkHttpClient().newCall(get("/ok")))) {
      Thread.sleep(600); // the app takes its time before reading the body
      assertEquals("ok", response.body().string());
    }
  }

  @Test
  void aSyncCancelFromAnotherThreadEndsTheCallWithOkHttpsException() throws Exception {
    server.on("/hang").respond(hang());
    OkHttpHooks hooks = hooks("http:", "  defaults:", FAST_RETRY, QUIET_BREAKER);
    Call call = new OkHttpClient().newCall(get("/hang"));
    CompletableFuture<Throwable> thrown = CompletableFuture.supplyAsync(() -> {
      try {
        execute(hooks, call).close();
        return null;
      } catch (Throwable t) {
        return t;
      }
    });
    server.awaitRequests("/hang", 1, java.time.Duration.ofSeconds(5));

    site(hooks, "cancel").apply(call, new Object[0]); // what the woven cancel() does first
    call.cancel();

    Throwable t = thrown.get(5, TimeUnit.SECONDS);
    // OkHttp's own exception for a call cancelled mid-exchange: "Socket closed", or "Canceled" before it
    assertTrue(t instanceof IOException && !(t instanceof InterruptedIOException), String.valueOf(t));
    Thread.sleep(100);
    assertEquals(1, server.requestCount("/hang"), "a cancelled call is not retried");
  }

  @Test
  void theAsyncCallbackFiresOnceOnTheDispatcherWithTheAppsCall() throws Exception {
    server.on("/flaky").respond(status(503), status(503), status(200));
    OkHttpHooks hooks = hooks("http:", "  defaults:", FAST_RETRY, QUIET_BREAKER);
    Call call = new OkHttpClient().newCall(get("/flaky"));
    RecordingCallback callback = new RecordingCallback();

    site(hooks, "enqueue").apply(call, new Object[] {callback});

    callback.awaitFirst();
    Thread.sleep(200);
    assertEquals(1, callback.count.get(), "exactly once");
    assertSame(call, callback.call, "with the call the app enqueued");
    assertEquals(Integer.valueOf(200), callback.status);
    assertTrue(callback.thread.startsWith("OkHttp"), "on OkHttp's dispatcher, was " + callback.thread);
    assertEquals(3, server.requestCount("/flaky"));
    assertThrows(IllegalStateException.class, () -> hooks.enqueue(call, new Object[] {callback}));
  }

  @Test
  void anAsyncRejectionReachesOnFailureOnTheDispatcher() throws Exception {
    server.on("/down").respond(status(500));
    OkHttpHooks hooks = hooks("http:", "  defaults:", "    retry: {maxAttempts: 1}",
        "    circuitBreaker: {slidingWindowSize: 2, minimumNumberOfCalls: 2, waitDurationInOpenState: 1m}");
    OkHttpClient client = new OkHttpClient();
    execute(hooks, client.newCall(get("/down"))).close();
    execute(hooks, client.newCall(get("/down"))).close();
    RecordingCallback callback = new RecordingCallback();

    site(hooks, "enqueue").apply(client.newCall(get("/down")), new Object[] {callback});

    callback.awaitFirst();
    assertTrue(callback.failure instanceof CircuitOpenException, String.valueOf(callback.failure));
    assertTrue(callback.failure.getMessage().startsWith("levee: circuit open for " + server.hostPort()));
    assertTrue(callback.thread.startsWith("OkHttp"), "on OkHttp's dispatcher, was " + callback.thread);
    assertEquals(2, server.requestCount("/down"));
  }

  @Test
  void cancellingAnAsyncCallStopsItAndReturnsItsPermit() throws Exception {
    server.on("/hang").respond(hang());
    OkHttpHooks hooks = hooks("http:", "  defaults:", FAST_RETRY, QUIET_BREAKER,
        "    bulkhead: {maxConcurrentCalls: 1, maxWaitDuration: 0ms}");
    OkHttpClient client = new OkHttpClient();
    Call call = client.newCall(get("/hang"));
    RecordingCallback callback = new RecordingCallback();
    site(hooks, "enqueue").apply(call, new Object[] {callback});
    server.awaitRequests("/hang", 1, java.time.Duration.ofSeconds(5));

    site(hooks, "cancel").apply(call, new Object[0]);
    call.cancel();

    callback.awaitFirst();
    Thread.sleep(200);
    assertEquals(1, callback.count.get());
    assertTrue(callback.failure != null && !(callback.failure instanceof InterruptedIOException),
        String.valueOf(callback.failure));
    assertTrue(call.isCanceled());
    try (Response next = execute(hooks, client.newCall(get("/ok")))) {
      assertEquals(200, next.code(), "the permit came back");
    }
    assertEquals(1, server.requestCount("/hang"));
  }

  @Test
  void retriedResponsesAreClosedSoTheConnectionPoolKeepsServing() throws Exception {
    server.on("/always503").respond(status(503));
    // no retry budget: every call makes its 3 attempts, 600 responses to close
    OkHttpHooks hooks = hooks("http:", "  defaults:",
        "    retry: {maxAttempts: 3, initialBackoff: 1ms, maxBackoff: 1ms, budget: none}", QUIET_BREAKER);
    OkHttpClient client = new OkHttpClient();
    for (int i = 0; i < 200; i++) {
      execute(hooks, client.newCall(get("/always503"))).close();
    }
    assertEquals(600, server.requestCount("/always503"));
    long start = System.nanoTime();
    try (Response healthy = execute(hooks, client.newCall(get("/ok")))) {
      assertEquals(200, healthy.code());
    }
    assertTrue((System.nanoTime() - start) / 1_000_000 < 1000);
    assertTrue(server.connectionCount() <= 2, "connections reused, not leaked: " + server.connectionCount());
    assertTrue(client.connectionPool().connectionCount() <= 2);
  }

  @Test
  void aCallCancelledBeforeItRunsIsLeftToOkHttp() throws Exception {
    OkHttpHooks hooks = hooks("http:", "  defaults:", FAST_RETRY, QUIET_BREAKER);
    Call call = new OkHttpClient().newCall(get("/ok"));
    call.cancel();
    assertNull(site(hooks, "execute").apply(call, new Object[0]), "runs untouched: OkHttp fails it as cancelled");
  }

  static final class RecordingCallback implements Callback {
    final AtomicInteger count = new AtomicInteger();
    final CompletableFuture<Void> first = new CompletableFuture<>();
    volatile Call call;
    volatile Integer status;
    volatile IOException failure;
    volatile String thread;

    @Override
    public void onFailure(Call call, IOException e) {
      record(call);
      failure = e;
      first.complete(null);
    }

    @Override
    public void onResponse(Call call, Response response) {
      record(call);
      status = response.code();
      response.close();
      first.complete(null);
    }

    private void record(Call c) {
      count.incrementAndGet();
      call = c;
      thread = Thread.currentThread().getName();
    }

    void awaitFirst() throws Exception {
      first.get(10, TimeUnit.SECONDS);
    }
  }
}
