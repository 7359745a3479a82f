package dev.levee.smoke;

import static dev.levee.testkit.Behaviour.ok;
import static dev.levee.testkit.Behaviour.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.tools.attach.VirtualMachine;
import dev.levee.smoke.apps.AttachTargetApp;
import dev.levee.testkit.FaultServer;
import dev.levee.testkit.Jdk;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent attached to a running app (Agent-Class): the JDK HttpClient classes, loaded and used before,
 * are rewoven, and the next call on the same client goes through the pipeline. The configuration comes
 * from the app's LEVEE_CONFIG environment variable. One JVM runs one Levee: attaching again, or attaching
 * to an app started with {@code -javaagent}, prints one line and changes nothing.
 */
class AttachSmokeTest {

  static final String ALREADY_RUNS = "already runs in this JVM";

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.levee.smoke.SmokeJdks#both")
  void attachingToARunningAppProtectsItsNextCalls(Jdk jdk, @TempDir Path dir) throws Exception {
    try (FaultServer server = FaultServer.start()) {
      String all = runAndAttach(jdk, dir, server, false, 1);
      assertTrue(all.contains("CALL 0 status=503"), all);
      assertEquals(1, server.requestCount("/before"), "before the attach nothing retries\n" + all);
      assertTrue(all.contains("CALL 1 status=200"), all);
      assertEquals(3, server.requestCount("/after"), "after it, the flaky call is retried\n" + all);
      assertTrue(all.contains("levee " ), "the startup line\n" + all);
      assertFalse(all.contains(ALREADY_RUNS), all);
    }
  }

  /** The JDK's http handler, loaded by the app's first HttpURLConnection, is rewoven too. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.levee.smoke.SmokeJdks#both")
  void attachingProtectsTheNextHttpUrlConnectionCall(Jdk jdk, @TempDir Path dir) throws Exception {
    try (FaultServer server = FaultServer.start()) {
      String all = runAndAttach(jdk, dir, server, false, 1, "httpurlconnection");
      assertTrue(all.contains("CALL 0 status=503"), all);
      assertEquals(1, server.requestCount("/before"), "before the attach nothing retries\n" + all);
      assertTrue(all.contains("CALL 1 status=200"), all);
      assertEquals(3, server.requestCount("/after"), "after it, the flaky call is retried\n" + all);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.levee.smoke.SmokeJdks#both")
  void attachingASecondTimeChangesNothing(Jdk jdk, @TempDir Path dir) throws Exception {
    try (FaultServer server = FaultServer.start()) {
      String all = runAndAttach(jdk, dir, server, false, 2);
      assertEquals(3, server.requestCount("/after"), "exactly maxAttempts: Levee ran once, not inside itself\n" + all);
      assertTrue(all.contains("CALL 1 status=200"), all);
      assertEquals(1, count(all, ALREADY_RUNS), "one line for the second attach\n" + all);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.levee.smoke.SmokeJdks#both")
  void attachingToAnAppStartedWithTheAgentChangesNothing(Jdk jdk, @TempDir Path dir) throws Exception {
    try (FaultServer server = FaultServer.start()) {
      String all = runAndAttach(jdk, dir, server, true, 1);
      assertEquals(3, server.requestCount("/before"), "-javaagent protects the first call\n" + all);
      assertEquals(3, server.requestCount("/after"), "exactly maxAttempts: Levee ran once, not inside itself\n" + all);
      assertTrue(all.contains("CALL 1 status=200"), all);
      assertEquals(1, count(all, ALREADY_RUNS), "one line for the attach\n" + all);
    }
  }

  /**
   * Runs {@link AttachTargetApp} (with {@code -javaagent} or without), attaches Levee {@code attaches} times
   * once its first call is done, lets it make its second call and returns everything it printed.
   */
  static String runAndAttach(Jdk jdk, Path dir, FaultServer server, boolean javaagent, int attaches) throws Exception {
    return runAndAttach(jdk, dir, server, javaagent, attaches, "jdk-httpclient");
  }

  /** As above, the app's calls made with {@code client}: {@code jdk-httpclient} or {@code httpurlconnection}. */
  static String runAndAttach(Jdk jdk, Path dir, FaultServer server, boolean javaagent, int attaches, String client)
      throws Exception {
    SmokeJdks.assumeAvailable(jdk);
    Path config = SmokeApp.writeConfig(dir,
        "http:", "  defaults:", "    retry: { maxAttempts: 3, initialBackoff: 10ms, maxBackoff: 20ms }");
    Path go = dir.resolve("go");
    server.on("/before").respond(status(503));
    server.on("/after").respond(status(503), status(503), ok());
    List<String> command = new ArrayList<>(List.of(jdk.javaExecutable().toString()));
    if (javaagent) {
      command.add("-javaagent:" + LeveeAgentJar.require());
    }
    command.addAll(List.of("-cp", SmokeApp.appClasses().toString(), AttachTargetApp.class.getName(),
        server.url("/before"), server.url("/after"), go.toString(), client));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("LEVEE_CONFIG", config.toString());
    builder.redirectErrorStream(true);
    Process app = builder.start();
    List<String> output = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        output.add(line);
        if (line.equals("READY")) {
          for (int i = 0; i < attaches; i++) {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(app.pid()));
            try {
              vm.loadAgent(LeveeAgentJar.require().toString());
            } finally {
              vm.detach();
            }
          }
          Files.createFile(go);
        }
      }
    } finally {
      if (!app.waitFor(30, TimeUnit.SECONDS)) {
        app.destroyForcibly();
      }
    }
    return String.join("\n", output);
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      n++;
    }
    return n;
  }
}
