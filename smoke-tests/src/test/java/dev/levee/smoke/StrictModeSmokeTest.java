package dev.levee.smoke;

import static dev.levee.testkit.Behaviour.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.smoke.apps.JdkHttpClientApp;
import dev.levee.testkit.FaultServer;
import dev.levee.testkit.Jdk;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code -Dlevee.strict=true}: a bad config stops the JVM before the app runs. */
class StrictModeSmokeTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.levee.smoke.SmokeJdks#both")
  void badConfigStopsTheJvmBeforeTheApp(Jdk jdk, @TempDir Path dir) {
    try (FaultServer server = FaultServer.start()) {
      server.on("/flaky").respond(status(503), status(200));
      Path config = SmokeApp.writeConfig(dir, "http:", "  defaults:", "    retry:", "      maxAtempts: 3");

      AppRun run = SmokeApp.launch(jdk, JdkHttpClientApp.class.getName())
          .config(config)
          .systemProperty("levee.strict", "true")
          .workingDirectory(dir)
          .args("--url", server.url("/flaky"))
          .run();

      String why = AbstractHttpClientScenarios.why(run, server);
      assertNotEquals(0, run.exitCode(), why);
      assertTrue(run.calls().isEmpty(), "the app must not have run\n" + why);
      assertEquals(0, server.requests().size(), why);
      assertTrue(run.stderr().contains(config.toString()), "names the file\n" + why);
      assertTrue(run.stderr().contains("maxAtempts"), "names the key\n" + why);
    }
  }
}
