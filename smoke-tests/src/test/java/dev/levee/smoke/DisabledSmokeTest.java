package dev.levee.smoke;

import static dev.levee.testkit.Behaviour.status;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.levee.smoke.apps.JdkHttpClientApp;
import dev.levee.testkit.FaultServer;
import dev.levee.testkit.Jdk;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code -Dlevee.enabled=false}: the agent is attached but changes nothing. */
class DisabledSmokeTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.levee.smoke.SmokeJdks#both")
  void disabledAgentDoesNotRetry(Jdk jdk, @TempDir Path dir) {
    try (FaultServer server = FaultServer.start()) {
      server.on("/flaky").respond(status(503), status(503), status(200));
      Path config = SmokeApp.writeConfig(dir,
          "http:", "  defaults:", "    retry: {maxAttempts: 3, initialBackoff: 10ms, maxBackoff: 50ms}");

      AppRun run = SmokeApp.launch(jdk, JdkHttpClientApp.class.getName())
          .config(config)
          .systemProperty("levee.enabled", "false")
          .workingDirectory(dir)
          .args("--url", server.url("/flaky"))
          .run();

      String why = AbstractHttpClientScenarios.why(run, server);
      assertEquals(0, run.exitCode(), why);
      assertEquals(Integer.valueOf(503), run.call(0).status, why);
      assertEquals(1, server.requestCount("/flaky"), why);
    }
  }
}
