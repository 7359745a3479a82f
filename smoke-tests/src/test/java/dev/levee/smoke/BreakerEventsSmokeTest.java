package dev.levee.smoke;

import static dev.levee.testkit.Behaviour.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.smoke.apps.JdkHttpClientApp;
import dev.levee.testkit.FaultServer;
import dev.levee.testkit.Jdk;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every breaker transition is one line on stderr, with its reason; in JSON with {@code LEVEE_LOG_FORMAT=json}
 * (closed -> open on failures, open -> half-open after the wait, half-open -> closed on a good probe).
 */
class BreakerEventsSmokeTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.levee.smoke.SmokeJdks#both")
  void transitionsAreJsonLinesWithTheirReason(Jdk jdk, @TempDir Path dir) {
    try (FaultServer server = FaultServer.start()) {
      server.on("/svc").respond(status(503), status(503), status(503), status(503), status(200));
      Path config = SmokeApp.writeConfig(dir,
          "http:",
          "  defaults:",
          "    retry: { maxAttempts: 1 }",
          "    circuitBreaker: { slidingWindowSize: 4, minimumNumberOfCalls: 4, waitDurationInOpenState: 200ms,",
          "                      permittedNumberOfCallsInHalfOpenState: 1 }");
      AppRun run = SmokeApp.launch(jdk, JdkHttpClientApp.class.getName())
          .config(config)
          .env("LEVEE_LOG_FORMAT", "json")
          .args("--url", server.url("/svc"), "--calls", "6", "--pause-before-call", "4:400")
          .run();

      String why = AbstractHttpClientScenarios.why(run, server);
      assertEquals(0, run.exitCode(), why);
      List<String> events = run.stderr().lines()
          .filter(l -> l.contains("\"event\":\"circuit_breaker_transition\"")).collect(Collectors.toList());
      String target = server.hostPort();
      assertEquals(3, events.size(), why);
      assertTrue(events.get(0).matches("\\{\"time\":\"[^\"]+\",\"level\":\"INFO\",\"logger\":\"levee\",\"message\":\"levee: "
          + "circuit open for " + target.replace(".", "\\.") + " \\(4 of the last 4 calls failed\\); next probe in 0\\.[12]s\","
          + "\"event\":\"circuit_breaker_transition\",\"target\":\"" + target.replace(".", "\\.") + "\",\"from\":\"closed\","
          + "\"to\":\"open\",\"reason\":\"4 of the last 4 calls failed\"}"), why);
      assertTrue(events.get(1).contains("\"from\":\"open\",\"to\":\"half_open\",\"reason\":\"open for 200ms; up to 1 probe calls may pass\""), why);
      assertTrue(events.get(2).contains("\"message\":\"levee: circuit closed for " + target
          + " (0 of 1 probe call failed); calls pass again\""), why);
      assertEquals(6, server.requestCount("/svc"), why);
    }
  }
}
