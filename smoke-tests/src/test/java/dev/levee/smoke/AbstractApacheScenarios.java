package dev.levee.smoke;

import static dev.levee.testkit.Behaviour.closeWithoutResponse;
import static dev.levee.testkit.Behaviour.hang;
import static dev.levee.testkit.Behaviour.reset;
import static dev.levee.testkit.Behaviour.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.testkit.FaultServer;
import dev.levee.testkit.Jdk;
import dev.levee.testkit.RecordedRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Apache HttpClient 5 (one client, classic or async, on one library version): the shared scenario list,
 * plus what is particular to HttpClient 5: every way of building a client and every {@code execute}
 * overload is protected alike, the client's own retry strategy never multiplies Levee's attempts, and the
 * connection pool does not leak under a thousand failing calls.
 */
abstract class AbstractApacheScenarios extends AbstractHttpClientScenarios {

  /** The HttpClient 5 version whose jars the app runs on. */
  protected abstract String libraryVersion();

  /** How many {@code execute} overloads the app cycles through with {@code -Dapp.execute=cycle}. */
  protected abstract int overloads();

  @Override
  protected Set<String> timeoutExceptionTypes() {
    // what HttpClient throws for a read timeout; ConnectTimeoutException (a subclass) would mean the connect
    return Collections.singleton("java.net.SocketTimeoutException");
  }

  /** The default {@code DefaultHttpRequestRetryStrategy} repeats a 503 once (after 1 s). */
  @Override
  protected int bareClientRequestsFor503() {
    return 2;
  }

  @Override
  protected List<Path> appLibraries() {
    return apacheJars(libraryVersion());
  }

  /** The jars of one HttpClient 5 version, copied by this module's pom into target/apache-httpclient5/. */
  static List<Path> apacheJars(String version) {
    return SmokeApp.jarsIn(SmokeApp.copiedLibraries("levee.apache.jars", "apache-httpclient5").resolve(version));
  }

  /** Each {@code execute} overload reads the body its own way: a response handler, or the response's entity. */
  @Override
  protected int bodyHandlingCount() {
    return overloads();
  }

  @Override
  protected SmokeApp.Builder cyclingBodyHandlings(SmokeApp.Builder app, Path dir) {
    return super.cyclingBodyHandlings(app, dir).systemProperty("app.execute", "cycle");
  }

  static String newestVersion() {
    return System.getProperty("levee.apache.newest", "5.6.5");
  }

  static String olderVersion() {
    return System.getProperty("levee.apache.older", "5.2.3");
  }

