package dev.levee.smoke;

import static dev.levee.testkit.Behaviour.reset;
import static dev.levee.testkit.Behaviour.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.smoke.apps.OkHttpApp;
import dev.levee.smoke.apps.OkHttpExtrasApp;
import dev.levee.testkit.FaultServer;
import dev.levee.testkit.Jdk;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OkHttp: the shared scenario list, sync ({@code Call.execute}) and async ({@code Call.enqueue}), plus what
 * only OkHttp has: its own retries, its interceptors and event listeners, connection reuse across 1,000
 * retried calls, and a breaker shared with the JDK HttpClient. One subclass per OkHttp major version: the
 * same app classes run on that version's jars, copied by the pom into {@code target/okhttp/<major>/}.
 */
abstract class OkHttpScenarios extends AbstractHttpClientScenarios {

  /** 3, 4 or 5: the folder under {@code target/okhttp/} and the version the app must load. */
  protected abstract int okHttpMajorVersion();

  @Override
  protected String appMainClass() {
    return OkHttpApp.class.getName();
  }

  @Override
  protected int bodyHandlingCount() {
    return OkHttpApp.BODY_HANDLINGS.length;
  }

  /**
   * A blocking call schedules nothing on Levee's timer: OkHttp's own call timeout bounds each attempt, and a
   * backoff is a sleep on the caller's thread.
   */
  @Override
  protected Set<String> stepsNotTaken(String mode) {
    return mode.equals("sync") ? Set.of("schedule") : Set.of();
  }

  @Override
  protected Set<String> timeoutExceptionTypes() {
    // OkHttp's call timeout; a read timeout is its subclass
    return new HashSet<>(Arrays.asList("java.io.InterruptedIOException", "java.net.SocketTimeoutException"));
  }

  @Override
  protected Set<String> cancelledCallExceptionTypes() {
    // Callback.onFailure(call, IOException("Canceled")), as OkHttp reports a cancelled call
    return Collections.singleton("java.io.IOException");
  }

  @Override
  protected List<Path> appLibraries() {
    return jars(okHttpMajorVersion());
  }

  /** The jars of OkHttp {@code major} (3, 4 or 5) and its dependencies, copied by the pom. */
  static List<Path> jars(int major) {
    return SmokeApp.jarsIn(LeveeAgentJar.repoRoot().resolve("smoke-tests/target/okhttp").resolve(Integer.toString(major)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("jdksAndModes")
  void aServerThatDropsSeesExactlyMaxAttemptsOverHttp2(Jdk jdk, String mode, @TempDir Path dir) {
    H2cServer.assertDropsSeeExactlyMaxAttempts(d -> app(jdk, d).args("--version", "HTTP_2"), dir, mode);
  }



  SmokeApp.Builder extras(Jdk jdk, Path dir) {
    return SmokeApp.launch(jdk, OkHttpExtrasApp.class.getName())
        .classpath(appLibraries().toArray(new Path[0]))
        .workingDirectory(dir);
  }

  private void assertOkHttpVersion(AppRun run, String why) {
    String jar = run.keyValues().get("okhttp.jar");
    assertTrue(jar != null && jar.contains("/okhttp-" + (okHttpMajorVersion() == 5 ? "jvm-" : "") + okHttpMajorVersion() + "."),
        "the app runs on OkHttp " + okHttpMajorVersion() + ", loaded " + jar + "\n" + why);
  }

  // ---- OkHttp's own retries do not multiply Levee's ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void retryOnConnectionFailureDoesNotMultiplyAttempts(Jdk jdk, @TempDir Path dir) {
    try (FaultServer server = FaultServer.start()) {
      server.on("/reset").respond(reset());
      Path config = SmokeApp.writeConfig(dir, "http:", "  defaults:", FAST_RETRY, QUIET_BREAKER);
      // the warmup pools a connection: on a reused connection that breaks, OkHttp resends by itself
      String[] args = {"--warmup-url", server.url("/warmup"), "--url", server.url("/reset")};

      AppRun bare = app(jdk, dir).withoutAgent().args(args).run();
      int okHttpAlone = server.requestCount("/reset");
      AppRun run = app(jdk, dir).config(config).args(args).run();

      String why = why(run, server) + "\nwithout the agent:\n" + bare.describe();
      // OkHttp 4.12 resends once, 3.14 and 5.x twice
      assertTrue(okHttpAlone >= 2, "control: OkHttp's default retryOnConnectionFailure(true) resent it\n" + why);
      assertEquals(0, run.exitCode(), why);
      assertTrue(run.call(0).error != null, why);
      assertEquals(3, server.requestCount("/reset") - okHttpAlone, "exactly maxAttempts reach the server\n" + why);
    }
  }

  // ---- the app's interceptors and event listeners see every attempt ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void interceptorsAndEventListenersSeeEveryAttempt(Jdk jdk, @TempDir Path dir) {
    try (FaultServer server = FaultServer.start()) {
      server.on("/flaky").respond(status(503), status(503), status(200), status(503), status(503), status(200));
      Path config = SmokeApp.writeConfig(dir, "http:", "  defaults:", WITH_TOTAL, FAST_RETRY, QUIET_BREAKER);

      AppRun run = extras(jdk, dir).config(config).args("interceptors", server.url("/flaky")).run();

      String why = why(run, server);
      assertEquals(0, run.exitCode(), why);
      assertOkHttpVersion(run, why);
      assertTrue(run.stderrLines().get(0).matches("levee .*; instrumentations .*okhttp.*"), "okhttp is on\n" + why);
      assertEquals(Integer.valueOf(200), run.call(0).status, "sync\n" + why);
      assertEquals(Integer.valueOf(200), run.call(1).status, "async\n" + why);
      Map<String, String> v = run.keyValues();
      assertEquals("6", v.get("interceptor.application"), why);
      assertEquals("6", v.get("interceptor.applicationWithDeadline"), "each attempt carries the deadline header\n" + why);
      assertEquals("6", v.get("interceptor.network"), why);
      assertEquals("6", v.get("listener.callStart"), why);
      assertEquals("6", v.get("listener.responseHeadersEnd"), why);
      assertEquals(6, server.requestCount("/flaky"), why);
    }
  }

  // ---- retried responses are closed: 1,000 retried calls, then the pool still serves at once ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void aThousandRetriedCallsLeakNoConnection(Jdk jdk, @TempDir Path dir) {
    int calls = 1000;
    try (FaultServer server = FaultServer.start()) {
      server.on("/always503").respond(status(503));
      Path config = SmokeApp.writeConfig(dir,
          "http:",
          "  defaults:",
          // no retry budget: every call makes its 3 attempts, 2,000 retried responses to close
          "    retry: {maxAttempts: 3, initialBackoff: 1ms, maxBackoff: 1ms, budget: none}",
          "    circuitBreaker: {slidingWindowSize: 10000, minimumNumberOfCalls: 10000}");

      AppRun run = extras(jdk, dir).config(config)
          .args("leak", server.url("/always503"), server.url("/healthy"), Integer.toString(calls))
          .timeout(java.time.Duration.ofSeconds(90))
          .run();

      String why = why(run, server).replaceAll("(?s)(server .*? saw:\n(?:[^\n]*\n){5}).*", "$1  ...");
      Map<String, String> v = run.keyValues();
      assertEquals(0, run.exitCode(), why);
      assertOkHttpVersion(run, why);
      assertEquals(Integer.toString(calls), v.get("calls.status503"), why);
      assertEquals(3 * calls, server.requestCount("/always503"), "every call retried to maxAttempts\n" + why);
      AppCall healthy = run.call(0);
      assertEquals(Integer.valueOf(200), healthy.status, why);
      assertTrue(healthy.ms < 1000, "the pool serves a healthy call at once, took " + healthy.ms + "ms\n" + why);
      assertTrue(server.connectionCount() <= 3, "connections were reused, not leaked: the server accepted "
          + server.connectionCount() + " for " + (3 * calls + 1) + " requests\n" + why);
      assertTrue(Integer.parseInt(v.get("pool.connections")) <= 2, why);
    }
  }

