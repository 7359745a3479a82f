package dev.levee.instrumentation.httpurlconnection;

import static dev.levee.testkit.Behaviour.hang;
import static dev.levee.testkit.Behaviour.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.Clock;
import dev.levee.core.RandomSource;
import dev.levee.core.config.ConfigLoader;
import dev.levee.core.config.LeveeConfig;
import dev.levee.core.pipeline.BulkheadFullException;
import dev.levee.core.pipeline.CallPipeline;
import dev.levee.core.pipeline.CircuitOpenException;
import dev.levee.instrumentation.api.LeveeRuntime;
import dev.levee.testkit.FaultServer;
import dev.levee.testkit.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Levee's connection object in this JVM, without the agent, against a real server: each attempt opens a real
 * JDK connection (no handler is hooked here, so {@code url.openConnection()} returns the JDK's own), and the
 * app's object answers from the final one.
 */
class ProtectedHttpURLConnectionTest {

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

  HttpUrlConnectionHooks hooks(String... yaml) throws Exception {
    LeveeConfig config = ConfigLoader.parse(String.join("\n", yaml) + "\n", "resilience.yaml");
    return new HttpUrlConnectionHooks(new LeveeRuntime(config,
        new CallPipeline(config.http(), Clock.SYSTEM, RandomSource.SYSTEM, timer),
        new CallPipeline(config.jdbc(), Clock.SYSTEM, RandomSource.SYSTEM, timer)));
  }

  HttpUrlConnectionHooks defaults() throws Exception {
    return hooks("http:", "  defaults:", FAST_RETRY, QUIET_BREAKER);
  }

  HttpURLConnection open(HttpUrlConnectionHooks hooks, String path) throws Exception {
    URL url = new URL(server.url(path));
    Object c = hooks.openConnection(null, new Object[] {url, null});
    assertTrue(c instanceof ProtectedHttpURLConnection, "the app gets Levee's connection for an http URL");
    return (HttpURLConnection) c;
  }

  static String read(InputStream in) throws IOException {
    try (InputStream body = in) {
      return new String(body.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void aRetriedGetShowsTheAppOnlyTheFinalResponse() throws Exception {
    server.on("/flaky").respond(status(503).body("down"), status(503).body("down"), status(200).body("fine"));
    HttpURLConnection c = open(defaults(), "/flaky");

    assertEquals(200, c.getResponseCode());
    assertEquals("fine", read(c.getInputStream()));
    assertNull(c.getErrorStream());
    assertEquals("4", c.getHeaderField("Content-Length"));
    assertEquals(3, server.requestCount("/flaky"));
  }

  @Test
  void theLast503IsTheAppsWithItsErrorStream() throws Exception {
    server.on("/down").respond(status(503).body("down"));
    HttpURLConnection c = open(defaults(), "/down");

    assertEquals(503, c.getResponseCode());
    assertThrows(IOException.class, c::getInputStream, "as the JDK: an error status has no input stream");
    assertEquals("down", read(c.getErrorStream()));
    assertEquals(3, server.requestCount("/down"), "exactly maxAttempts");
  }

  @Test
  void aBufferedPostIsSentOnceAndWithAnIdempotencyKeyEveryAttemptCarriesTheWholeBody() throws Exception {
    HttpUrlConnectionHooks hooks = defaults();
    server.on("/order").respond(status(503));
    server.on("/keyed").respond(status(503), status(200));

    HttpURLConnection plain = open(hooks, "/order");
    plain.setDoOutput(true);
    try (OutputStream out = plain.getOutputStream()) {
      out.write("{\"item\":1}".getBytes(StandardCharsets.UTF_8));
    }
    assertEquals("POST", plain.getRequestMethod(), "a GET that writes a body is a POST, as the JDK makes it");
    assertEquals(503, plain.getResponseCode());
    assertEquals(1, server.requestCount("/order"));

    HttpURLConnection keyed = open(hooks, "/keyed");
    keyed.setRequestMethod("POST");
    keyed.setRequestProperty("Idempotency-Key", "k1");
    keyed.setDoOutput(true);
    try (OutputStream out = keyed.getOutputStream()) {
      out.write("{\"item\":2}".getBytes(StandardCharsets.UTF_8));
    }
    assertEquals(200, keyed.getResponseCode());
    assertEquals(2, server.requestCount("/keyed"));
    for (RecordedRequest r : server.requests("/keyed")) {
      assertEquals("{\"item\":2}", r.body());
      assertEquals("k1", r.header("Idempotency-Key"));
    }
  }

  @Test
  void aStreamedBodyCannotBeReplayedAndGoesOnce() throws Exception {
    server.on("/stream").respond(status(503), status(200));
    HttpURLConnection c = open(defaults(), "/stream");
    c.setRequestMethod("PUT");
    c.setDoOutput(true);
    c.setFixedLengthStreamingMode(5);
    try (OutputStream out = c.getOutputStream()) {
      out.write("hello".getBytes(StandardCharsets.UTF_8));
    }
    assertEquals(503, c.getResponseCode());
    assertEquals(1, server.requestCount("/stream"));
    assertEquals("hello", server.requests("/stream").get(0).body());
  }

  @Test
  void aStreamedCallIsAdmittedBoundedAndCarriesTheDeadlineHeader() throws Exception {
    server.on("/hang").respond(hang());
    server.on("/ok").respond(status(200).body("stored"));
    HttpUrlConnectionHooks hooks = hooks("http:", "  defaults:", "    timeout: {connect: 1s, attempt: 500ms, total: 5s}",
        FAST_RETRY, QUIET_BREAKER, "    bulkhead: {maxConcurrentCalls: 1, maxWaitDuration: 0ms}");

    HttpURLConnection hanging = open(hooks, "/hang");
    hanging.setRequestMethod("POST");
    hanging.setDoOutput(true);
    hanging.setChunkedStreamingMode(16);
    OutputStream inFlight = hanging.getOutputStream();
    // its one attempt holds the host's only bulkhead slot until the head is in
    HttpURLConnection refused = open(hooks, "/ok");
    refused.setRequestMethod("POST");
    refused.setDoOutput(true);
    refused.setFixedLengthStreamingMode(2);
    assertThrows(BulkheadFullException.class, refused::getOutputStream);
    inFlight.write("hi".getBytes(StandardCharsets.UTF_8));
    inFlight.close();
    long start = System.nanoTime();
    assertThrows(SocketTimeoutException.class, hanging::getResponseCode);
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertTrue(ms < 3000, "the attempt's 500 ms, not the JDK's forever: " + ms + "ms");
    assertEquals(1, server.requestCount("/hang"));

    HttpURLConnection stored = open(hooks, "/ok");
    stored.setRequestMethod("PUT");
    stored.setDoOutput(true);
    stored.setFixedLengthStreamingMode(2);
    try (OutputStream out = stored.getOutputStream()) {
      out.write("ok".getBytes(StandardCharsets.UTF_8));
    }
    assertEquals(200, stored.getResponseCode(), "the slot came back");
    assertEquals("stored", read(stored.getInputStream()));
    assertNotNull(server.requests("/ok").get(0).header("X-Request-Deadline"));
  }

  @Test
  void theAppsDisconnectFromAnotherThreadEndsTheCallWithoutRetries() throws Exception {
    server.on("/hang").respond(hang());
    HttpURLConnection c = open(hooks("http:", "  defaults:", "    timeout: {connect: 1s, attempt: 10s, total: 20s}",
        FAST_RETRY, QUIET_BREAKER), "/hang");
    c.connect();
    timer.schedule(c::disconnect, 300, java.util.concurrent.TimeUnit.MILLISECONDS);
    long start = System.nanoTime();
    assertThrows(IOException.class, c::getResponseCode);
    assertTrue((System.nanoTime() - start) / 1_000_000 < 5000);
    assertEquals(1, server.requestCount("/hang"), "a call the app gave up on is not retried");
  }

  @Test
  void headersAreFixedAtConnectAsForTheJdksOwnConnection() throws Exception {
    server.on("/ok").respond(status(200));
    HttpURLConnection c = open(defaults(), "/ok");
    c.setRequestProperty("X-App", "one");
    c.connect();
    assertThrows(IllegalStateException.class, () -> c.setRequestProperty("X-App", "two"));
    assertEquals("one", c.getRequestProperty("X-App"));
    assertEquals(200, c.getResponseCode());
    assertEquals("one", server.requests("/ok").get(0).header("X-App"));
  }

  @Test
  void aRefusedConnectionIsTheAppsConnectExceptionAtEveryGetter() throws Exception {
    int port = FaultServer.unusedPort();
    HttpUrlConnectionHooks hooks = defaults();
    HttpURLConnection c = (HttpURLConnection) hooks.openConnection(null,
        new Object[] {new URL("http://127.0.0.1:" + port + "/x"), null});

    assertThrows(ConnectException.class, c::getResponseCode);
    assertThrows(ConnectException.class, c::getInputStream);
    assertNull(c.getHeaderField(0));
    assertNull(c.getErrorStream());
  }

  @Test
  void anOpenBreakerRefusesWithAnIOExceptionNamingTheReasonAndSendsNothing() throws Exception {
    server.on("/down").respond(status(503));
    HttpUrlConnectionHooks hooks = hooks("http:", "  defaults:", "    retry: {maxAttempts: 1}",
        "    circuitBreaker: {slidingWindowSize: 2, minimumNumberOfCalls: 2, waitDurationInOpenState: 1m}");
    for (int i = 0; i < 2; i++) {
      assertEquals(503, open(hooks, "/down").getResponseCode());
    }
    HttpURLConnection refused = open(hooks, "/down");
    CircuitOpenException e = assertThrows(CircuitOpenException.class, refused::getResponseCode);
    assertTrue(e.getMessage().contains(server.hostPort()), e.getMessage());
    assertEquals(2, server.requestCount("/down"));
  }

  @Test
  void eachAttemptCarriesTheDeadlineHeaderWhenTheCallHasATotal() throws Exception {
    server.on("/ok").respond(status(200));
    HttpURLConnection c = open(hooks("http:", "  defaults:", "    timeout: {total: 20s}", QUIET_BREAKER), "/ok");
    long before = System.currentTimeMillis();
    assertEquals(200, c.getResponseCode());
    String deadline = server.requests("/ok").get(0).header("X-Request-Deadline");
    assertNotNull(deadline);
    long millis = Long.parseLong(deadline);
    assertTrue(millis >= before + 19_000 && millis <= before + 21_000, deadline);
  }

  @Test
  void theStricterTimeoutWins() {
    assertEquals(500, AttemptTimeouts.stricter(500, 10_000));
    assertEquals(500, AttemptTimeouts.stricter(0, 500), "0 is the JDK's none, never stricter");
    assertEquals(500, AttemptTimeouts.stricter(500, 0));
    assertEquals(1, AttemptTimeouts.millis(1), "never 0, which would mean none");
  }
}
