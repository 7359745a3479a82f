package dev.levee.instrumentation.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.bridge.LeveeBridge;
import dev.levee.core.Clock;
import dev.levee.core.config.CidrBlock;
import dev.levee.core.config.ConfigException;
import dev.levee.core.config.ConfigLoader;
import dev.levee.core.config.DeadlineConfig;
import dev.levee.core.deadline.CurrentDeadline;
import dev.levee.core.deadline.DeadlineHeaders;
import dev.levee.core.inbound.InboundLimits;
import dev.levee.instrumentation.api.BridgeTable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One scenario list every container passes: real requests through a real container, whose probe filter
 * and servlets run the hooks as the woven code would ({@link Probe#woven}). The filter plants a stale
 * deadline on the container thread first, as if earlier work had left one there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ContainerScenarios {

  static final long MARGIN = 100;
  static final long NONE = CurrentDeadline.NONE;

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private ServletContainer container;

  abstract ServletContainer start() throws Exception;

  @BeforeAll
  void startContainer() throws Exception {
    installHooks(DeadlineConfig.defaults());
    container = start();
  }

  /** The hooks, as the agent installs them, reading the deadline as {@code config} says (with {@link #MARGIN}). */
  static void installHooks(DeadlineConfig config) {
    installHooks(config, "http: {}");
  }

  /** As {@link #installHooks(DeadlineConfig)}, with the {@code inbound} limits of a resilience.yaml. */
  static void installHooks(DeadlineConfig config, String... yaml) {
    DeadlineHeaders headers = new DeadlineHeaders(config.withReplyMargin(Duration.ofMillis(MARGIN)));
    InboundLimits limits;
    try {
      limits = new InboundLimits(ConfigLoader.parse(String.join("\n", yaml) + "\n", "resilience.yaml").inbound(),
          Clock.SYSTEM);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(e);
    }
    LeveeBridge.install(BridgeTable.of(new ServletInstrumentation(),
        new InboundRequestScope(headers, Clock.SYSTEM, limits)));
  }

  @AfterAll
  void stopContainer() throws Exception {
    try {
      container.close();
    } finally {
      LeveeBridge.install(Collections.emptyMap());
    }
  }

  /** GET /app?id=ID&then=THEN with headers (name, value, ...); returns the request id. */
  String get(String then, int expectedStatus, String... headers) throws Exception {
    return get(then, expectedStatus, response -> { }, headers);
  }

  /** As {@link #get(String, int, String...)}, handing the response to {@code check}. */
  String get(String then, int expectedStatus, java.util.function.Consumer<HttpResponse<String>> check,
      String... headers) throws Exception {
    String id = UUID.randomUUID().toString();
    HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + container.port() + "/app?id=" + id + "&then=" + then))
        .timeout(Duration.ofSeconds(10));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(expectedStatus, response.statusCode(), container + ": " + response.body());
    check.accept(response);
    return id;
  }

  @Test
  void theRequestsDeadlineHeaderIsTheThreadsDeadlineWhileTheAppRuns() throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    String id = get("-", 200, "X-Request-Deadline", Long.toString(deadline));
    assertEquals(deadline - MARGIN, Probe.await(id, "filter"), container + ": the first filter");
    assertEquals(deadline - MARGIN, Probe.await(id, "/app"), container + ": the servlet behind it");
    assertEquals(Probe.STALE, Probe.await(id, "after"), container + ": what the thread held before comes back");
    assertEquals(1, Probe.await(id, "closed"), container + ": the request's scope is closed");
  }

  @Test
  void relativeTimeoutsCountFromTheRequestsArrival() throws Exception {
    long before = System.currentTimeMillis();
    String grpc = get("-", 200, "grpc-timeout", "20S");
    String millis = get("-", 200, "X-Request-Timeout-Ms", "15000");
    long after = System.currentTimeMillis();
    assertBetween(before + 20_000 - MARGIN, after + 20_000 - MARGIN, Probe.await(grpc, "/app"));
    assertBetween(before + 15_000 - MARGIN, after + 15_000 - MARGIN, Probe.await(millis, "/app"));
  }

  @Test
  void aRequestWithoutADeadlineRunsWithNoneWhateverTheThreadHeld() throws Exception {
    get("-", 200, "X-Request-Deadline", Long.toString(System.currentTimeMillis() + 30_000));
    String id = get("-", 200);
    assertEquals(NONE, Probe.await(id, "filter"), container.toString());
    assertEquals(NONE, Probe.await(id, "/app"), container.toString());
    assertEquals(Probe.STALE, Probe.await(id, "after"), container.toString());
    String malformed = get("-", 200, "X-Request-Deadline", "soon");
    assertEquals(NONE, Probe.await(malformed, "/app"), container + ": a malformed header is no deadline");
  }

  @Test
  void forwardsAndIncludesRunInsideTheRequestsScopeAndOnlyCount() throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    String forward = get("forward", 200, "X-Request-Deadline", Long.toString(deadline));
    assertEquals(deadline - MARGIN, Probe.await(forward, "/inner"), container + ": the forwarded-to servlet");
    assertEquals(deadline - MARGIN, Probe.await(forward, "afterForward"), container + ": back from the forward");
    assertEquals(Probe.STALE, Probe.await(forward, "after"), container.toString());
    assertEquals(1, Probe.await(forward, "closed"), container.toString());

    String include = get("include", 200, "X-Request-Deadline", Long.toString(deadline));
    assertEquals(deadline - MARGIN, Probe.await(include, "/inner"), container + ": the included servlet");
    assertEquals(deadline - MARGIN, Probe.await(include, "afterInclude"), container + ": back from the include");
    assertEquals(1, Probe.await(include, "closed"), container.toString());
  }

  @Test
  void anAsyncDispatchIsARequestOfItsOwnThatReadsTheHeadersAgain() throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    String id = get("async", 200, "X-Request-Deadline", Long.toString(deadline));
    assertEquals(deadline - MARGIN, Probe.await(id, "/app"), container.toString());
    assertEquals(Probe.STALE, Probe.await(id, "after"),
        container + ": the scope ends when service returns, though the request goes on asynchronously");
    assertEquals(deadline - MARGIN, Probe.await(id, "/inner"), container + ": the async dispatch");
  }

  @Test
  void theScopeClosesWhenTheAppThrows() throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    String id = get("throw", 500, "X-Request-Deadline", Long.toString(deadline));
    assertEquals(deadline - MARGIN, Probe.await(id, "/app"), container.toString());
    assertEquals(Probe.STALE, Probe.await(id, "after"), container.toString());
    assertEquals(1, Probe.await(id, "closed"), container.toString());
  }

  /** The container reports each request's TCP peer: here 127.0.0.1, in 127.0.0.0/8 and not in 10.0.0.0/8. */
  @Test
  void onlyATrustedPeersDeadlineIsTheThreadsDeadline() throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    try {
      installHooks(DeadlineConfig.defaults().withTrustedPeers(List.of(CidrBlock.parse("10.0.0.0/8"))));
      String untrusted = get("-", 200, "X-Request-Deadline", Long.toString(deadline));
      assertEquals(NONE, Probe.await(untrusted, "/app"), container + ": a deadline from an untrusted peer is ignored");
      String expired = get("-", 200, "X-Request-Deadline", "0");
      assertEquals(NONE, Probe.await(expired, "/app"), container + ": an expired one too");

      installHooks(DeadlineConfig.defaults()
          .withTrustedPeers(List.of(CidrBlock.parse("10.0.0.0/8"), CidrBlock.parse("127.0.0.0/8"))));
      String trusted = get("-", 200, "X-Request-Deadline", Long.toString(deadline));
      assertEquals(deadline - MARGIN, Probe.await(trusted, "/app"), container + ": a trusted peer's is read");

      installHooks(DeadlineConfig.defaults().withInboundEnabled(false).withInboundDefaultBudget(Duration.ofSeconds(20)));
      long before = System.currentTimeMillis();
      String off = get("-", 200, "X-Request-Deadline", Long.toString(deadline));
      long after = System.currentTimeMillis();
      assertBetween(before + 20_000, after + 20_000, Probe.await(off, "/app"));
    } finally {
      installHooks(DeadlineConfig.defaults());
    }
  }

  @Test
  void theDoorAnswersBeforeTheAppAndAnAsyncRequestHoldsItsPlaceUntilItCompletes() throws Exception {
    try {
      installHooks(DeadlineConfig.defaults(), "inbound:", "  defaults:", "    concurrency: { maxConcurrentRequests: 1 }");
      get("async", 200);
      // the client may see the async answer a moment before the container completes the context
      long giveUp = System.nanoTime() + 3_000_000_000L;
      int status;
      do {
        status = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + container.port() + "/app?id="
            + UUID.randomUUID())).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
      } while (status != 200 && System.nanoTime() < giveUp);
      assertEquals(200, status, container + ": the async request's place came back when its context completed");
      get("forward", 200); // with a limit of 1: the forward is part of its request, not a second one

      installHooks(DeadlineConfig.defaults(), "inbound:", "  paths:",
          "    \"/app\": { rateLimiter: { limitForPeriod: 1, limitRefreshPeriod: 1m } }");
      get("-", 200);
      String shed = get("-", 429, response -> {
        long retryAfter = Long.parseLong(response.headers().firstValue("Retry-After").orElse("0"));
        assertTrue(retryAfter >= 50 && retryAfter <= 60, container + ": Retry-After " + retryAfter);
        assertTrue(response.body().startsWith("levee: over the rate limit of /app (1 requests per 60 s)"),
            container + ": " + response.body());
      });
      assertEquals(1, Probe.await(shed, "closed"), container + ": nothing left open");
      assertFalse(Probe.recorded(shed, "filter") || Probe.recorded(shed, "/app"),
          container + ": no filter or servlet of the app ran for the shed request");
    } finally {
      installHooks(DeadlineConfig.defaults());
    }
  }

  static void assertBetween(long low, long high, long actual) {
    assertTrue(actual >= low && actual <= high, actual + " not in [" + low + ", " + high + "]");
  }
}
