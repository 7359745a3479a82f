package dev.levee.smoke;

import static dev.levee.testkit.Behaviour.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.smoke.apps.JdkHttpClientApp;
import dev.levee.testkit.FaultServer;
import dev.levee.testkit.ForkedJvm;
import dev.levee.testkit.Jdk;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hot reload under a running app, the file mounted as Kubernetes mounts a ConfigMap (the file a symlink into
 * {@code ..data}, itself a symlink swapped atomically to a new folder on each change): counted by the
 * requests the server receives before and after each rewrite.
 */
class ReloadSmokeTest {

  private static final String[] RETRY_ONCE = {"http:", "  defaults:", "    retry: { maxAttempts: 1 }"};
  private static final String[] INVALID = {"http:", "  defaults:", "    retry: { maxAttempts: many }"};
  private static final String[] RETRY_THRICE =
      {"http:", "  defaults:", "    retry: { maxAttempts: 3, initialBackoff: 10ms, maxBackoff: 20ms }"};

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.levee.smoke.SmokeJdks#both")
  void aValidChangeAppliesToNewCallsAndAnInvalidOneChangesNothing(Jdk jdk, @TempDir Path dir) throws Exception {
    Path mounted = dir.resolve("config");
    Files.createDirectories(mounted);
    Path file = mounted.resolve("resilience.yaml");
    configMap(mounted, 1, RETRY_ONCE);
    Files.createSymbolicLink(file, Path.of("..data", "resilience.yaml"));
    try (FaultServer server = FaultServer.start()) {
      server.on("/svc").respond(status(503));
      ForkedJvm.Result result;
      try (ForkedJvm.Background app = SmokeApp.launch(jdk, JdkHttpClientApp.class.getName())
          .config(file)
          .args("--url", server.url("/svc"), "--calls", "3", "--pause-before-call", "1:2500", "--pause-before-call", "2:2500")
          .start()) {
        app.awaitOutput("CALL 0 ");
        assertEquals(1, server.requestCount("/svc"));
        configMap(mounted, 2, INVALID);
        app.awaitOutput("CALL 1 ");
        assertEquals(2, server.requestCount("/svc"), "the invalid file changed nothing: still one attempt");
        configMap(mounted, 3, RETRY_THRICE);
        app.awaitOutput("CALL 2 ");
        result = app.stop();
      }
      String why = result.describe();
      assertEquals(5, server.requestCount("/svc"), "maxAttempts 3 after the valid change: " + why);
      assertTrue(result.stderr().contains(": http.defaults.retry.maxAttempts: "), why);
      assertTrue(result.stderr().contains("is invalid, so none of it is applied; the running configuration stays"), why);
      assertTrue(result.stderr().contains("levee: config reloaded from " + file + ": http 0 host rules, jdbc 0 host rules"
          + " apply to new calls"), why);
    }
  }

  /** Writes a new version into a folder of its own and swaps {@code ..data} to it in one rename. */
  private static void configMap(Path mounted, int version, String... lines) throws Exception {
    Path folder = mounted.resolve("..2026_12_02_" + version);
    Files.createDirectories(folder);
    Files.write(folder.resolve("resilience.yaml"), String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
    Path next = mounted.resolve("..data_tmp");
    Files.deleteIfExists(next);
    Files.createSymbolicLink(next, folder.getFileName());
    Files.move(next, mounted.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
