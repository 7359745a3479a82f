package dev.levee.smoke;

import static dev.levee.testkit.Behaviour.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.smoke.apps.ApacheClassic4App;
import dev.levee.smoke.apps.ApacheClassicApp;
import dev.levee.smoke.apps.HttpUrlConnectionApp;
import dev.levee.smoke.apps.JdkHttpClientApp;
import dev.levee.smoke.apps.OkHttpApp;
import dev.levee.testkit.FaultServer;
import dev.levee.testkit.Jdk;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 13's retry storm, in one unmodified app per client library and JDK: 1,000 GETs to a dependency that
 * fails every one ({@code maxAttempts: 3}) send it 3,000 requests without a retry budget and at most ~1,300
 * with the default one, while a flaky GET (one call in ten fails once) still recovers; and a rate limiter
 * refuses with the client's own exception type. One JVM does all four, one target each, calls interleaved:
 *
 * <ul>
 *   <li>A: always 503, the default budget;
 *   <li>B: always 503, {@code budget: none};
 *   <li>C: healthy but flaky, the default budget;
 *   <li>D: healthy, {@code rateLimiter: {limitForPeriod: 1, limitRefreshPeriod: 1m}}.
 * </ul>
 *
 * The breaker records connect failures only: it would otherwise stop the storm itself, and this measures
 * the budget alone.
 */
class RetryStormSmokeTest {

  static final int CALLS_PER_TARGET = 1000;

  static Stream<Arguments> librariesAndJdks() {
    List<Arguments> all = new ArrayList<>();
    List<Jdk> jdks = SmokeJdks.both().collect(java.util.stream.Collectors.toList());
    for (Jdk jdk : jdks) {
      all.add(Arguments.of("jdk-httpclient", jdk, "sync"));
      all.add(Arguments.of("okhttp", jdk, "sync"));
      all.add(Arguments.of("apache-httpclient5", jdk, "sync"));
      all.add(Arguments.of("httpurlconnection", jdk, "sync"));
    }
    all.add(Arguments.of("apache-httpclient4", jdks.get(0), "sync")); // the classic client's pipeline: JDK 17 proves it
    // the non-blocking pipeline (budget, a rate limit on Levee's timer): once per JDK, not per library
    all.add(Arguments.of("jdk-httpclient", jdks.get(0), "async"));
    all.add(Arguments.of("okhttp", jdks.get(1), "async"));
    return all.stream();
  }

  static SmokeApp.Builder app(String library, Jdk jdk) {
    switch (library) {
      case "okhttp":
        return SmokeApp.launch(jdk, OkHttpApp.class.getName())
            .classpath(OkHttpScenarios.jars(4).toArray(new Path[0]));
      case "apache-httpclient5":
        return SmokeApp.launch(jdk, ApacheClassicApp.class.getName())
            .classpath(AbstractApacheScenarios.apacheJars(AbstractApacheScenarios.newestVersion()).toArray(new Path[0]));
      case "apache-httpclient4":
        return SmokeApp.launch(jdk, ApacheClassic4App.class.getName())
            .classpath(AbstractApache4Scenarios.apache4Jars(AbstractApache4Scenarios.newestVersion()).toArray(new Path[0]));
      case "httpurlconnection":
        return SmokeApp.launch(jdk, HttpUrlConnectionApp.class.getName());
      default:
        return SmokeApp.launch(jdk, JdkHttpClientApp.class.getName());
    }
  }

  @ParameterizedTest(name = "{0} {2} on {1}")
  @MethodSource("librariesAndJdks")
  void theBudgetHoldsTheStormAFlakyGetRecoversAndARateLimitRefuses(String library, Jdk jdk, String mode,
      @TempDir Path dir) {
    SmokeJdks.assumeAvailable(jdk);
    try (FaultServer a = FaultServer.start(); FaultServer b = FaultServer.start(); FaultServer c = FaultServer.start();
        FaultServer d = FaultServer.start()) {
      a.on("/fail").respond(status(503));
      b.on("/fail").respond(status(503));
      int calls = 4 * CALLS_PER_TARGET;
      int flaky = 0;
      for (int i = 2; i < calls; i += 40) { // one call to C in ten fails once, then succeeds
        c.on("/flaky" + i).respond(status(503), status(200));
        flaky++;
      }
      Path config = SmokeApp.writeConfig(dir,
          "http:",
          "  defaults:",
          "    retry: {maxAttempts: 3, initialBackoff: 1ms, maxBackoff: 2ms}",
          "    circuitBreaker: {recordOn: [connect-failure]}",
          "  hosts:",
          "    \"" + b.hostPort() + "\": { retry: { budget: none } }",
          "    \"" + d.hostPort() + "\": { rateLimiter: { limitForPeriod: 1, limitRefreshPeriod: 1m } }");

      long started = System.nanoTime();
      AppRun run = app(library, jdk).workingDirectory(dir).config(config)
          .args("--url", a.url("/fail"), "--url", b.url("/fail"), "--url", c.url("/flaky{i}"), "--url", d.url("/ok"),
              "--calls", "" + calls, "--concurrency", "8", "--mode", mode)
          .timeout(Duration.ofSeconds(90))
          .run();
      long tookMs = (System.nanoTime() - started) / 1_000_000;

      String why = library + " " + mode + " on " + jdk + ", " + tookMs + " ms: A " + a.requestCount("/fail") + ", B "
          + b.requestCount("/fail") + ", C " + c.requests().size() + ", D " + d.requests().size() + " requests\n"
          + run.describe().lines().limit(40).reduce("", (x, y) -> x + "\n" + y);
      assertEquals(0, run.exitCode(), why);
      System.out.println("retry storm " + why.lines().findFirst().orElse(""));

      // A: every call got its last 503 (not an error of Levee's), and retries stayed within the budget:
      // 0.2 of 1,000 requests plus 10/s over 10 s
      int toA = a.requestCount("/fail");
      assertTrue(toA >= CALLS_PER_TARGET + 250 && toA <= CALLS_PER_TARGET + 300, "with the budget: " + why);
      // B: no budget, every call made its three attempts
      assertEquals(3 * CALLS_PER_TARGET, b.requestCount("/fail"), "without the budget: " + why);
      int permitted = 0;
      for (int i = 0; i < calls; i++) {
        AppCall call = run.call(i);
        switch (i % 4) {
          case 0:
          case 1:
            assertEquals(Integer.valueOf(503), call.status, "call " + i + ": the last outcome\n" + why);
            break;
          case 2:
            assertEquals(Integer.valueOf(200), call.status, "call " + i + ": recovered\n" + why);
            break;
          default:
            if (call.status != null) {
              assertEquals(Integer.valueOf(200), call.status, "call " + i + "\n" + why);
              permitted++;
            } else {
              assertNotNull(call.error, "call " + i + ": over the rate\n" + why);
              assertTrue(call.error.endsWith("RateLimitedException"), "call " + i + ": " + call.error + "\n" + why);
              assertTrue(call.message.contains("levee: rate limit reached for " + d.hostPort()),
                  "call " + i + ": " + call.message + "\n" + why);
            }
        }
      }
      assertEquals(CALLS_PER_TARGET + flaky, c.requests().size(), "each flaky GET retried once: " + why);
      assertEquals(1, permitted, "the minute's one permit (concurrent calls: whichever came first)\n" + why);
      assertEquals(1, d.requests().size(), "calls over the rate send nothing: " + why);
    }
  }
}
