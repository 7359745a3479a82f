package dev.levee.smoke;

import static dev.levee.testkit.Behaviour.closeWithoutResponse;
import static dev.levee.testkit.Behaviour.hang;
import static dev.levee.testkit.Behaviour.reset;
import static dev.levee.testkit.Behaviour.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.smoke.apps.ApacheClassic4App;
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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Apache HttpClient 4 (the classic client, on one library version): the shared scenario list, plus what is
 * particular to HttpClient 4: every way of building a client (the builder's, the minimal one, the deprecated
 * {@code DefaultHttpClient}) is protected alike, the client's own retries (its default retry handler, one the
 * app set, a {@code ServiceUnavailableRetryStrategy}) never multiply Levee's attempts, and the connection
 * pool (2 connections per route by default) does not leak under a thousand failing calls.
 */
abstract class AbstractApache4Scenarios extends AbstractHttpClientScenarios {

  /** The HttpClient 4 version whose jars the app runs on. */
  protected abstract String libraryVersion();

  @Override
  protected String appMainClass() {
    return ApacheClassic4App.class.getName();
  }

  @Override
  protected List<String> supportedModes() {
    return Collections.singletonList("sync");
  }

  @Override
  protected Set<String> timeoutExceptionTypes() {
    // what HttpClient throws for a read timeout; ConnectTimeoutException would mean the connect
    return Collections.singleton("java.net.SocketTimeoutException");
  }

  @Override
  protected String interruptedCallExceptionType() {
    return "java.io.InterruptedIOException";
  }

  @Override
  protected List<Path> appLibraries() {
    return apache4Jars(libraryVersion());
  }

  /** string, handler, stream, bytes, host-handler: see {@link ApacheClassic4App}. */
  @Override
  protected int bodyHandlingCount() {
    return 5;
  }

  /** The jars of one HttpClient 4 version, copied by this module's pom into target/apache-httpclient4/. */
  static List<Path> apache4Jars(String version) {
    return SmokeApp.jarsIn(SmokeApp.copiedLibraries("levee.apache4.jars", "apache-httpclient4").resolve(version));
  }

  static String newestVersion() {
    return System.getProperty("levee.apache4.newest", "4.5.14");
  }

  static String olderVersion() {
    return System.getProperty("levee.apache4.older", "4.3.6");
  }

  /** JDK 17 only: what is particular to HttpClient 4 does not differ between JDKs. */
  Stream<Jdk> jdk17() {
    return Stream.of(Jdk.current17());
  }

  // ---- every shape of client ----

  static Stream<String> clientShapes() {
    return Stream.of("cycle", "minimal", "deprecated");
  }

