package dev.levee.smoke;

import static dev.levee.testkit.Behaviour.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.smoke.apps.JdkHttpClientApp;
import dev.levee.smoke.apps.OverloadedServiceApp;
import dev.levee.testkit.FaultServer;
import dev.levee.testkit.ForkedJvm;
import dev.levee.testkit.Jdk;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

  private static final String[] NO_INBOUND = {"http:", "  defaults:", "    retry: { maxAttempts: 1 }"};
  private static final String[] RATE_LIMITED = {"inbound:", "  paths:",
      "    \"/limited\": { rateLimiter: { limitForPeriod: 1, limitRefreshPeriod: 1m } }"};

  /** Ingress limits follow the file too: written under a running server, then taken out again. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.levee.smoke.SmokeJdks#both")
  void anInboundLimitWrittenUnderARunningServerShedsAndTakenOutStops(Jdk jdk, @TempDir Path dir) throws Exception {
    SmokeJdks.assumeAvailable(jdk);
    Path mounted = dir.resolve("config");
    Files.createDirectories(mounted);
    Path file = mounted.resolve("resilience.yaml");
    configMap(mounted, 1, NO_INBOUND);
    Files.createSymbolicLink(file, Path.of("..data", "resilience.yaml"));
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try (ForkedJvm.Background app = SmokeApp.launch(jdk, OverloadedServiceApp.class.getName())
        .config(file)
        .workingDirectory(dir)
        .classpath(ServletDeadlineSmokeTest.Container.TOMCAT_10_1.libraries())
        .start()) {
      URI limited = URI.create("http://127.0.0.1:" + app.awaitOutput("listening ").split(" ")[1] + "/limited");
      List<Integer> before = statuses(client, limited, 3);
      assertEquals(List.of(200, 200, 200), before, "no inbound section: nothing is limited");

      configMap(mounted, 2, RATE_LIMITED);
      List<Integer> after = untilStatus(client, limited, 429);
      assertEquals(429, after.get(after.size() - 1), "the rate limit applies within seconds: " + after);
      assertEquals(List.of(429, 429, 429), statuses(client, limited, 3), "one request a minute, then 429");

      configMap(mounted, 3, NO_INBOUND);
      List<Integer> removed = untilStatus(client, limited, 200);
      assertEquals(200, removed.get(removed.size() - 1), "taken out, nothing is shed: " + removed);
      ForkedJvm.Result result = app.stop();
      assertTrue(result.stderr().contains("; inbound limits on (1 path rule) apply to new requests"), result.describe());
      assertTrue(result.stderr().contains("; inbound limits off"), result.describe());
    }
  }

  private static List<Integer> statuses(HttpClient client, URI uri, int n) throws Exception {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      statuses.add(client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
    }
    return statuses;
  }

  /** Requests every 100 ms until one is answered {@code status}, for at most 10 s. */
  private static List<Integer> untilStatus(HttpClient client, URI uri, int status) throws Exception {
    List<Integer> statuses = new ArrayList<>();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < end) {
      statuses.addAll(statuses(client, uri, 1));
      if (statuses.get(statuses.size() - 1) == status) {
        break;
      }
      Thread.sleep(100);
    }
    return statuses;
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