  // ---- one breaker per host, whichever library calls it ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void theBreakerOfAHostIsSharedWithTheJdkHttpClient(Jdk jdk, @TempDir Path dir) {
    try (FaultServer hostA = FaultServer.start(); FaultServer hostB = FaultServer.start()) {
      hostA.on("/down").respond(status(500));
      hostB.on("/down").respond(status(500));
      Path config = SmokeApp.writeConfig(dir,
          "http:",
          "  defaults:",
          "    retry: {maxAttempts: 1}",
          "    circuitBreaker: {slidingWindowSize: 3, minimumNumberOfCalls: 3, waitDurationInOpenState: 1m}");
      List<String> args = new ArrayList<>(Collections.singletonList("clients"));
      for (int i = 0; i < 3; i++) {
        args.add("okhttp:" + hostA.url("/down"));
      }
      args.add("jdk:" + hostA.url("/down")); // call 3: refused by the breaker OkHttp's calls opened
      for (int i = 0; i < 3; i++) {
        args.add("jdk:" + hostB.url("/down"));
      }
      args.add("okhttp:" + hostB.url("/down")); // call 7: refused by the breaker the JDK client's calls opened

      AppRun run = extras(jdk, dir).config(config).args(args).run();

      String why = why(run, hostA) + "\nhost B: " + hostB.requests();
      assertEquals(0, run.exitCode(), why);
      for (int i : new int[] {0, 1, 2, 4, 5, 6}) {
        assertEquals(Integer.valueOf(500), run.call(i).status, "call " + i + "\n" + why);
      }
      AppCall jdkRefused = run.call(3);
      assertTrue(jdkRefused.message != null && jdkRefused.message.contains("levee: circuit open for " + hostA.hostPort()),
          "the JDK client's call fails fast\n" + why);
      AppCall okHttpRefused = run.call(7);
      assertTrue(okHttpRefused.message != null && okHttpRefused.message.contains("levee: circuit open for " + hostB.hostPort()),
          "OkHttp's call fails fast\n" + why);
      assertEquals(3, hostA.requestCount("/down"), why);
      assertEquals(3, hostB.requestCount("/down"), why);
    }
  }

  @Override
  protected String interruptedCallExceptionType() {
    return "java.io.InterruptedIOException";
  }
}
