package dev.levee.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.smoke.apps.PooledService;
import dev.levee.testkit.ForkedJvm;
import dev.levee.testkit.Jdk;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HikariCP refills itself from tasks a request's thread starts: they must not inherit that request's
 * deadline. A service with a pool of 2 (PostgreSQL) has its connections killed; one request arrives with an
 * already expired deadline; the pool has 2 live connections again within HikariCP's own retry interval.
 */
class PoolRefillSmokeTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.levee.smoke.SmokeJdks#both")
  void aPoolWhoseConnectionsDiedIsFullAgainAfterARequestWithAnExpiredDeadline(Jdk jdk, @TempDir Path dir)
      throws Exception {
    String name = "levee-refill-" + UUID.randomUUID().toString().substring(0, 8);
    try (Connection admin = JdbcSmokeTest.direct(JdbcSmokeTest.PG, "postgres");
        ForkedJvm.Background service = SmokeApp.launch(jdk, PooledService.class.getName())
            .classpath(
                SmokeApp.locationOf(com.zaxxer.hikari.HikariConfig.class),
                SmokeApp.locationOf(org.slf4j.LoggerFactory.class),
                SmokeApp.locationOf(org.slf4j.nop.NOPServiceProvider.class),
                SmokeApp.locationOf(org.postgresql.Driver.class))
            .config(SmokeApp.writeConfig(dir, "instrumentation: { jdbc: true }"))
            .args("--url", JdbcSmokeTest.PG + "?ApplicationName=" + name, "--user", "postgres", "--pool-size", "2")
            .start()) {
      int port = Integer.parseInt(service.awaitOutput("READY port=").substring("READY port=".length()));
      assertEquals(2, live(admin, name));
      try (PreparedStatement kill = admin.prepareStatement(
          "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?")) {
        kill.setString(1, name);
        try (ResultSet rs = kill.executeQuery()) {
          rs.next();
          assertEquals(2, rs.getInt(1), "both pooled connections killed");
        }
      }
      // HikariCP checks a connection it hands out only when it was last used over 500 ms ago
      Thread.sleep(1_000);
      HttpClient client = HttpClient.newHttpClient();
      long sent = System.nanoTime();
      client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/query"))
              .header("X-Request-Deadline", Long.toString(System.currentTimeMillis() - 1_000))
              .timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
      long fullAfterMs = -1;
      while (System.nanoTime() - sent < Duration.ofSeconds(12).toNanos()) {
        if (live(admin, name) == 2 && get(client, port, "/pool").startsWith("total=2")) {
          fullAfterMs = (System.nanoTime() - sent) / 1_000_000;
          break;
        }
        Thread.sleep(100);
      }
      System.out.println(jdk + ": pool full again " + fullAfterMs + " ms after the request with an expired deadline");
      // HikariCP alone refills within a second here; its connection adder backs off up to 5 s between tries
      assertTrue(fullAfterMs >= 0 && fullAfterMs < 5_000, "the pool was not full again within 5 s ("
          + get(client, port, "/pool") + ", " + live(admin, name) + " live)\n" + service.stop().describe());
      ForkedJvm.Result run = service.stop();
      for (String line : run.stderrLines()) {
        assertTrue(line.startsWith("levee") && !line.contains("could not"), "HikariCP's hooks applied\n" + run.describe());
      }
    }
  }

  /** The pool's connections the database sees. */
  static int live(Connection admin, String applicationName) throws SQLException {
    try (PreparedStatement s = admin.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
      s.setString(1, applicationName);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  static String get(HttpClient client, int port, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }
}
