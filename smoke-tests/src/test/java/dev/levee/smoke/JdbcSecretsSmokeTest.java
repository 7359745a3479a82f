package dev.levee.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.smoke.JdbcSmokeTest.Call;
import dev.levee.testkit.Jdk;
import dev.levee.testkit.StallingServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A password written into the JDBC URL, in each form MySQL Connector/J, MariaDB Connector/J and
 * PostgreSQL's driver document, never shows in what Levee says: the app's exceptions of a statement Levee
 * cut and of the breaker it opened, and Levee's lines on stderr. Real drivers and servers (MariaDB has a
 * user with that password), on JDK 17 and 25.
 */
class JdbcSecretsSmokeTest {

  static final String PASSWORD = "S3cretPW";

  static Stream<Arguments> urls() {
    return SmokeJdks.both().flatMap(jdk -> Stream.of(
        "jdbc:mysql://(host=127.0.0.1,port=3306,user=levee_secret,password=" + PASSWORD + ")/test",
        "jdbc:mysql://address=(host=127.0.0.1)(port=3306)(user=levee_secret)(password=" + PASSWORD + ")/test",
        "jdbc:mysql://levee_secret:" + PASSWORD + "@127.0.0.1:3306/test",
        "jdbc:mariadb://127.0.0.1:3306/test?user=levee_secret&password=" + PASSWORD,
        "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&password=" + PASSWORD)
        .map(url -> Arguments.of(jdk, url)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("urls")
  void aCutStatementAndAnOpenBreakerNeverShowThePassword(Jdk jdk, String url, @TempDir Path dir) throws Exception {
    boolean postgres = url.startsWith("jdbc:postgresql:");
    if (postgres) {
      JdbcSmokeTest.direct(JdbcSmokeTest.PG, "postgres").close();
    } else {
      createMariaDbUser();
    }
    // an attempt bounds the connect too: 3 s leaves a loaded machine time to connect, then cuts the sleep
    Path config = SmokeApp.writeConfig(dir, "jdbc:", "  defaults:", "    timeout: {attempt: 3s}",
        "    circuitBreaker: {slidingWindowSize: 1, minimumNumberOfCalls: 1, waitDurationInOpenState: 30s}");
    AppRun run = JdbcSmokeTest.app(jdk, dir, config, "--url", url,
        "--sql", postgres ? "SELECT pg_sleep(10)" : "SELECT SLEEP(10)", "--sql", "SELECT 1");
    String server = postgres ? "127.0.0.1:5432" : "127.0.0.1:3306";
    Call cut = JdbcSmokeTest.call(run, 0);
    assertEquals("java.sql.SQLTimeoutException", cut.error, run.describe());
    assertTrue(cut.message.startsWith("levee: statement on " + server + " cancelled"), cut.message);
    Call refused = JdbcSmokeTest.call(run, 1);
    assertTrue(refused.message.startsWith("levee: circuit open for " + server), run.describe());
    assertTrue(run.stderr().contains("levee: circuit open for " + server), run.describe());
    assertNoPassword(run);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.levee.smoke.SmokeJdks#both")
  void aConnectThatHangsAndTheBreakerItOpensNeverShowThePassword(Jdk jdk, @TempDir Path dir) {
    try (StallingServer stalled = StallingServer.start()) {
      Path config = SmokeApp.writeConfig(dir, "jdbc:", "  defaults:", "    timeout: {connect: 1s}",
          "    circuitBreaker: {slidingWindowSize: 1, minimumNumberOfCalls: 1, waitDurationInOpenState: 30s}");
      AppRun run = JdbcSmokeTest.app(jdk, dir, config, "--url", "jdbc:mysql://(host=127.0.0.1,port=" + stalled.port()
          + ",user=app,password=" + PASSWORD + ")/shop", "--connects", "2");
      Call timedOut = JdbcSmokeTest.call(run, 0);
      assertTrue(timedOut.message.startsWith("levee: connect to 127.0.0.1:" + stalled.port() + " did not complete"),
          run.describe());
      assertTrue(JdbcSmokeTest.call(run, 1).message.startsWith("levee: circuit open for 127.0.0.1:" + stalled.port()),
          run.describe());
      assertTrue(run.stderr().contains("levee: circuit open for 127.0.0.1:" + stalled.port()), run.describe());
      assertNoPassword(run);
    }
  }

  /** Neither what the app printed (its exceptions' messages) nor stderr holds the password, in any case. */
  static void assertNoPassword(AppRun run) {
    String everything = (run.stdout() + "\n" + run.stderr()).toLowerCase(Locale.ROOT);
    assertFalse(everything.contains(PASSWORD.toLowerCase(Locale.ROOT)), "the password was printed\n" + run.describe());
  }

  /** A MariaDB user whose password is {@link #PASSWORD}; skips the test when MariaDB is not running. */
  static void createMariaDbUser() throws Exception {
    try (Connection root = JdbcSmokeTest.direct(JdbcSmokeTest.MARIADB, "root"); Statement s = root.createStatement()) {
      for (String host : new String[] {"localhost", "127.0.0.1", "%"}) {
        s.execute("CREATE USER IF NOT EXISTS 'levee_secret'@'" + host + "' IDENTIFIED BY '" + PASSWORD + "'");
        s.execute("GRANT SELECT ON test.* TO 'levee_secret'@'" + host + "'");
      }
    }
  }
}