  // ---- every client builder and every execute overload ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void everyClientBuilderAndExecuteOverloadIsProtected(Jdk jdk, @TempDir Path dir) {
    int calls = Math.max(overloads(), 4);
    try (FaultServer server = FaultServer.start()) {
      for (int i = 0; i < calls; i++) {
        server.on("/flaky" + i).respond(status(503), status(200));
      }
      Path config = SmokeApp.writeConfig(dir, "http:", "  defaults:", WITH_TOTAL, FAST_RETRY, QUIET_BREAKER);

      AppRun run = app(jdk, dir).config(config)
          .systemProperty("app.client", "cycle")
          .systemProperty("app.execute", "cycle")
          .args("--url", server.url("/flaky{i}"), "--calls", "" + calls)
          .run();

      String why = why(run, server);
      assertEquals(0, run.exitCode(), why);
      assertEquals(calls, run.calls().size(), "one line per call\n" + why);
      for (int i = 0; i < calls; i++) {
        assertEquals(Integer.valueOf(200), run.call(i).status, "call " + i + "\n" + why);
        List<RecordedRequest> seen = server.requests("/flaky" + i);
        assertEquals(2, seen.size(), "call " + i + ": the 503 and the retry\n" + why);
        for (RecordedRequest r : seen) {
          assertNotNull(r.header("X-Request-Deadline"), "call " + i + " carries the deadline\n" + why);
        }
      }
    }
  }

  // ---- the app's own request object ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void aRequestObjectSharedByTwoThreadsIsLeftAsTheAppMadeIt(Jdk jdk, @TempDir Path dir) {
    try (FaultServer server = FaultServer.start()) {
      server.on("/shared").respond(status(503), status(200).after(Duration.ofMillis(5)));
      Path config = SmokeApp.writeConfig(dir, "http:", "  defaults:", WITH_TOTAL,
          "    retry: {maxAttempts: 3, initialBackoff: 1ms, maxBackoff: 5ms}", QUIET_BREAKER);

      // two threads run one request object again and again, then the app lists its headers
      AppRun run = app(jdk, dir).config(config)
          .args("--url", server.url("/shared"), "--header", "Accept: text/plain", "--shared-request",
              "--calls", "400", "--concurrency", "2")
          .timeout(Duration.ofSeconds(60))
          .run();

      String why = why(run, server).lines().limit(60).collect(Collectors.joining("\n"));
      assertEquals(0, run.exitCode(), why);
      List<String> headers = run.stdout().lines().filter(l -> l.startsWith("REQUEST headers=")).collect(Collectors.toList());
      assertEquals(List.of("REQUEST headers=[Accept]"), headers, "exactly the app's one header, nothing of Levee's\n" + why);
      for (RecordedRequest r : server.requests("/shared")) {
        assertEquals(1, r.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("X-Request-Deadline"))
            .mapToInt(e -> e.getValue().size()).sum(), "one deadline header per request: " + r + "\n" + why);
      }
    }
  }

  // ---- only the dependency's own failures count against it ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void waitingForAPooledConnectionIsNotHeldAgainstTheTarget(Jdk jdk, @TempDir Path dir) {
    try (FaultServer server = FaultServer.start()) {
      // headers at once, then a body that takes 3 s: each call holds its connection that long
      server.on("/download").respond(status(200).body("d".repeat(30)).trickleBody(Duration.ofMillis(100)));
      Path config = SmokeApp.writeConfig(dir,
          "http:",
          "  defaults:",
          "    timeout: {connect: 1s, attempt: 1s}",
          "    retry: {maxAttempts: 1}",
          "    circuitBreaker: {slidingWindowSize: 20, minimumNumberOfCalls: 6, failureRateThreshold: 50}");
      List<String> args = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        args.addAll(List.of("--url", server.url("/download")));
      }
      // 12 calls at once: HttpClient's pool lends 5 connections to one host, 7 calls wait for one in vain
      args.addAll(List.of("--url", server.url("/ok"), "--calls", "13", "--concurrency", "13",
          "--pause-before-call", "12:3500"));

      AppRun run = app(jdk, dir).config(config).args(args).timeout(Duration.ofSeconds(30)).run();

      String why = why(run, server);
      assertEquals(0, run.exitCode(), why);
      long downloads = run.calls().stream().filter(c -> c.index < 12 && Integer.valueOf(200).equals(c.status)).count();
      long poolWaits = run.calls().stream().filter(c -> c.index < 12 && c.error != null
          && c.error.endsWith("ConnectionRequestTimeoutException")).count();
      assertEquals(5, downloads, why);
      assertEquals(7, poolWaits, "the app's own pool ran out; HttpClient's own exception for it\n" + why);
      assertEquals(Integer.valueOf(200), run.call(12).status,
          "7 of 12 calls failed, but waiting for the app's own pool never opened the target's breaker\n" + why);
      assertEquals(5, server.requestCount("/download"), why);
    }
  }

  // ---- the client's own retries ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void theClientsOwnRetriesNeverMultiplyLevees(Jdk jdk, @TempDir Path dir) {
    try (FaultServer server = FaultServer.start()) {
      // HttpClient's default strategy would repeat each of these once more by itself
      server.on("/unavailable").respond(status(503).header("Retry-After", "0"));
      server.on("/noresponse").respond(closeWithoutResponse());
      Path config = SmokeApp.writeConfig(dir,
          "http:",
          "  defaults:",
          "    retry: {maxAttempts: 1}",
          QUIET_BREAKER,
          "  hosts:",
          "    \"127.0.0.1\": {retry: {maxAttempts: 2, initialBackoff: 10ms, maxBackoff: 20ms}}");

      AppRun run = app(jdk, dir).config(config)
          .args("--url", server.url("/unavailable"), "--url", server.url("/noresponse"), "--calls", "2")
          .run();

      String why = why(run, server);
      assertEquals(0, run.exitCode(), why);
      assertEquals(Integer.valueOf(503), run.call(0).status, why);
      assertEquals(2, server.requestCount("/unavailable"), "exactly maxAttempts (2)\n" + why);
      assertNotNull(run.call(1).error, "NoHttpResponseException (classic) or ConnectionClosedException (async)\n" + why);
      assertEquals(2, server.requestCount("/noresponse"), "exactly maxAttempts (2)\n" + why);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void withOneAttemptTheServerSeesOneRequest(Jdk jdk, @TempDir Path dir) {
    try (FaultServer server = FaultServer.start()) {
      server.on("/unavailable").respond(status(503));
      Path config = SmokeApp.writeConfig(dir, "http:", "  defaults:", "    retry: {maxAttempts: 1}", QUIET_BREAKER);

      AppRun run = app(jdk, dir).config(config).args("--url", server.url("/unavailable")).run();

      String why = why(run, server);
      assertEquals(Integer.valueOf(503), run.call(0).status, why);
      assertEquals(1, server.requestCount("/unavailable"), "HttpClient's default strategy would have sent 2\n" + why);
    }
  }

  /**
   * The app cancels its classic request from another thread ({@code HttpUriRequestBase.cancel()}) while the
   * server hangs: with Levee the attempt in flight (a copy of Levee's) ends at once too, with the exception
   * HttpClient throws without Levee, and is not retried. Levee's hook on {@code cancel()} finds the call; the
   * request is handed nothing of Levee's.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdk17")
  void theAppsCancelEndsTheAttemptInFlightAsWithoutLevee(Jdk jdk, @TempDir Path dir) {
    Assumptions.assumeTrue(this instanceof ApacheClassicNewestSmokeTest || this instanceof ApacheClassicOlderSmokeTest,
        "the classic client's request");
    theAppsStopEndsTheAttemptInFlightAsWithoutLevee(jdk, dir, "a cancel");
  }

  // ---- the connection pool ----

  /** JDK 17 only: a thousand calls prove the same on both JDKs, and cost ~10 s each. */
  Stream<Jdk> jdk17() {
    return Stream.of(Jdk.current17());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdk17")
  void aThousandFailingCallsLeakNoPooledConnection(Jdk jdk, @TempDir Path dir) {
    int failing = 1000;
    int maxAttempts = 3;
    try (FaultServer server = FaultServer.start()) {
      // every attempt fails: 503s (retried, so closed by Levee), resets, connections closed without a
      // response, and every 100th call a hang that the attempt timeout ends; then one healthy call
      server.on("/503").respond(status(503));
      server.on("/reset").respond(reset());
      server.on("/close").respond(closeWithoutResponse());
      server.on("/hang").respond(hang());
      List<String> args = new ArrayList<>();
      for (int call = 0; call < failing; call++) {
        String path = call % 100 == 99 ? "/hang" : call % 3 == 0 ? "/503" : call % 3 == 1 ? "/reset" : "/close";
        args.add("--url");
        args.add(server.url(path));
      }
      // A hung attempt's connection stays leased until HttpClient's own response timeout (the attempt's
      // budget) ends the exchange, up to one I/O reactor select interval (1 s) after Levee gave up on it
      // (README, Apache HttpClient 5): the healthy call waits that out, so that only a real leak can
      // leave it without a pooled connection.
      args.addAll(java.util.Arrays.asList("--url", server.url("/ok"), "--calls", "" + (failing + 1),
          "--pause-before-call", failing + ":1500"));
      Path config = SmokeApp.writeConfig(dir,
          "http:",
          "  defaults:",
          "    timeout: {connect: 1s, attempt: 150ms, total: 5s}",
          "    retry: {maxAttempts: " + maxAttempts + ", initialBackoff: 1ms, maxBackoff: 1ms}",
          "    circuitBreaker: {slidingWindowSize: 10000, minimumNumberOfCalls: 10000}");

      // the client's default pool: 5 connections per route
      AppRun run = app(jdk, dir).config(config).args(args).timeout(java.time.Duration.ofSeconds(120)).run();

      List<AppCall> all = run.calls();
      String why = "server saw " + server.requests().size() + " requests; last calls:\n"
          + all.subList(Math.max(0, all.size() - 12), all.size()).stream().map(String::valueOf).collect(Collectors.joining("\n"))
          + "\nstderr:\n" + run.stderr();
      assertEquals(0, run.exitCode(), why);
      assertEquals(failing + 1, all.size(), why);
      for (int i = 0; i < failing; i++) {
        AppCall c = run.call(i);
        assertTrue(c.succeeded() ? c.status == 503 : !c.error.contains("levee"), "call " + i + " fails as the server made it fail\n" + c + "\n" + why);
      }
      AppCall healthy = run.call(failing);
      assertEquals(Integer.valueOf(200), healthy.status, "the healthy call after them\n" + why);
      assertTrue(healthy.ms < 1000, "and at once, not after waiting for a pooled connection\n" + why);
      assertTrue(server.requests().size() <= failing * maxAttempts + 1, "never more than maxAttempts per call\n" + why);
      int hung = server.requestCount("/hang");
      // an attempt whose budget ran out before its request was written (a slow connect under load) never
      // reaches the server: at least one per hung call, never more than maxAttempts
      assertTrue(hung >= 10 && hung <= 10 * maxAttempts, "hung attempts sent: " + hung + "\n" + why);
    }
  }
}
