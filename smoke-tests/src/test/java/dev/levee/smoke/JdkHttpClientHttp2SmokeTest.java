package dev.levee.smoke;

import static dev.levee.smoke.AbstractHttpClientScenarios.FAST_RETRY;
import static dev.levee.smoke.AbstractHttpClientScenarios.QUIET_BREAKER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.smoke.apps.JdkHttpClientApp;
import dev.levee.testkit.Jdk;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code java.net.http.HttpClient} with {@code version(HTTP_2)} against a real HTTP/2 server (Jetty 12,
 * h2c): Levee's retries, method rules, deadline header and timeouts hold when the exchanges are
 * HTTP/2 streams, not HTTP/1.1 requests. (The {@code FaultServer} of the main scenario list ignores
 * the client's h2c upgrade, so there every exchange stays HTTP/1.1.)
 *
 * <p>Over cleartext the JDK client sends its first request as HTTP/1.1 with {@code Upgrade: h2c};
 * Jetty upgrades the connection (it then reports that first request as HTTP/2.0 too), and every later
 * request, Levee's retries included, is an HTTP/2 stream on it. A first request with a body is not
 * upgraded, so the POST scenario opens the connection with a GET.
 *
 * @see dev.levee.testkit.FaultServer
 */
class JdkHttpClientHttp2SmokeTest {

  static Stream<Arguments> jdksAndModes() {
    return SmokeJdks.both().flatMap(jdk -> Stream.of("sync", "async").map(mode -> Arguments.of(jdk, mode)));
  }

  // ---- 1. flaky GET ----

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("jdksAndModes")
  void flakyGetIsRecoveredOverHttp2(Jdk jdk, String mode, @TempDir Path dir) {
    try (H2cServer server = H2cServer.start()) {
      server.on("/flaky", 503, 503, 200);
      Path config = SmokeApp.writeConfig(dir,
          "http:",
          "  defaults:",
          "    timeout: {connect: 1s, attempt: 5s, total: 5s}",
          FAST_RETRY,
          QUIET_BREAKER);

      AppRun run = app(jdk, dir).config(config).args("--url", server.url("/flaky"), "--mode", mode).run();

      String why = why(run, server);
      assertEquals(0, run.exitCode(), why);
      assertEquals(Integer.valueOf(200), run.call(0).status, why);
      List<H2cServer.Seen> seen = server.requests("/flaky");
      assertEquals(3, seen.size(), "exactly maxAttempts\n" + why);
      // the first may be the HTTP/1.1 request that carried Upgrade: h2c; the retries run on HTTP/2
      assertEquals("HTTP/2.0", seen.get(1).version(), "the 2nd attempt\n" + why);
      assertEquals("HTTP/2.0", seen.get(2).version(), "the 3rd attempt\n" + why);
      for (H2cServer.Seen r : seen) {
        assertNotNull(r.deadline(), "every attempt carries X-Request-Deadline\n" + why);
        long ahead = Long.parseLong(r.deadline().trim()) - r.epochMillis();
        assertTrue(ahead >= 4000 && ahead <= 6000,
            "X-Request-Deadline should be about 5s (the total) after receipt, was " + ahead + "ms ahead\n" + why);
      }
      assertEquals(1, seen.stream().map(H2cServer.Seen::deadline).distinct().count(),
          "the retries carry the call's deadline, not a fresh one\n" + why);
    }
  }

  // ---- 2. POST ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.levee.smoke.SmokeJdks#both")
  void postIsNeverRetriedOn503OverHttp2(Jdk jdk, @TempDir Path dir) {
    try (H2cServer server = H2cServer.start()) {
      server.on("/orders", 503, 503, 200);
      Path config = SmokeApp.writeConfig(dir, "http:", "  defaults:", FAST_RETRY, QUIET_BREAKER);

      // a first request with a body stays HTTP/1.1 (no h2c upgrade): a GET upgrades the connection first
      AppRun run = app(jdk, dir).config(config)
          .args("--warmup-url", server.url("/warmup"),
              "--url", server.url("/orders"), "--method", "POST", "--body", "{\"item\":1}")
          .run();

      String why = why(run, server);
      assertEquals(0, run.exitCode(), why);
      assertEquals(Integer.valueOf(503), run.call(0).status, why);
      List<H2cServer.Seen> seen = server.requests("/orders");
      assertEquals(1, seen.size(), "a POST is not retried\n" + why);
      assertEquals(Integer.valueOf(200), run.warmup().status, why);
      assertEquals("POST", seen.get(0).method(), why);
      assertEquals("HTTP/2.0", seen.get(0).version(), "the POST ran as an HTTP/2 stream\n" + why);
      assertEquals("{\"item\":1}", seen.get(0).body(), why);
    }
  }

  // ---- 3. hanging stream ----

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("jdksAndModes")
  void hangingStreamIsBoundedByTheTotalTimeoutOverHttp2(Jdk jdk, String mode, @TempDir Path dir) {
    try (H2cServer server = H2cServer.start()) {
      server.on("/hang", H2cServer.HANG);
      Path config = SmokeApp.writeConfig(dir,
          "http:",
          "  defaults:",
          "    timeout: {connect: 1s, attempt: 1s, total: 2s}",
          FAST_RETRY,
          QUIET_BREAKER);

      // the app sets no timeout of its own: without Levee it would wait forever
      AppRun run = app(jdk, dir).config(config).args("--url", server.url("/hang"), "--mode", mode)
          .timeout(Duration.ofSeconds(15))
          .run();

      String why = why(run, server);
      assertEquals(0, run.exitCode(), why);
      AppCall call = run.call(0);
      assertEquals("java.net.http.HttpTimeoutException", call.error, why);
      assertTrue(call.ms >= 1500 && call.ms < 6000, "the total timeout (2s) ends the call, took " + call.ms + "ms\n" + why);
      int requests = server.requests("/hang").size();
      assertTrue(requests >= 1 && requests <= 3, "at most maxAttempts requests, saw " + requests + "\n" + why);
    }
  }

  // ---- 4. a server that reads the request and drops the connection ----

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("jdksAndModes")
  void aServerThatDropsSeesExactlyMaxAttemptsOverHttp2(Jdk jdk, String mode, @TempDir Path dir) {
    H2cServer.assertDropsSeeExactlyMaxAttempts(d -> app(jdk, d), dir, mode);
  }



  // ---- helpers ----

  /** The JDK HttpClient app, told to use HTTP/2, run from {@code dir}. */
  private static SmokeApp.Builder app(Jdk jdk, Path dir) {
    return SmokeApp.launch(jdk, JdkHttpClientApp.class.getName())
        .workingDirectory(dir)
        .args("--version", "HTTP_2");
  }

  private static String why(AppRun run, H2cServer server) {
    return run.describe() + "\n" + server.describe();
  }
}
