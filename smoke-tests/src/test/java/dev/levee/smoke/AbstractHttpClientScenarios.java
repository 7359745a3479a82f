package dev.levee.smoke;

import static dev.levee.testkit.Behaviour.closeWithoutResponse;
import static dev.levee.testkit.Behaviour.hang;
import static dev.levee.testkit.Behaviour.ok;
import static dev.levee.testkit.Behaviour.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.testkit.Behaviour;
import dev.levee.testkit.FaultServer;
import dev.levee.testkit.Jdk;
import dev.levee.testkit.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scenario list every HTTP client library passes: an unmodified app, launched in its own JVM with
 * {@code -javaagent:levee-agent.jar} on JDK 17 and JDK 25, calls a {@link FaultServer}; each scenario
 * asserts both what the app saw and what reached the server.
 *
 * <p>To add a client: write an app in {@code dev.levee.smoke.apps} that accepts the common command
 * line ({@code AppArgs}) and prints the common call lines ({@code CallReport}), then extend this class
 * and implement the adapter methods. Nothing here knows which library is under test.
 *
 * <p>Each test starts its own server and writes its own config into its own temp folder, so tests
 * may run concurrently ({@code junit-platform.properties}). Configs that are not about the breaker
 * give it a window no scenario can fill, so a run of failures never trips it by accident.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractHttpClientScenarios {

  // ---- adapter: what differs between client libraries ----

  /** The app's main class (in {@code dev.levee.smoke.apps}). */
  protected abstract String appMainClass();

  /** The exception class names the app sees when a call runs out of time (the client's own type). */
  protected abstract Set<String> timeoutExceptionTypes();

  /** The app's {@code --mode} values: {@code sync} always, {@code async} where the client has one. */
  protected List<String> supportedModes() {
    return Arrays.asList("sync", "async");
  }

  /** Jars the app needs besides this module's classes (its client library). */
  protected List<Path> appLibraries() {
    return Collections.emptyList();
  }

  /** The exception class names the app sees when it cancels an async call (the client's own way). */
  protected Set<String> cancelledCallExceptionTypes() {
    return Collections.singleton("java.util.concurrent.CancellationException");
  }

  /**
   * How many requests the bare client (no Levee) sends by itself for a GET answered 503 twice: its own
   * retry strategy, if it has one. 1 for most; Apache HttpClient 5's default strategy repeats a 503 once.
   */
  protected int bareClientRequestsFor503() {
    return 1;
  }

  /**
   * Launches the app so that call i reads its response body in the (i mod n)-th of the app's ways of
   * reading one ({@code n} = {@link #bodyHandlingCount()}): the JDK's BodyHandlers, OkHttp's body methods,
   * Apache's response handlers and consumers.
   */
  protected SmokeApp.Builder cyclingBodyHandlings(SmokeApp.Builder app, Path dir) {
    return app.args("--body-handling", "cycle", "--body-dir", dir.toString());
  }

  /** How many ways the app has of reading a body: calls needed for each to be used once. */
  protected abstract int bodyHandlingCount();

  // ---- parameters ----

  /**
   * The JDKs the scenarios run on: 17 and 25. A library's older line runs on 17 only: the JDK axis is its
   * newest line's, the version axis the library's, and the whole suite stays within its time.
   */
  protected Stream<Jdk> scenarioJdks() {
    return SmokeJdks.both();
  }

  Stream<Jdk> jdks() {
    return scenarioJdks();
  }

  Stream<Arguments> jdksAndModes() {
    return scenarioJdks().flatMap(jdk -> supportedModes().stream().map(mode -> Arguments.of(jdk, mode)));
  }

  // ---- config fragments ----

  /** A breaker window no scenario fills: failures in a non-breaker scenario never open it. */
  static final String QUIET_BREAKER = "    circuitBreaker: {slidingWindowSize: 1000, minimumNumberOfCalls: 1000}";

  static final String FAST_RETRY = "    retry: {maxAttempts: 3, initialBackoff: 10ms, maxBackoff: 50ms}";

  /** A total: the call has a deadline, so its attempts carry the deadline header (without one, none is sent). */
  static final String WITH_TOTAL = "    timeout: {total: 20s}";

  // ---- 1. hanging host ----

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("jdksAndModes")
  void hangingHostIsBoundedByTheTotalTimeout(Jdk jdk, String mode, @TempDir Path dir) {
    try (FaultServer server = FaultServer.start()) {
      server.on("/hang").respond(hang());
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

      AppCall call = run.call(0);
      String why = why(run, server);
      assertEquals(0, run.exitCode(), why);
      assertTrue(timeoutExceptionTypes().contains(call.error), "expected one of " + timeoutExceptionTypes() + "\n" + why);
      assertTrue(call.ms >= 1500 && call.ms < 5000, "the total timeout (2s) ends the call, took " + call.ms + "ms\n" + why);
      int requests = server.requestCount("/hang");
      assertTrue(requests >= 1 && requests <= 3, "at most maxAttempts requests, saw " + requests + "\n" + why);
    }
  }

  // ---- 2. flaky GET ----

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("jdksAndModes")
  void flakyGetIsRecovered(Jdk jdk, String mode, @TempDir Path dir) {
    try (FaultServer server = FaultServer.start()) {
      server.on("/flaky").respond(status(503), status(503), status(200));
      Path config = SmokeApp.writeConfig(dir, "http:", "  defaults:", FAST_RETRY, QUIET_BREAKER);

      AppRun run = app(jdk, dir).config(config).args("--url", server.url("/flaky"), "--mode", mode).run();

      String why = why(run, server);
      assertEquals(0, run.exitCode(), why);
      assertEquals(Integer.valueOf(200), run.call(0).status, why);
      assertEquals(3, server.requestCount("/flaky"), why);
    }
  }

  // ---- 3. POST and Idempotency-Key ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void postIsNeverRetriedOn503(Jdk jdk, @TempDir Path dir) {
    try (FaultServer server = FaultServer.start()) {
      server.on("/orders").respond(status(503), status(503), status(200));
      Path config = SmokeApp.writeConfig(dir, "http:", "  defaults:", FAST_RETRY, QUIET_BREAKER);

      AppRun run = app(jdk, dir).config(config)
          .args("--url", server.url("/orders"), "--method", "POST", "--body", "{\"item\":1}")
          .run();

      String why = why(run, server);
      assertEquals(Integer.valueOf(503), run.call(0).status, why);
      assertEquals(1, server.requestCount("/orders"), why);
      assertEquals("{\"item\":1}", server.requests("/orders").get(0).body(), why);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void postWithIdempotencyKeyIsRetried(Jdk jdk, @TempDir Path dir) {
    try (FaultServer server = FaultServer.start()) {
      server.on("/orders").respond(status(503), status(503), status(200));
      Path config = SmokeApp.writeConfig(dir, "http:", "  defaults:", FAST_RETRY, QUIET_BREAKER);

      AppRun run = app(jdk, dir).config(config)
          .args("--url", server.url("/orders"), "--method", "POST", "--body", "{\"item\":1}",
              "--header", "Idempotency-Key: k1")
          .run();

      String why = why(run, server);
      assertEquals(Integer.valueOf(200), run.call(0).status, why);
      assertEquals(3, server.requestCount("/orders"), why);
      for (RecordedRequest r : server.requests("/orders")) {
        assertEquals("{\"item\":1}", r.body(), "every attempt carries the whole body\n" + why);
        assertEquals("k1", r.header("Idempotency-Key"), why);
      }
    }
  }

  // ---- 4. 404 ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void notFoundIsNeverRetried(Jdk jdk, @TempDir Path dir) {
    try (FaultServer server = FaultServer.start()) {
      server.on("/missing").respond(status(404));
      Path config = SmokeApp.writeConfig(dir, "http:", "  defaults:", FAST_RETRY, QUIET_BREAKER);

      AppRun run = app(jdk, dir).config(config).args("--url", server.url("/missing")).run();

      String why = why(run, server);
      assertEquals(Integer.valueOf(404), run.call(0).status, why);
      assertEquals(1, server.requestCount("/missing"), why);
    }
  }

  // ---- 5. exhausted ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void exhaustedRetriesHandTheLastResponseToTheApp(Jdk jdk, @TempDir Path dir) {
    try (FaultServer server = FaultServer.start()) {
      server.on("/always503").respond(status(503));
      Path config = SmokeApp.writeConfig(dir, "http:", "  defaults:", FAST_RETRY, QUIET_BREAKER);

      AppRun run = app(jdk, dir).config(config).args("--url", server.url("/always503")).run();

      String why = why(run, server);
      assertEquals(0, run.exitCode(), why);
      assertEquals(Integer.valueOf(503), run.call(0).status, why);
      assertEquals(3, server.requestCount("/always503"), "exactly maxAttempts\n" + why);
    }
  }

  // ---- 6. jitter ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void jitteredBackoffsDifferBetweenCalls(Jdk jdk, @TempDir Path dir) {
    int calls = 6;
    long backoffMs = 200;
    try (FaultServer server = FaultServer.start()) {
      server.on("/always503").respond(status(503));
      Path config = SmokeApp.writeConfig(dir,
          "http:",
          "  defaults:",
          "    retry: {maxAttempts: 3, initialBackoff: " + backoffMs + "ms, maxBackoff: " + backoffMs
              + "ms, jitter: full}",
          QUIET_BREAKER);

      AppRun run = app(jdk, dir).config(config)
          .args("--url", server.url("/always503?call={i}"), "--calls", "" + calls, "--concurrency", "" + calls)
          .run();

      String why = why(run, server);
      Map<String, List<RecordedRequest>> byCall = new TreeMap<>(server.requests("/always503").stream()
          .collect(Collectors.groupingBy(r -> String.valueOf(r.query()))));
      assertEquals(calls, byCall.size(), why);
      List<Long> gapsMs = new ArrayList<>();
      for (Map.Entry<String, List<RecordedRequest>> e : byCall.entrySet()) {
        List<RecordedRequest> attempts = e.getValue();
        assertEquals(3, attempts.size(), "attempts of " + e.getKey() + "\n" + why);
        for (int i = 1; i < attempts.size(); i++) {
          gapsMs.add((attempts.get(i).nanoTime() - attempts.get(i - 1).nanoTime()) / 1_000_000);
        }
      }
      for (int i = 0; i < calls; i++) {
        assertEquals(Integer.valueOf(503), run.call(i).status, why);
      }
      long min = Collections.min(gapsMs);
      long max = Collections.max(gapsMs);
      assertTrue(max - min > 20, "full jitter: gaps should differ, got " + gapsMs + "\n" + why);
      assertTrue(max <= backoffMs + 500, "no gap beyond maxBackoff + slack, got " + gapsMs + "\n" + why);
    }
  }

  // ---- 7. circuit breaker ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void breakerOpensFailsFastThenProbesAndCloses(Jdk jdk, @TempDir Path dir) {
    try (FaultServer server = FaultServer.start()) {
      server.on("/down").respond(status(500), status(500), status(500), status(500), status(200));
      Path config = SmokeApp.writeConfig(dir,
          "http:",
          "  defaults:",
          "    retry: {maxAttempts: 1}",
          "    circuitBreaker:",
          "      slidingWindowSize: 4",
          "      minimumNumberOfCalls: 4",
          "      failureRateThreshold: 50",
          "      waitDurationInOpenState: 1s",
          "      permittedNumberOfCallsInHalfOpenState: 1");

      // 0-3 fail and open the breaker; 4-6 are refused; after the wait, 7 is the probe and 8 passes
      AppRun run = app(jdk, dir).config(config)
          .args("--url", server.url("/down"), "--calls", "9", "--pause-before-call", "7:1300")
          .run();

      String why = why(run, server);
      assertEquals(0, run.exitCode(), why);
      for (int i = 0; i < 4; i++) {
        assertEquals(Integer.valueOf(500), run.call(i).status, "call " + i + "\n" + why);
      }
      for (int i = 4; i < 7; i++) {
        AppCall c = run.call(i);
        assertNotNull(c.error, "call " + i + " should be refused\n" + why);
        assertTrue(c.message.contains("levee: circuit open for " + server.hostPort()), "call " + i + "\n" + why);
        assertTrue(c.message.contains("next probe in"), "call " + i + "\n" + why);
        assertTrue(c.ms < 500, "refused calls fail fast, call " + i + " took " + c.ms + "ms\n" + why);
      }
      assertEquals(Integer.valueOf(200), run.call(7).status, "the half-open probe\n" + why);
      assertEquals(Integer.valueOf(200), run.call(8).status, "closed again\n" + why);
      List<RecordedRequest> seen = server.requests("/down");
      assertEquals(6, seen.size(), "4 failures + probe + 1; refused calls send nothing\n" + why);
      long pauseMs = (seen.get(4).nanoTime() - seen.get(3).nanoTime()) / 1_000_000;
      assertTrue(pauseMs >= 1000, "nothing reached the server while open, gap " + pauseMs + "ms\n" + why);
    }
  }

  // ---- 8. bulkhead ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void bulkheadRefusesExcessCallsToOneHostOnly(Jdk jdk, @TempDir Path dir) {
    try (FaultServer hostA = FaultServer.start(); FaultServer hostB = FaultServer.start()) {
      hostA.on("/slow").respond(status(200).after(Duration.ofMillis(1500)));
      Path config = SmokeApp.writeConfig(dir,
          "http:",
          "  defaults:",
          "    timeout: {connect: 1s, attempt: 5s, total: 10s}",
          "    retry: {maxAttempts: 1}",
          QUIET_BREAKER,
          "    bulkhead: {maxConcurrentCalls: 2, maxWaitDuration: 0ms}");
      List<String> args = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        args.addAll(Arrays.asList("--url", hostA.url("/slow")));
      }
      args.addAll(Arrays.asList("--url", hostB.url("/fast"), "--url", hostB.url("/fast")));
      // calls 0-5 go to A at once; 6 and 7 go to B a moment later, while A's permits are taken
      args.addAll(Arrays.asList("--calls", "8", "--concurrency", "8", "--warmup-url", hostB.url("/warmup"),
          "--pause-before-call", "6:300", "--pause-before-call", "7:300"));

      AppRun run = app(jdk, dir).config(config).args(args).run();

      String why = why(run, hostA) + "\nhost B: " + hostB.requests();
      assertEquals(0, run.exitCode(), why);
      assertEquals(Integer.valueOf(200), run.warmup().status, why);
      int succeeded = 0;
      int refused = 0;
      for (int i = 0; i < 6; i++) {
        AppCall c = run.call(i);
        if (c.succeeded()) {
          assertEquals(Integer.valueOf(200), c.status, why);
          succeeded++;
        } else {
          assertTrue(c.message.contains("levee: bulkhead full for " + hostA.hostPort()), "call " + i + "\n" + why);
          assertTrue(c.ms < 500, "refused calls fail fast, call " + i + " took " + c.ms + "ms\n" + why);
          refused++;
        }
      }
      assertEquals(2, succeeded, why);
      assertEquals(4, refused, why);
      assertEquals(2, hostA.requestCount("/slow"), why);
      for (int i = 6; i < 8; i++) {
        AppCall c = run.call(i);
        assertEquals(Integer.valueOf(200), c.status, "host B has its own bulkhead\n" + why);
        assertTrue(c.ms < 500, "host B stays fast, call " + i + " took " + c.ms + "ms\n" + why);
      }
      assertEquals(2, hostB.requestCount("/fast"), why);
    }
  }

  // ---- 9. deadline header ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void requestCarriesTheDeadlineHeader(Jdk jdk, @TempDir Path dir) {
    try (FaultServer server = FaultServer.start()) {
      Path config = SmokeApp.writeConfig(dir,
          "http:",
          "  defaults:",
          "    timeout: {connect: 1s, attempt: 5s, total: 5s}");

      AppRun run = app(jdk, dir).config(config).args("--url", server.url("/work")).run();

      String why = why(run, server);
      assertEquals(Integer.valueOf(200), run.call(0).status, why);
      RecordedRequest r = server.requests("/work").get(0);
      assertDeadlineAbout5s(r, "X-Request-Deadline", why);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void configuredDeadlineHeaderReplacesTheDefault(Jdk jdk, @TempDir Path dir) {
    try (FaultServer server = FaultServer.start()) {
      Path config = SmokeApp.writeConfig(dir,
          "http:",
          "  defaults:",
          "    timeout: {connect: 1s, attempt: 5s, total: 5s}",
          "deadline:",
          "  header: X-My-Deadline");

      AppRun run = app(jdk, dir).config(config).args("--url", server.url("/work")).run();

      String why = why(run, server);
      assertEquals(Integer.valueOf(200), run.call(0).status, why);
      RecordedRequest r = server.requests("/work").get(0);
      assertDeadlineAbout5s(r, "X-My-Deadline", why);
      assertNull(r.header("X-Request-Deadline"), "only the configured header\n" + why);
    }
  }

  private static void assertDeadlineAbout5s(RecordedRequest r, String header, String why) {
    String value = r.header(header);
    assertNotNull(value, header + " missing\n" + why);
    long deadline = Long.parseLong(value.trim());
    long ahead = deadline - r.epochMillis();
    assertTrue(ahead >= 4000 && ahead <= 6000,
        header + " should be about 5s after receipt (epoch millis), was " + ahead + "ms ahead\n" + why);
  }

  // ---- 10, 11. invalid configs leave the app alone ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void misspeltKeyIsReportedAndNothingIsApplied(Jdk jdk, @TempDir Path dir) {
    try (FaultServer server = FaultServer.start()) {
      server.on("/flaky").respond(status(503), status(503), status(200));
      Path config = SmokeApp.writeConfig(dir,
          "http:",
          "  defaults:",
          "    retry:",
          "      maxAtempts: 3");

      AppRun run = app(jdk, dir).config(config).args("--url", server.url("/flaky")).run();

      String why = why(run, server);
      String err = run.stderr();
      assertTrue(err.contains(config.toString()), "names the file\n" + why);
      assertTrue(err.contains("resilience.yaml:4"), "names the line (4)\n" + why);
      assertTrue(err.contains("maxAtempts"), "names the key\n" + why);
      assertTrue(err.contains("maxAttempts"), "suggests the right key\n" + why);
      assertEquals(0, run.exitCode(), why);
      assertEquals(Integer.valueOf(503), run.call(0).status, "Levee not applied: no retry\n" + why);
      assertEquals(bareClientRequestsFor503(), server.requestCount("/flaky"), why);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void brokenYamlIsReportedAndNothingIsApplied(Jdk jdk, @TempDir Path dir) {
    try (FaultServer server = FaultServer.start()) {
      server.on("/flaky").respond(status(503), status(503), status(200));
      Path config = SmokeApp.writeConfig(dir,
          "http:",
          "  defaults:",
          "    retry: {maxAttempts: 3, retryOn: [503, 502",
          "    bulkhead: {maxConcurrentCalls: 4}");

      AppRun run = app(jdk, dir).config(config).args("--url", server.url("/flaky")).run();

      String why = why(run, server);
      assertTrue(run.stderr().contains(config.toString()), "names the file\n" + why);
      assertTrue(run.stderr().matches("(?s).*resilience\\.yaml:\\d+.*"), "names the line\n" + why);
      assertEquals(0, run.exitCode(), why);
      assertEquals(Integer.valueOf(503), run.call(0).status, "Levee not applied: no retry\n" + why);
      assertEquals(bareClientRequestsFor503(), server.requestCount("/flaky"), why);
    }
  }

  // ---- 12. no config at all ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void withoutAConfigTheBuiltInDefaultsApply(Jdk jdk, @TempDir Path dir) {
    Path besideJar = LeveeAgentJar.require().resolveSibling("resilience.yaml");
    assertFalse(Files.exists(besideJar), "this scenario needs no " + besideJar + " (the agent would load it)");
    try (FaultServer server = FaultServer.start()) {
      server.on("/flaky").respond(status(503), status(503), status(200));

      AppRun run = app(jdk, dir).args("--url", server.url("/flaky")).run();

      String why = why(run, server);
      List<String> startup = withoutPoolReport(run.stderrLines()).stream().filter(l -> l.startsWith("levee"))
          .collect(Collectors.toList());
      assertEquals(1, startup.size(), "one startup line\n" + why);
      assertTrue(startup.get(0).contains("built-in defaults"), why);
      assertEquals(1, run.stderrLines().stream().filter(l -> l.contains("built-in defaults")).count(), why);
      assertEquals(Integer.valueOf(200), run.call(0).status, "defaults retry a flaky GET\n" + why);
      assertEquals(3, server.requestCount("/flaky"), why);
    }
  }

  // ---- 13. async cancel returns the permit ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void cancelledAsyncCallReleasesItsBulkheadPermit(Jdk jdk, @TempDir Path dir) {
    org.junit.jupiter.api.Assumptions.assumeTrue(supportedModes().contains("async"), "no async API");
    try (FaultServer server = FaultServer.start()) {
      server.on("/hang").respond(hang());
      server.on("/ok").respond(ok());
      Path config = SmokeApp.writeConfig(dir,
          "http:",
          "  defaults:",
          "    timeout: {connect: 1s, attempt: 10s, total: 20s}",
          QUIET_BREAKER,
          "    bulkhead: {maxConcurrentCalls: 1, maxWaitDuration: 0ms}");

      AppRun run = app(jdk, dir).config(config)
          .args("--mode", "async", "--url", server.url("/hang"), "--url", server.url("/ok"), "--calls", "2",
              "--cancel-after-ms", "300", "--pause-before-call", "1:300")
          .run();

      String why = why(run, server);
      assertEquals(0, run.exitCode(), why);
      assertTrue(cancelledCallExceptionTypes().contains(run.call(0).error),
          "expected one of " + cancelledCallExceptionTypes() + "\n" + why);
      assertEquals(Integer.valueOf(200), run.call(1).status, "the cancelled call gave its permit back\n" + why);
      assertEquals(1, server.requestCount("/hang"), "a cancelled call is not retried\n" + why);
      assertEquals(1, server.requestCount("/ok"), why);
    }
  }

  // ---- 14. stderr stays clean ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void onlyTheStartupLineOnStderr(Jdk jdk, @TempDir Path dir) {
    try (FaultServer server = FaultServer.start()) {
      Path config = SmokeApp.writeConfig(dir, "http:", "  defaults:", FAST_RETRY);

      AppRun run = app(jdk, dir).config(config).args("--url", server.url("/ok"), "--calls", "2").run();

      String why = why(run, server);
      assertEquals(0, run.exitCode(), why);
      assertEquals(Integer.valueOf(200), run.call(0).status, why);
      assertEquals(Integer.valueOf(200), run.call(1).status, why);
      List<String> lines = withoutPoolReport(run.stderrLines());
      assertEquals(1, lines.size(), "exactly Levee's startup line on stderr\n" + why);
      assertTrue(lines.get(0).startsWith("levee"), why);
      assertTrue(lines.get(0).contains(config.toString()), "names the config it loaded\n" + why);
    }
  }

  // ---- 15. the app's own stricter timeout ----

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("jdksAndModes")
  void theAppsOwnStricterTimeoutStillWins(Jdk jdk, String mode, @TempDir Path dir) {
    try (FaultServer server = FaultServer.start()) {
      server.on("/hang").respond(hang());
      Path config = SmokeApp.writeConfig(dir,
          "http:",
          "  defaults:",
          "    timeout: {connect: 1s, attempt: 10s, total: 20s}",
          "    retry: {maxAttempts: 1}",
          QUIET_BREAKER);

      // warmed up first: a cold JVM's first request may not even reach the server within 500 ms on a busy machine
      AppRun run = app(jdk, dir).config(config)
          .args("--url", server.url("/hang"), "--mode", mode, "--timeout-ms", "500", "--warmup-url", server.url("/warm"))
          .timeout(Duration.ofSeconds(15))
          .run();

      AppCall call = run.call(0);
      String why = why(run, server);
      assertEquals(0, run.exitCode(), why);
      assertTrue(timeoutExceptionTypes().contains(call.error), "expected one of " + timeoutExceptionTypes() + "\n" + why);
      assertTrue(call.ms >= 400 && call.ms < 4000, "the app's 500ms timeout, not Levee's 10s, took " + call.ms + "ms\n" + why);
      assertEquals(1, server.requestCount("/hang"), why);
    }
  }

  // ---- 16. Retry-After ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void retryAfterLongerThanTheBackoffIsHonoured(Jdk jdk, @TempDir Path dir) {
    try (FaultServer server = FaultServer.start()) {
      server.on("/busy").respond(status(503).header("Retry-After", "1"), status(200));
      Path config = SmokeApp.writeConfig(dir, "http:", "  defaults:", FAST_RETRY, QUIET_BREAKER);

      AppRun run = app(jdk, dir).config(config).args("--url", server.url("/busy")).run();

      String why = why(run, server);
      assertEquals(0, run.exitCode(), why);
      assertEquals(Integer.valueOf(200), run.call(0).status, why);
      List<RecordedRequest> requests = server.requests("/busy");
      assertEquals(2, requests.size(), why);
      long gapMillis = (requests.get(1).nanoTime() - requests.get(0).nanoTime()) / 1_000_000L;
      assertTrue(gapMillis >= 900 && gapMillis < 5000,
          "Retry-After: 1 replaces the 10-50ms backoff, the gap was " + gapMillis + "ms\n" + why);
    }
  }

  // ---- 17-22. correct on the wire (the app sees what one clean call would show it) ----

  /** The budget the "correct on the wire" scenarios run with. */
  static final String TIGHT_BUDGET = "    timeout: {connect: 1s, attempt: 400ms, total: 1200ms}";

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("jdksAndModes")
  void onlyTheFinalResponseReachesTheAppsBodyHandling(Jdk jdk, String mode, @TempDir Path dir) {
    int calls = bodyHandlingCount();
    String page = "x".repeat(4096);
    try (FaultServer server = FaultServer.start()) {
      for (int i = 0; i < calls; i++) {
        server.on("/flaky/" + i).respond(status(503).body(page), status(200).body("flaky ok"));
      }
      Path config = SmokeApp.writeConfig(dir, "http:", "  defaults:", TIGHT_BUDGET, FAST_RETRY, QUIET_BREAKER);

      AppRun run = cyclingBodyHandlings(app(jdk, dir), dir).config(config)
          .args("--url", server.url("/flaky/{i}"), "--mode", mode, "--calls", "" + calls)
          .run();

      String why = why(run, server);
      assertEquals(0, run.exitCode(), why);
      for (int i = 0; i < calls; i++) {
        AppCall call = run.call(i);
        assertEquals(Integer.valueOf(200), call.status, "call " + i + "\n" + why);
        assertEquals(AppCall.bodyOf("flaky ok"), call.body,
            "call " + i + ": exactly the final body, nothing of the retried 503 page\n" + why);
        assertEquals(2, server.requestCount("/flaky/" + i), "call " + i + "\n" + why);
      }
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("jdksAndModes")
  void aServerThatReadsAndDropsSeesExactlyMaxAttempts(Jdk jdk, String mode, @TempDir Path dir) {
    try (FaultServer three = FaultServer.start(); FaultServer one = FaultServer.start()) {
      three.on("/drop").respond(closeWithoutResponse());
      three.on("/order").respond(closeWithoutResponse());
      one.on("/drop").respond(closeWithoutResponse());
      Path config = SmokeApp.writeConfig(dir,
          "http:",
          "  defaults:",
          TIGHT_BUDGET,
          FAST_RETRY,
          QUIET_BREAKER,
          "  hosts:",
          "    \"" + one.hostPort() + "\":",
          "      retry: {maxAttempts: 1}");

      // a GET with maxAttempts 3, a GET with maxAttempts 1, a POST that may have been processed
      AppRun run = app(jdk, dir).config(config)
          .args("--url", three.url("/drop"), "--url", one.url("/drop"), "--url", three.url("/order"),
              "--method", "GET", "--method", "GET", "--method", "POST", "--mode", mode, "--calls", "3")
          .run();

      String why = why(run, three) + "\nmaxAttempts 1 " + one.requests();
      assertEquals(0, run.exitCode(), why);
      for (int i = 0; i < 3; i++) {
        assertNotNull(run.call(i).error, "call " + i + "\n" + why);
      }
      assertEquals(3, three.requestCount("/drop"), "maxAttempts 3: exactly 3 GETs, the client's own re-send tamed\n" + why);
      assertEquals(1, one.requestCount("/drop"), "maxAttempts 1: exactly one request\n" + why);
      assertEquals(1, three.requestCount("/order"), "a POST that may have been processed is sent once\n" + why);
    }
  }

  /**
   * With a total, it bounds the whole exchange: a response head trickled one byte at a time (the socket never
   * quiet long enough for a read timeout) ends at it, and so does a body trickled after a head sent at once,
   * in every way the app reads bodies. Without one, a slow healthy body is never cut, however far past the
   * attempt's budget (which ends at the head).
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("jdksAndModes")
  void theTotalBoundsTheWholeExchangeAndWithoutOneNothingIsCut(Jdk jdk, String mode, @TempDir Path dir) {
    int bodies = bodyHandlingCount();
    String download = "z".repeat(15);
    try (FaultServer tight = FaultServer.start(); FaultServer free = FaultServer.start()) {
      // status line and headers one byte every 100 ms: ~8 s
      tight.on("/head").respond(status(200).body("late").trickleHead(Duration.ofMillis(100)));
      // the head at once, then 60 bytes one every 100 ms: 6 s
      tight.on("/body").respond(status(200).body("y".repeat(60)).trickleBody(Duration.ofMillis(100)));
      // 1.5 s of body, far past the 300 ms attempt budget
      free.on("/download").respond(status(200).body(download).trickleBody(Duration.ofMillis(100)));
      Path config = SmokeApp.writeConfig(dir,
          "http:",
          "  defaults:",
          "    timeout: {connect: 1s, attempt: 300ms}",
          FAST_RETRY,
          QUIET_BREAKER,
          "  hosts:",
          "    \"" + tight.hostPort() + "\":",
          "  " + TIGHT_BUDGET);
      List<String> args = new ArrayList<>(List.of("--url", tight.url("/head")));
      for (int i = 0; i < bodies; i++) {
        args.addAll(List.of("--url", tight.url("/body")));
      }
      // four at a time: more would wait for HttpClient's pool (5 per route by default), not the server
      args.addAll(List.of("--url", free.url("/download"), "--calls", "" + (bodies + 2), "--concurrency", "4",
          "--mode", mode));

      AppRun run = cyclingBodyHandlings(app(jdk, dir), dir).config(config).args(args)
          .timeout(Duration.ofSeconds(30))
          .run();

      String why = why(run, tight) + "\nwithout a total: " + free.requests();
      assertEquals(0, run.exitCode(), why);
      AppCall head = run.call(0);
      assertTrue(timeoutExceptionTypes().contains(head.error), "the trickled head: one of " + timeoutExceptionTypes() + "\n" + why);
      assertTrue(head.ms >= 1000 && head.ms < 2500, "the trickled head ends at the 1.2 s total, took " + head.ms + "ms\n" + why);
      assertTrue(tight.requestCount("/head") <= 3, why);
      for (int i = 1; i <= bodies; i++) {
        AppCall body = run.call(i);
        assertNotNull(body.error, "call " + i + ": the trickled body is not complete by the total\n" + why);
        assertTrue(body.ms >= 1000 && body.ms < 2500, "call " + i + " ends at the 1.2 s total, took " + body.ms + "ms\n" + why);
      }
      assertEquals(bodies, tight.requestCount("/body"), "a response whose body is late is not retried\n" + why);
      AppCall healthy = run.call(bodies + 1);
      assertEquals(Integer.valueOf(200), healthy.status, why);
      assertEquals(AppCall.bodyOf(download), healthy.body, "without a total the whole body is read\n" + why);
      assertTrue(healthy.ms >= 1400, "in " + healthy.ms + "ms\n" + why);
      assertEquals(1, free.requestCount("/download"), why);
    }
  }

  /**
   * Random sequences of 5xx answers (random body sizes) and a 200 (random body), one per call, read in
   * every way the app has: the app gets exactly the final response's bytes, the server sees at most
   * maxAttempts requests per call, and no connection is left behind (a healthy call afterwards is quick).
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("jdksAndModes")
  void randomFailuresShowTheAppOnlyTheFinalResponse(Jdk jdk, String mode, @TempDir Path dir) {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    int calls = bodyHandlingCount() * 4;
    int[] failures = {500, 502, 503, 504};
    Set<Integer> retried = Set.of(502, 503, 504);
    try (FaultServer server = FaultServer.start()) {
      String[] expectedBody = new String[calls];
      int[] expectedStatus = new int[calls];
      int[] expectedRequests = new int[calls];
      for (int i = 0; i < calls; i++) {
        List<Behaviour> script = new ArrayList<>();
        int failuresBefore = random.nextInt(4);
        for (int f = 0; f < failuresBefore; f++) {
          script.add(status(failures[random.nextInt(failures.length)]).body(text(random, random.nextInt(20_000))));
        }
        script.add(status(200).body(text(random, random.nextInt(100_000))));
        server.on("/fuzz/" + i).respond(script.toArray(new Behaviour[0]));
        // the model: attempts go on while the status is retried and attempts remain (maxAttempts 3)
        int n = 0;
        while (true) {
          Behaviour b = script.get(n);
          n++;
          if (n == 3 || b.statusCode() == 200 || !retried.contains(b.statusCode())) {
            expectedStatus[i] = b.statusCode();
            expectedBody[i] = b.bodyText();
            expectedRequests[i] = n;
            break;
          }
        }
      }
      Path config = SmokeApp.writeConfig(dir, "http:", "  defaults:", "    timeout: {connect: 1s, attempt: 5s, total: 20s}",
          FAST_RETRY, QUIET_BREAKER);

      // and last, once the others are done, a healthy call: a connection left behind would hold it up
      server.on("/fuzz/" + calls).respond(status(200).body("healthy"));
      AppRun run = cyclingBodyHandlings(app(jdk, dir), dir).config(config)
          .args("--url", server.url("/fuzz/{i}"), "--mode", mode, "--calls", "" + (calls + 1), "--concurrency", "4",
              "--pause-before-call", calls + ":1500")
          .timeout(Duration.ofSeconds(60))
          .run();

      String why = "seed " + seed + "\n" + why(run, server);
      assertEquals(0, run.exitCode(), why);
      for (int i = 0; i < calls; i++) {
        AppCall call = run.call(i);
        assertEquals(Integer.valueOf(expectedStatus[i]), call.status, "call " + i + "\n" + why);
        assertEquals(AppCall.bodyOf(expectedBody[i]), call.body, "call " + i + ": exactly the final response's bytes\n" + why);
        assertEquals(expectedRequests[i], server.requestCount("/fuzz/" + i), "call " + i + "\n" + why);
      }
      assertFalse(run.stderr().toLowerCase(java.util.Locale.ROOT).contains("leak"), "no leaked connection reported\n" + why);
      AppCall healthy = run.call(calls);
      assertEquals(Integer.valueOf(200), healthy.status, why);
      assertTrue(healthy.ms < 1000, "the healthy call completes at once, took " + healthy.ms + "ms\n" + why);
    }
  }

  // ---- interrupts ----

  /**
   * The exception the app gets when its thread is interrupted while a blocking call waits in Levee (a
   * backoff): the client's own for an interrupt. Null where the blocking call is the app's own wait on a
   * future (Apache's async client): the interrupt reaches the app's {@code get}, never Levee.
   */
  protected String interruptedCallExceptionType() {
    return null;
  }

  /**
   * Whether the interrupt flag is still set when that exception reaches the app: an
   * {@code InterruptedIOException} keeps it (as the client's own waits do), an {@code InterruptedException}
   * has consumed it (as the JDK's own {@code send} does).
   */
  protected boolean interruptFlagKept() {
    return true;
  }

  /**
   * The app's thread is interrupted while Levee waits out a 503's Retry-After before the next attempt:
   * the call ends at once with the client's own exception for an interrupt, the flag as the client leaves
   * it, and no further attempt.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void anInterruptDuringLeveesBackoffEndsTheCallAtOnceAsTheClientsOwn(Jdk jdk, @TempDir Path dir) {
    org.junit.jupiter.api.Assumptions.assumeTrue(interruptedCallExceptionType() != null, "no blocking call of Levee's");
    try (FaultServer server = FaultServer.start()) {
      server.on("/busy").respond(status(503).header("Retry-After", "5"));
      Path config = SmokeApp.writeConfig(dir, "http:", "  defaults:", "    timeout: {connect: 1s, attempt: 5s, total: 20s}",
          "    retry: {maxAttempts: 3, initialBackoff: 10ms, maxBackoff: 10s}", QUIET_BREAKER);
      AppRun run = app(jdk, dir).config(config)
          .args("--url", server.url("/busy"), "--interrupt-after-ms", "1000")
          .timeout(Duration.ofSeconds(30))
          .run();

      String why = why(run, server);
      AppCall call = run.call(0);
      assertEquals(interruptedCallExceptionType(), call.error, why);
      assertTrue(call.ms < 2500, "ended at once, not after the 5 s wait: " + call.ms + " ms\n" + why);
      assertEquals(String.valueOf(interruptFlagKept()), run.keyValues().get("interrupted-flag-0"), why);
      assertEquals(1, server.requestCount("/busy"), "no attempt after the interrupt\n" + why);
    }
  }

  // ---- Levee's timer is Levee's ----

  /**
   * An async call's outcome reaches the app on the client's threads or a pool's, never on Levee's timer
   * (where one slow callback would hold up every backoff, attempt timeout and statement cancel in the JVM):
   * a rejection after a bulkhead wait, an attempt Levee's timeout ends, a retry after a backoff.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void asyncOutcomesNeverReachTheAppOnLeveesTimer(Jdk jdk, @TempDir Path dir) {
    org.junit.jupiter.api.Assumptions.assumeTrue(supportedModes().contains("async"), "no async API");
    // three hosts, three bulkheads: only calls 0 and 1 compete for one
    try (FaultServer server = FaultServer.start(); FaultServer hanging = FaultServer.start();
        FaultServer flaky = FaultServer.start()) {
      server.on("/slow").respond(ok().after(Duration.ofMillis(600)));
      server.on("/queued").respond(ok());
      hanging.on("/hang").respond(hang());
      flaky.on("/flaky").respond(status(503), ok());
      Path config = SmokeApp.writeConfig(dir, "http:", "  defaults:", "    timeout: {connect: 1s, attempt: 800ms, total: 20s}",
          "    retry: {maxAttempts: 2, initialBackoff: 50ms, maxBackoff: 100ms}", QUIET_BREAKER,
          "    bulkhead: {maxConcurrentCalls: 1, maxWaitDuration: 200ms}");
      AppRun run = app(jdk, dir).config(config)
          .args("--url", server.url("/slow"), "--url", server.url("/queued"), "--url", hanging.url("/hang"),
              "--url", flaky.url("/flaky"), "--mode", "async", "--calls", "4", "--concurrency", "2")
          .timeout(Duration.ofSeconds(30))
          .run();

      String why = why(run, server);
      assertEquals(0, run.exitCode(), why);
      assertTrue(run.call(1).message != null && run.call(1).message.contains("bulkhead full"), "call 1 waited and was refused\n" + why);
      assertTrue(timeoutExceptionTypes().contains(run.call(2).error), "call 2 ran out of time\n" + why);
      assertEquals(Integer.valueOf(200), run.call(3).status, "call 3 retried after a backoff\n" + why);
      for (int i = 0; i < 4; i++) {
        AppCall call = run.call(i);
        assertNotNull(call.thread, why);
        assertFalse(call.thread.startsWith("levee"), "call " + i + " reached the app on " + call.thread + "\n" + why);
      }
    }
  }

  // ---- fail open ----

  /** Whether this line runs the fault-injection scenario (the newest line of each library does). */
  protected boolean runsFaultInjection() {
    return true;
  }

  /** Steps of Levee's own ({@link InjectedFaults#STEPS}) a call of this client in {@code mode} never takes. */
  protected Set<String> stepsNotTaken(String mode) {
    return Set.of();
  }

  /**
   * Each step of Levee's own fails in turn, in each way it can ({@link InjectedFaults}), while the app calls a
   * healthy path, one answered 502 (which Levee retries) and a port that refuses: every call ends exactly as
   * it does for the same app without the agent, status, body and exception alike. The bulkhead admits one
   * call at a time, so a permit left taken by any fault would refuse the calls after it; every step threw,
   * so none was skipped.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("jdksAndModes")
  void aFaultAtAnyStepOfLeveesOwnLeavesTheAppAsWithoutLevee(Jdk jdk, String mode, @TempDir Path dir) {
    org.junit.jupiter.api.Assumptions.assumeTrue(runsFaultInjection(), "the newest line of the library covers it");
    try (FaultServer server = FaultServer.start()) {
      server.on("/fine").respond(status(200).body("fine"));
      server.on("/bad-gateway").respond(status(502).body("try later"));
      String refused = "http://127.0.0.1:" + InjectedFaults.refusedPort() + "/refused";
      Path config = SmokeApp.writeConfig(dir, "http:", "  defaults:", "    timeout: {connect: 1s, attempt: 5s, total: 20s}",
          FAST_RETRY, QUIET_BREAKER, "    bulkhead: {maxConcurrentCalls: 1, maxWaitDuration: 0ms}");
      int perFault = 3;
      List<String> args = new ArrayList<>(List.of("--url", server.url("/fine"), "--url", server.url("/bad-gateway"),
          "--url", refused, "--mode", mode, "--calls", "" + InjectedFaults.calls(perFault)));
      args.addAll(InjectedFaults.appArgs(perFault));

      AppRun bare = app(jdk, dir).withoutAgent().args(args).timeout(Duration.ofSeconds(60)).run();
      AppRun levee = app(jdk, dir).config(config).systemProperty("levee.test.fault", "none").args(args)
          .timeout(Duration.ofSeconds(60)).run();

      String why = "without the agent:\n" + bare.describe() + "\nwith it:\n" + why(levee, server);
      assertEquals(0, bare.exitCode(), why);
      assertEquals(0, levee.exitCode(), why);
      for (int i = 0; i < InjectedFaults.calls(perFault); i++) {
        assertEquals(seenByTheApp(bare.call(i)), seenByTheApp(levee.call(i)),
            "call " + i + " with " + InjectedFaults.faultOf(i, perFault) + "\n" + why);
      }
      List<String> neverThrown = new ArrayList<>(InjectedFaults.neverThrown(levee.stderr()));
      neverThrown.removeAll(stepsNotTaken(mode));
      assertEquals(List.of(), neverThrown, "every step threw its faults\n" + why);
    }
  }

  /** What the app saw of a call: the status and body it read, or the exception's class and message. */
  private static String seenByTheApp(AppCall call) {
    assertNotNull(call, "the app reported the call");
    return call.succeeded() ? call.status + " " + call.body : call.error + ": " + call.message;
  }

  /** {@code length} printable characters. */
  private static String text(Random random, int length) {
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      chars[i] = (char) ('a' + random.nextInt(26));
    }
    return new String(chars);
  }

  // ---- helpers ----

  /** The app under test, run from {@code dir} (so no stray resilience.yaml is found). */
  SmokeApp.Builder app(Jdk jdk, Path dir) {
    return SmokeApp.launch(jdk, appMainClass())
        .classpath(appLibraries().toArray(new Path[0]))
        .workingDirectory(dir);
  }

  /** Everything needed to understand a failure: the run and what the server recorded. */
  /**
   * The app stops its request from another thread ({@code --cancel-after-ms}: HttpClient 4's {@code abort()},
   * HttpClient 5's {@code cancel()}) while the server hangs: with Levee the attempt in flight (a copy of Levee's)
   * ends at once too, with the exception the client throws without Levee, and is not retried.
   *
   * @param what "an abort", "a cancel": for the messages
   */
  void theAppsStopEndsTheAttemptInFlightAsWithoutLevee(Jdk jdk, Path dir, String what) {
    try (FaultServer server = FaultServer.start()) {
      server.on("/hang").respond(hang());
      Path config = SmokeApp.writeConfig(dir, "http:", "  defaults:", "    timeout: {connect: 1s, attempt: 5s, total: 20s}",
          FAST_RETRY, QUIET_BREAKER);
      List<String> args = List.of("--url", server.url("/hang"), "--cancel-after-ms", "500", "--warmup-url", server.url("/warm"));

      AppRun without = app(jdk, dir).withoutAgent().args(args).timeout(Duration.ofSeconds(30)).run();
      int bareRequests = server.requestCount("/hang");
      AppRun with = app(jdk, dir).config(config).args(args).timeout(Duration.ofSeconds(30)).run();

      String why = "without the agent:\n" + without.describe() + "\nwith it:\n" + why(with, server);
      assertEquals(0, with.exitCode(), why);
      assertEquals(1, bareRequests, why);
      assertNotNull(without.call(0).error, why);
      assertEquals(without.call(0).error, with.call(0).error, "the exception the client throws for " + what + "\n" + why);
      assertTrue(with.call(0).ms >= 400 && with.call(0).ms < 2500, "ended by " + what + " at 500 ms: " + with.call(0).ms + "ms\n" + why);
      assertEquals(2, server.requestCount("/hang"), "one request each: a call the app stopped is not retried\n" + why);
    }
  }

  static String why(AppRun run, FaultServer server) {
    StringBuilder s = new StringBuilder(run.describe()).append("\nserver ").append(server.hostPort()).append(" saw:");
    for (RecordedRequest r : server.requests()) {
      s.append("\n  ").append(r);
    }
    return s.toString();
  }

  /**
   * Stderr without the report of the app's own unbounded pool ({@code CallLoop}'s single-thread executor):
   * issue 13 has Levee name every such pool's creation site at startup and its high-water mark at exit.
   */
  static List<String> withoutPoolReport(List<String> stderr) {
    return stderr.stream()
        .filter(l -> !(l.startsWith("levee: executors: ") && l.contains("unbounded queue")))
        .collect(Collectors.toList());
  }
}