  /**
   * The builder's clients (createDefault, custom, HttpClientBuilder, createSystem, in turn), the minimal one
   * and the deprecated {@code DefaultHttpClient}: a 503 is retried with the deadline header, a hanging host
   * ends at the total, and a server that reads and drops sees exactly maxAttempts requests (each client's own
   * retry handler, where it has one, would have re-sent every attempt).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("clientShapes")
  void everyShapeOfClientIsProtected(String client, @TempDir Path dir) {
    try (FaultServer server = FaultServer.start()) {
      for (int i = 0; i < 4; i++) {
        server.on("/flaky" + i).respond(status(503), status(200));
      }
      server.on("/hang").respond(hang());
      server.on("/drop").respond(closeWithoutResponse());
      Path config = SmokeApp.writeConfig(dir, "http:", "  defaults:", "    timeout: {connect: 1s, attempt: 500ms, total: 1500ms}",
          FAST_RETRY, QUIET_BREAKER);
      List<String> args = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        args.addAll(List.of("--url", server.url("/flaky" + i)));
      }
      args.addAll(List.of("--url", server.url("/hang"), "--url", server.url("/drop"), "--calls", "6"));

      AppRun run = app(Jdk.current17(), dir).config(config).systemProperty("app.client", client)
          .args(args).timeout(Duration.ofSeconds(30)).run();

      String why = why(run, server);
      assertEquals(0, run.exitCode(), why);
      for (int i = 0; i < 4; i++) {
        assertEquals(Integer.valueOf(200), run.call(i).status, "call " + i + "\n" + why);
        List<RecordedRequest> seen = server.requests("/flaky" + i);
        assertEquals(2, seen.size(), "call " + i + ": the 503 and the retry\n" + why);
        for (RecordedRequest r : seen) {
          assertNotNull(r.header("X-Request-Deadline"), "call " + i + " carries the deadline\n" + why);
        }
      }
      AppCall hung = run.call(4);
      assertTrue(timeoutExceptionTypes().contains(hung.error), why);
      assertTrue(hung.ms >= 1200 && hung.ms < 4000, "the 1.5 s total ends it, took " + hung.ms + "ms\n" + why);
      assertNotNull(run.call(5).error, why);
      assertEquals(3, server.requestCount("/drop"), "exactly maxAttempts\n" + why);
    }
  }

  // ---- the client's own retries ----

  /**
   * A client that retries by itself (an I/O failure 5 times, POST included; a 503 3 times): without Levee a
   * server sees 4 requests for a 503 and 6 for a dropped GET; with Levee exactly maxAttempts, and a POST that
   * may have been processed once.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdk17")
  void theAppsOwnRetryHandlerAndStrategyNeverMultiplyLevees(Jdk jdk, @TempDir Path dir) {
    try (FaultServer bare = FaultServer.start(); FaultServer levee = FaultServer.start()) {
      for (FaultServer server : List.of(bare, levee)) {
        server.on("/unavailable").respond(status(503));
        server.on("/drop").respond(closeWithoutResponse());
        server.on("/order").respond(closeWithoutResponse());
      }
      Path config = SmokeApp.writeConfig(dir, "http:", "  defaults:",
          "    retry: {maxAttempts: 2, initialBackoff: 10ms, maxBackoff: 20ms}", QUIET_BREAKER);

      AppRun without = app(jdk, dir).withoutAgent().systemProperty("app.client", "own-retries")
          .args(args(bare)).timeout(Duration.ofSeconds(30)).run();
      AppRun with = app(jdk, dir).config(config).systemProperty("app.client", "own-retries")
          .args(args(levee)).timeout(Duration.ofSeconds(30)).run();

      String why = "without the agent:\n" + why(without, bare) + "\nwith it:\n" + why(with, levee);
      assertEquals(0, without.exitCode(), why);
      assertEquals(0, with.exitCode(), why);
      assertEquals(4, bare.requestCount("/unavailable"), "the strategy's own: 1 + 3\n" + why);
      assertEquals(6, bare.requestCount("/drop"), "the handler's own: 1 + 5\n" + why);
      assertEquals(Integer.valueOf(503), with.call(0).status, why);
      assertEquals(2, levee.requestCount("/unavailable"), "exactly maxAttempts\n" + why);
      assertEquals(2, levee.requestCount("/drop"), "exactly maxAttempts\n" + why);
      assertEquals(1, levee.requestCount("/order"), "a POST that may have been processed is sent once\n" + why);
      for (int i = 1; i < 3; i++) {
        assertEquals(without.call(i).error, with.call(i).error, "the exception HttpClient itself throws\n" + why);
      }
    }
  }

  /**
   * The problem, reproduced: {@code HttpClients.createDefault()}'s {@code DefaultHttpRequestRetryHandler}
   * re-sends a GET that a server reads and drops 3 more times by itself; under Levee with maxAttempts 1 the
   * server sees one request.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdk17")
  void theDefaultClientResendsByItselfWithoutLeveeAndNeverWithIt(Jdk jdk, @TempDir Path dir) {
    try (FaultServer bare = FaultServer.start(); FaultServer levee = FaultServer.start()) {
      bare.on("/drop").respond(closeWithoutResponse());
      levee.on("/drop").respond(closeWithoutResponse());
      Path config = SmokeApp.writeConfig(dir, "http:", "  defaults:", "    retry: {maxAttempts: 1}", QUIET_BREAKER);

      AppRun without = app(jdk, dir).withoutAgent().args("--url", bare.url("/drop")).run();
      AppRun with = app(jdk, dir).config(config).args("--url", levee.url("/drop")).run();

      String why = "without the agent:\n" + why(without, bare) + "\nwith it:\n" + why(with, levee);
      assertEquals(4, bare.requestCount("/drop"), "the default handler's own: 1 + 3\n" + why);
      assertEquals(1, levee.requestCount("/drop"), why);
      assertEquals(without.call(0).error, with.call(0).error, "NoHttpResponseException either way\n" + why);
    }
  }

  /**
   * The app aborts its request from another thread ({@code HttpUriRequest.abort()}) while the server hangs:
   * with Levee the attempt in flight (a copy of Levee's) ends at once too, with the exception HttpClient
   * throws without Levee, and is not retried.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdk17")
  void theAppsAbortEndsTheAttemptInFlightAsWithoutLevee(Jdk jdk, @TempDir Path dir) {
    theAppsStopEndsTheAttemptInFlightAsWithoutLevee(jdk, dir, "an abort");
  }

  private static List<String> args(FaultServer server) {
    return List.of("--url", server.url("/unavailable"), "--url", server.url("/drop"), "--url", server.url("/order"),
        "--method", "GET", "--method", "GET", "--method", "POST", "--body", "{}", "--calls", "3");
  }

  // ---- the connection pool ----

  /**
   * A thousand failing calls through the default client's pool (2 connections per route): 503s (retried, so
   * read and closed by Levee), resets, connections closed without a response, and every 100th call a hang that
   * the attempt timeout ends. Then a healthy call completes at once: no pooled connection was left behind.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdk17")
  void aThousandFailingCallsLeakNoPooledConnection(Jdk jdk, @TempDir Path dir) {
    int failing = 1000;
    int maxAttempts = 3;
    try (FaultServer server = FaultServer.start()) {
      server.on("/503").respond(status(503).body("busy"));
      server.on("/reset").respond(reset());
      server.on("/close").respond(closeWithoutResponse());
      server.on("/hang").respond(hang());
      List<String> args = new ArrayList<>();
      for (int call = 0; call < failing; call++) {
        String path = call % 100 == 99 ? "/hang" : call % 3 == 0 ? "/503" : call % 3 == 1 ? "/reset" : "/close";
        args.add("--url");
        args.add(server.url(path));
      }
      args.addAll(List.of("--url", server.url("/ok"), "--calls", "" + (failing + 1)));
      Path config = SmokeApp.writeConfig(dir,
          "http:",
          "  defaults:",
          "    timeout: {connect: 1s, attempt: 150ms, total: 5s}",
          "    retry: {maxAttempts: " + maxAttempts + ", initialBackoff: 1ms, maxBackoff: 1ms}",
          "    circuitBreaker: {slidingWindowSize: 10000, minimumNumberOfCalls: 10000}");

      AppRun run = app(jdk, dir).config(config).args(args).timeout(Duration.ofSeconds(120)).run();

      List<AppCall> all = run.calls();
      String why = "server saw " + server.requests().size() + " requests; last calls:\n"
          + all.subList(Math.max(0, all.size() - 12), all.size()).stream().map(String::valueOf).collect(Collectors.joining("\n"))
          + "\nstderr:\n" + run.stderr();
      assertEquals(0, run.exitCode(), why);
      assertEquals(failing + 1, all.size(), why);
      for (int i = 0; i < failing; i++) {
        AppCall c = run.call(i);
        assertTrue(c.succeeded() ? c.status == 503 : c.error != null, "call " + i + " fails as the server made it fail\n" + c + "\n" + why);
      }
      AppCall healthy = run.call(failing);
      assertEquals(Integer.valueOf(200), healthy.status, "the healthy call after them\n" + why);
      assertTrue(healthy.ms < 1000, "and at once, not after waiting for a pooled connection\n" + why);
      assertTrue(server.requests().size() <= failing * maxAttempts + 1, "never more than maxAttempts per call\n" + why);
      int hung = server.requestCount("/hang");
      assertTrue(hung >= 10 && hung <= 10 * maxAttempts, "hung attempts sent: " + hung + "\n" + why);
    }
  }
}
