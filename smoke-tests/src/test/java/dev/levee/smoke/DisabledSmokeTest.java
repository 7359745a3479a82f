package dev.levee.smoke;

import static dev.levee.testkit.Behaviour.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.smoke.apps.ApacheClassic4App;
import dev.levee.smoke.apps.HttpUrlConnectionApp;
import dev.levee.smoke.apps.JdkHttpClientApp;
import dev.levee.testkit.FaultServer;
import dev.levee.testkit.Jdk;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent attached but changing nothing: {@code -Dlevee.enabled=false}, the same switch from the
 * environment ({@code LEVEE_ENABLED=false}), or one instrumentation turned off from the environment over a
 * file that leaves it on.
 */
class DisabledSmokeTest {

  static Stream<Arguments> switches() {
    return SmokeJdks.both().flatMap(jdk -> Stream.of(
        Arguments.of(jdk, "-Dlevee.enabled=false"),
        Arguments.of(jdk, "LEVEE_ENABLED=false"),
        Arguments.of(jdk, "LEVEE_INSTRUMENTATION_JDK_HTTPCLIENT_ENABLED=false")));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("switches")
  void switchedOffTheAppCallsAsWithoutLevee(Jdk jdk, String how, @TempDir Path dir) {
    try (FaultServer server = FaultServer.start()) {
      server.on("/flaky").respond(status(503), status(503), status(200));
      Path config = SmokeApp.writeConfig(dir,
          "http:", "  defaults:", "    retry: {maxAttempts: 3, initialBackoff: 10ms, maxBackoff: 50ms}",
          "instrumentation:", "  jdk-httpclient: true");

      SmokeApp.Builder app = SmokeApp.launch(jdk, JdkHttpClientApp.class.getName())
          .config(config)
          .workingDirectory(dir)
          .args("--url", server.url("/flaky"));
      String[] nameValue = how.replaceFirst("^-D", "").split("=");
      if (how.startsWith("-D")) {
        app.systemProperty(nameValue[0], nameValue[1]);
      } else {
        app.env(nameValue[0], nameValue[1]);
      }
      AppRun run = app.run();

      String why = AbstractHttpClientScenarios.why(run, server);
      assertEquals(0, run.exitCode(), why);
      assertEquals(Integer.valueOf(503), run.call(0).status, why);
      assertEquals(1, server.requestCount("/flaky"), why);
      if (how.contains("_ENABLED=false") && !how.contains("INSTRUMENTATION")) {
        assertTrue(run.stderr().contains("disabled by LEVEE_ENABLED=false; nothing is instrumented"), why);
      }
    }
  }

  /**
   * Apache HttpClient 4 turned off alone, by its switch over a file that leaves it on, or in the file: the
   * app's client behaves as without Levee (one request for a 503), on the newest 4.5.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"-Dlevee.instrumentation.apache-httpclient4.enabled=false", "apache-httpclient4: false"})
  void apacheHttpClient4SwitchedOffCallsAsWithoutLevee(String how, @TempDir Path dir) {
    try (FaultServer server = FaultServer.start()) {
      server.on("/flaky").respond(status(503), status(200));
      Path config = SmokeApp.writeConfig(dir,
          "http:", "  defaults:", "    retry: {maxAttempts: 3, initialBackoff: 10ms, maxBackoff: 50ms}",
          "instrumentation:", "  " + (how.startsWith("-D") ? "apache-httpclient4: true" : how));

      SmokeApp.Builder app = SmokeApp.launch(Jdk.current17(), ApacheClassic4App.class.getName())
          .classpath(AbstractApache4Scenarios.apache4Jars(AbstractApache4Scenarios.newestVersion()).toArray(new Path[0]))
          .config(config)
          .workingDirectory(dir)
          .args("--url", server.url("/flaky"));
      if (how.startsWith("-D")) {
        String[] nameValue = how.substring(2).split("=");
        app.systemProperty(nameValue[0], nameValue[1]);
      }
      AppRun run = app.run();

      String why = AbstractHttpClientScenarios.why(run, server);
      assertEquals(0, run.exitCode(), why);
      assertEquals(Integer.valueOf(503), run.call(0).status, why);
      assertEquals(1, server.requestCount("/flaky"), why);
    }
  }

  /** HttpURLConnection's own switch: the app gets the JDK's connection, and its 503 as it is. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.levee.smoke.SmokeJdks#both")
  void httpUrlConnectionSwitchedOffTheAppCallsAsWithoutLevee(Jdk jdk, @TempDir Path dir) {
    try (FaultServer server = FaultServer.start()) {
      server.on("/flaky").respond(status(503), status(503), status(200));
      Path config = SmokeApp.writeConfig(dir,
          "http:", "  defaults:", "    retry: {maxAttempts: 3, initialBackoff: 10ms, maxBackoff: 50ms}",
          "instrumentation:", "  httpurlconnection: true");

      AppRun run = SmokeApp.launch(jdk, HttpUrlConnectionApp.class.getName())
          .config(config)
          .workingDirectory(dir)
          .env("LEVEE_INSTRUMENTATION_HTTPURLCONNECTION_ENABLED", "false")
          .args("--url", server.url("/flaky"))
          .run();

      String why = AbstractHttpClientScenarios.why(run, server);
      assertEquals(0, run.exitCode(), why);
      assertEquals(Integer.valueOf(503), run.call(0).status, why);
      assertEquals(1, server.requestCount("/flaky"), why);
    }
  }
}
