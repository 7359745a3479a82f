package dev.levee.smoke;

import static dev.levee.testkit.Behaviour.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.smoke.apps.JdkHttpClientApp;
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
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code -Dlevee.metrics.prometheus.port}: an unmodified app's calls, scraped from Levee's own endpoint while
 * it runs (JDK 17 and 25), with the names and labels the README documents; and, where a Prometheus server is
 * installed, scraped by it.
 */
class MetricsSmokeTest {

  static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.levee.smoke.SmokeJdks#both")
  void anAppsCallsAreScrapedWhileItRuns(Jdk jdk, @TempDir Path dir) throws Exception {
    int port = FaultServer.unusedPort();
    try (FaultServer server = FaultServer.start()) {
      server.on("/svc").respond(status(503), status(503), status(200));
      Path config = SmokeApp.writeConfig(dir,
          "http:", "  defaults:", "    retry: { maxAttempts: 3, initialBackoff: 10ms, maxBackoff: 20ms }");
      try (ForkedJvm.Background app = SmokeApp.launch(jdk, JdkHttpClientApp.class.getName())
          .config(config)
          .env("LEVEE_METRICS_PROMETHEUS_PORT", String.valueOf(port))
          .args("--url", server.url("/svc"), "--calls", "3", "--pause-before-call", "2:6000")
          .start()) {
        app.awaitOutput("CALL 1 ");
        String text = scrape(port);
        String labels = "protocol=\"http\",target=\"" + server.hostPort() + "\"";
        List<String> lines = text.lines().collect(Collectors.toList());
        String why = text;
        assertTrue(lines.contains("levee_circuitbreaker_state{" + labels + ",state=\"closed\"} 1"), why);
        assertTrue(lines.contains("levee_circuitbreaker_state{" + labels + ",state=\"open\"} 0"), why);
        assertTrue(lines.contains("levee_circuitbreaker_calls_total{" + labels + ",kind=\"successful\"} 2"), why);
        assertTrue(lines.contains("levee_circuitbreaker_calls_total{" + labels + ",kind=\"failed\"} 2"), why);
        assertTrue(lines.contains("levee_circuitbreaker_calls_total{" + labels + ",kind=\"not_permitted\"} 0"), why);
        assertTrue(lines.contains("levee_retry_calls_total{" + labels + ",kind=\"successful_with_retry\"} 1"), why);
        assertTrue(lines.contains("levee_retry_calls_total{" + labels + ",kind=\"successful_without_retry\"} 1"), why);
        assertTrue(lines.contains("levee_retry_calls_total{" + labels + ",kind=\"failed_with_retry\"} 0"), why);
        assertTrue(lines.contains("levee_bulkhead_available_concurrent_calls{" + labels + "} 1024"), why);
        assertTrue(lines.contains("levee_rejected_calls_total{" + labels + ",reason=\"bulkhead_full\"} 0"), why);
        assertTrue(lines.contains("levee_attempt_duration_seconds_count{" + labels + ",outcome=\"failed\"} 2"), why);
        assertTrue(lines.contains("levee_attempt_duration_seconds_bucket{" + labels + ",outcome=\"successful\",le=\"+Inf\"} 2"), why);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("levee_retry_budget_available_retries{" + labels + "} ")), why);
        assertTrue(lines.contains("# TYPE levee_attempt_duration_seconds histogram"), why);
        Path sample = Paths.get("target", "metrics-scrape-" + jdk.name() + ".txt");
        Files.createDirectories(sample.getParent());
        Files.write(sample, text.getBytes(StandardCharsets.UTF_8)); // the README's sample comes from such a run

        HttpResponse<String> other = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/other")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(404, other.statusCode());
        ForkedJvm.Result result = app.stop();
        assertTrue(result.stderr().contains("levee: metrics at http://127.0.0.1:" + port + "/metrics"), result.describe());
      }
    }
  }

  /**
   * Where Debian's Prometheus is installed ({@code apt-get install prometheus}): {@code promtool} accepts the
   * exposition, and a real Prometheus server scrapes the app and answers a query on Levee's metrics.
   */
  @org.junit.jupiter.api.Test
  void aPrometheusServerScrapesIt(@TempDir Path dir) throws Exception {
    Path prometheus = Paths.get("/usr/bin/prometheus");
    Path promtool = Paths.get("/usr/bin/promtool");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(prometheus) && Files.isExecutable(promtool),
        "skipped: no Prometheus server here (apt-get install prometheus)");
    int port = FaultServer.unusedPort();
    int prometheusPort = FaultServer.unusedPort();
    try (FaultServer server = FaultServer.start()) {
      server.on("/svc").respond(status(503), status(200));
      // the port from resilience.yaml this time (the other test names it in the environment)
      Path config = SmokeApp.writeConfig(dir, "http:", "  defaults:", "    retry: { initialBackoff: 10ms, maxBackoff: 20ms }",
          "metrics:", "  prometheus: { port: " + port + " }");
      Path scrapeConfig = dir.resolve("prometheus.yml");
      Files.write(scrapeConfig, ("global: { scrape_interval: 1s, scrape_timeout: 1s }\n"
          + "scrape_configs:\n  - job_name: levee\n    static_configs: [ { targets: [\"127.0.0.1:" + port + "\"] } ]\n")
          .getBytes(StandardCharsets.UTF_8));
      try (ForkedJvm.Background app = SmokeApp.launch(Jdk.current17(), JdkHttpClientApp.class.getName())
          .config(config)
          .args("--url", server.url("/svc"), "--calls", "2", "--pause-before-call", "1:30000")
          .start()) {
        app.awaitOutput("CALL 0 ");
        String text = scrape(port);
        Process check = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        check.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        check.getOutputStream().close();
        String checked = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, check.waitFor(), "promtool check metrics: " + checked);

        Process prom = new ProcessBuilder(prometheus.toString(), "--config.file=" + scrapeConfig,
            "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + prometheusPort)
            .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        try {
          String query = "http://127.0.0.1:" + prometheusPort
              + "/api/v1/query?query=levee_retry_calls_total%7Bkind%3D%22successful_with_retry%22%7D";
          String answer = "";
          long end = System.nanoTime() + Duration.ofSeconds(25).toNanos();
          while (System.nanoTime() < end && !answer.contains("\"value\"")) {
            Thread.sleep(250);
            try {
              answer = CLIENT.send(HttpRequest.newBuilder(URI.create(query)).timeout(Duration.ofSeconds(2)).build(),
                  HttpResponse.BodyHandlers.ofString()).body();
            } catch (java.io.IOException notYet) {
              // not listening yet
            }
          }
          assertTrue(answer.contains("\"target\":\"" + server.hostPort() + "\"") && answer.matches("(?s).*\"value\":\\[[0-9.]+,\"1\"\\].*"),
              "Prometheus' answer: " + answer + "\n" + new String(Files.readAllBytes(dir.resolve("prometheus.log")), StandardCharsets.UTF_8));
        } finally {
          prom.destroy();
          prom.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
      }
    }
  }

  static String scrape(int port) throws Exception {
    HttpResponse<String> response = CLIENT.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
    return response.body();
  }
}
