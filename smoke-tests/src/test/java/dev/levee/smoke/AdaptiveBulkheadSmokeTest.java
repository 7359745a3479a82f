package dev.levee.smoke;

import static dev.levee.testkit.Behaviour.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.smoke.apps.JdkHttpClientApp;
import dev.levee.testkit.FaultServer;
import dev.levee.testkit.Jdk;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code bulkhead.type: adaptive} in an unmodified app (JDK 17 and 25): eight calls at once to a slow host
 * whose adaptive limit starts at 3 get three through and five refused at once, with the limit named; the
 * app's calls to another host are not touched.
 */
class AdaptiveBulkheadSmokeTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.levee.smoke.SmokeJdks#both")
  void theLimitBoundsCallsInFlightAndRefusesTheRestAtOnce(Jdk jdk, @TempDir Path dir) {
    try (FaultServer slow = FaultServer.start(); FaultServer other = FaultServer.start()) {
      slow.on("/slow").respond(status(200).after(Duration.ofMillis(1500)));
      Path config = SmokeApp.writeConfig(dir,
          "http:",
          "  defaults:",
          "    timeout: {connect: 1s, attempt: 5s}",
          "    retry: {maxAttempts: 1}",
          "    bulkhead: {type: adaptive, initialLimit: 3, minLimit: 1, maxLimit: 3}");
      List<String> args = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        args.addAll(Arrays.asList("--url", slow.url("/slow")));
      }
      args.addAll(Arrays.asList("--url", other.url("/fast"), "--calls", "9", "--concurrency", "9",
          "--warmup-url", other.url("/warmup"), "--pause-before-call", "8:300"));
      AppRun run = SmokeApp.launch(jdk, JdkHttpClientApp.class.getName()).config(config).args(args).run();

      String why = AbstractHttpClientScenarios.why(run, slow);
      assertEquals(0, run.exitCode(), why);
      int succeeded = 0;
      int refused = 0;
      for (int i = 0; i < 8; i++) {
        AppCall c = run.call(i);
        if (c.succeeded()) {
          succeeded++;
        } else {
          assertTrue(c.message.contains("levee: adaptive concurrency limit reached for " + slow.hostPort()
              + " (3 of 3 calls in flight)"), "call " + i + "\n" + why);
          assertTrue(c.ms < 500, "refused at once, call " + i + " took " + c.ms + "ms\n" + why);
          refused++;
        }
      }
      assertEquals(3, succeeded, why);
      assertEquals(5, refused, why);
      assertEquals(3, slow.requestCount("/slow"), why);
      assertEquals(Integer.valueOf(200), run.call(8).status, "another host has its own limit\n" + why);
    }
  }
}
