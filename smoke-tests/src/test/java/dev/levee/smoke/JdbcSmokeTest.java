package dev.levee.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.levee.smoke.apps.JdbcApp;
import dev.levee.testkit.Jdk;
import dev.levee.testkit.StallingServer;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * JDBC: an unmodified app ({@link JdbcApp}) in its own JVM with the agent, on JDK 17 and 25, against
 * PostgreSQL and MariaDB on this machine (skipped with a message when not running), H2 embedded and H2's
 * TCP server, and a stalled TCP endpoint. Nothing in the app knows Levee: the drivers and HikariCP are
 * woven as they load.
 */
class JdbcSmokeTest {

  static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";
  static final String MARIADB = "jdbc:mariadb://127.0.0.1:3306/test";
  static final String QUIET_BREAKER = "    circuitBreaker: {slidingWindowSize: 1000, minimumNumberOfCalls: 1000}";

  /** One {@code CALL} line of {@link JdbcApp}. */
  static final class Call {
    static final Pattern LINE = Pattern.compile(
        "^CALL (\\d+) rows=(\\S+) error=(\\S+)(?: sqlstate=(\\S+))?(?: message=\"((?:[^\"\\\\]|\\\\.)*)\")? ms=(\\d+)$");
    int index;
    String rows;
    String error;
    String sqlState;
    String message;
    long ms;
    String line;

    boolean succeeded() {
      return error.equals("-");
    }

    @Override
    public String toString() {
      return line;
    }
  }

  static List<Call> calls(AppRun run) {
    List<Call> calls = new ArrayList<>();
    for (String line : run.stdout().split("\n")) {
      Matcher m = Call.LINE.matcher(line.trim());
      if (m.matches()) {
        Call c = new Call();
        c.index = Integer.parseInt(m.group(1));
        c.rows = m.group(2);
        c.error = m.group(3);
        c.sqlState = m.group(4);
        c.message = m.group(5) == null ? null : AppCall.unescape(m.group(5));
        c.ms = Long.parseLong(m.group(6));
        c.line = line;
        calls.add(c);
      }
    }
    return calls;
  }

  static Call call(AppRun run, int index) {
    for (Call c : calls(run)) {
      if (c.index == index) {
        return c;
      }
    }
    return fail("the app printed no line for CALL " + index + "\n" + run.describe());
  }

  static AppRun app(Jdk jdk, Path dir, Path config, String... args) {
    return jdbcApp(jdk, dir).config(config).args(args).run();
  }

  /** The JDBC app with every driver it may use, run from {@code dir}. */
  static SmokeApp.Builder jdbcApp(Jdk jdk, Path dir) {
    return SmokeApp.launch(jdk, JdbcApp.class.getName())
        .classpath(
            SmokeApp.locationOf(com.zaxxer.hikari.HikariConfig.class),
            SmokeApp.locationOf(org.slf4j.LoggerFactory.class),
            SmokeApp.locationOf(org.slf4j.nop.NOPServiceProvider.class),
            SmokeApp.locationOf(org.postgresql.Driver.class),
            SmokeApp.locationOf(org.mariadb.jdbc.Driver.class),
            SmokeApp.locationOf(com.mysql.cj.jdbc.Driver.class),
            SmokeApp.locationOf(org.h2.Driver.class))
        .workingDirectory(dir);
  }

  /** Skips the test with a message when the database is not running here. */
  static Connection direct(String url, String user) {
    try {
      return DriverManager.getConnection(url, user, "");
    } catch (SQLException e) {
      Assumptions.abort("no database at " + url + " (" + e.getMessage() + "): skipped");
      return null;
    }
  }

  static void assertClean(AppRun run) {
    assertEquals(0, run.exitCode(), run.describe());
    for (String line : run.stderrLines()) {
      assertTrue(line.startsWith("levee"), "only Levee's own lines on stderr\n" + run.describe());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.levee.smoke.SmokeJdks#both")
  void aPostgresQueryIsCutAtTheAttemptTimeoutAndThePooledConnectionRunsTheNext(Jdk jdk, @TempDir Path dir) throws Exception {
    try (Connection probe = direct(PG, "postgres")) {
      // reachable
    }
    Path config = SmokeApp.writeConfig(dir, "jdbc:", "  defaults:", "    timeout: {attempt: 1s}", QUIET_BREAKER);
    AppRun run = app(jdk, dir, config, "--url", PG, "--user", "postgres", "--via", "hikari",
        "--sql", "SELECT pg_sleep(5)", "--sql", "SELECT 1");
    assertClean(run);
    Call cut = call(run, 0);
    assertEquals("java.sql.SQLTimeoutException", cut.error, run.describe());
    assertEquals("57014", cut.sqlState);
    assertTrue(cut.ms >= 900 && cut.ms < 4000, "cut at ~1s: " + cut);
    assertTrue(cut.message.startsWith("levee: statement on 127.0.0.1:5432 cancelled after 1000ms"), cut.message);
    Call next = call(run, 1);
    assertEquals("1", next.rows, "the same pooled connection still works\n" + run.describe());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.levee.smoke.SmokeJdks#both")
  void aMariaDbQueryIsCutAtTheAttemptTimeoutAndTheConnectionRunsTheNext(Jdk jdk, @TempDir Path dir) throws Exception {
    try (Connection probe = direct(MARIADB, "root")) {
      // reachable
    }
    Path config = SmokeApp.writeConfig(dir, "jdbc:", "  defaults:", "    timeout: {attempt: 1s}", QUIET_BREAKER);
    AppRun run = app(jdk, dir, config, "--url", MARIADB, "--user", "root",
        "--sql", "SELECT SLEEP(5)", "--sql", "SELECT 1");
    assertClean(run);
    Call cut = call(run, 0);
    assertEquals("java.sql.SQLTimeoutException", cut.error, run.describe());
    assertEquals("70100", cut.sqlState);
    assertTrue(cut.ms >= 900 && cut.ms < 4000, "cut at ~1s: " + cut);
    assertEquals("1", call(run, 1).rows, run.describe());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.levee.smoke.SmokeJdks#both")
  void aStalledServerFailsConnectsAtTheConnectTimeoutThenTheBreakerFailsThemFast(Jdk jdk, @TempDir Path dir) {
    try (StallingServer stalled = StallingServer.start()) {
      Path config = SmokeApp.writeConfig(dir, "jdbc:", "  defaults:", "    timeout: {connect: 1s}",
          "    circuitBreaker: {slidingWindowSize: 2, minimumNumberOfCalls: 2, waitDurationInOpenState: 30s}");
      // PostgreSQL's driver alone would wait forever here (DESIGN.md §7)
      AppRun run = app(jdk, dir, config, "--url", "jdbc:postgresql://127.0.0.1:" + stalled.port() + "/test",
          "--user", "postgres", "--connects", "3");
      assertClean(run);
      for (int i = 0; i < 2; i++) {
        Call c = call(run, i);
        assertEquals("java.sql.SQLTransientConnectionException", c.error, run.describe());
        assertEquals("08001", c.sqlState);
        assertTrue(c.ms >= 900 && c.ms < 4000, "ended at the connect timeout (1s): " + c);
      }
      Call open = call(run, 2);
      assertEquals("dev.levee.instrumentation.jdbc.ConnectRejectedException", open.error, run.describe());
      assertEquals("08001", open.sqlState);
      assertTrue(open.message.startsWith("levee: circuit open for 127.0.0.1:" + stalled.port()), open.message);
      assertTrue(open.message.contains("next probe in"), open.message);
      assertTrue(open.ms < 500, "fails fast: " + open);
      assertEquals(2, stalled.acceptedCount(), "the open breaker sent nothing");
      assertTrue(run.stderr().contains("levee: circuit open for 127.0.0.1:" + stalled.port()), run.describe());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.levee.smoke.SmokeJdks#both")
  void sqlErrorsReachTheAppAsTheDriversOwnAndNeverOpenTheBreaker(Jdk jdk, @TempDir Path dir) throws Exception {
    try (Connection probe = direct(PG, "postgres")) {
      // reachable
    }
    Path config = SmokeApp.writeConfig(dir, "jdbc:", "  defaults:",
        "    circuitBreaker: {slidingWindowSize: 2, minimumNumberOfCalls: 2}");
    AppRun run = app(jdk, dir, config, "--url", PG, "--user", "postgres",
        "--sql", "SELEC 1", "--sql", "SELECT * FROM no_such_table", "--sql", "SELEC 2", "--sql", "SELECT 1");
    assertClean(run);
    assertEquals("org.postgresql.util.PSQLException", call(run, 0).error, run.describe());
    assertEquals("42601", call(run, 0).sqlState);
    assertEquals("42P01", call(run, 1).sqlState);
    assertEquals("1", call(run, 3).rows, "the breaker stayed closed\n" + run.describe());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.levee.smoke.SmokeJdks#both")
  void aWriteThatFailsTransientlyIsNeverRunTwiceWhileAReadIsRetried(Jdk jdk, @TempDir Path dir) throws Exception {
    String suffix = jdk.toString().replaceAll("[^A-Za-z0-9]", "_").toLowerCase();
    String table = "levee_smoke_orders_" + suffix;
    String runs = "levee_smoke_runs_" + suffix;
    try (Connection c = direct(PG, "postgres"); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + table + "; DROP SEQUENCE IF EXISTS " + runs + ";"
          + "CREATE SEQUENCE " + runs + "; CREATE TABLE " + table + " (id int);"
          + "CREATE OR REPLACE FUNCTION " + table + "_fail() RETURNS trigger AS $$ BEGIN PERFORM nextval('" + runs + "');"
          + " RAISE EXCEPTION 'could not serialize access' USING ERRCODE = '40001'; END $$ LANGUAGE plpgsql;"
          + "CREATE TRIGGER " + table + "_fail BEFORE INSERT ON " + table + " FOR EACH ROW EXECUTE FUNCTION " + table + "_fail();"
          + "CREATE OR REPLACE FUNCTION " + table + "_read() RETURNS int AS $$ BEGIN PERFORM nextval('" + runs + "');"
          + " RAISE EXCEPTION 'could not serialize access' USING ERRCODE = '40001'; END $$ LANGUAGE plpgsql;");
      try {
        Path config = SmokeApp.writeConfig(dir, "jdbc:", "  defaults:",
            "    retry: {maxAttempts: 3, initialBackoff: 10ms, maxBackoff: 20ms, retryOn: [connect-failure, transient, reset, timeout]}",
            QUIET_BREAKER);
        AppRun run = app(jdk, dir, config, "--url", PG, "--user", "postgres",
            "--sql", "INSERT INTO " + table + " VALUES (1)", "--sql", "SELECT " + table + "_read()");
        assertClean(run);
        assertEquals("40001", call(run, 0).sqlState, run.describe());
        assertEquals("org.postgresql.util.PSQLException", call(run, 0).error, "the driver's own exception");
        assertEquals("40001", call(run, 1).sqlState, run.describe());
        try (ResultSet rs = s.executeQuery("SELECT last_value FROM " + runs)) {
          rs.next();
          assertEquals(1 + 3, rs.getLong(1), "the INSERT ran once, the SELECT maxAttempts (3) times\n" + run.describe());
        }
      } finally {
        s.execute("DROP TABLE " + table + "; DROP SEQUENCE " + runs + "; DROP FUNCTION " + table + "_fail(); DROP FUNCTION " + table + "_read()");
      }
    }
  }

  /**
   * The app's thread is interrupted while Levee waits to retry a read the server failed transiently: the
   * statement ends at once with an {@code SQLException} (state HY008, "operation canceled"), the interrupt
   * flag set again, and the read is not run again.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.levee.smoke.SmokeJdks#both")
  void anInterruptDuringLeveesBackoffEndsTheStatementAtOnceAsAnSqlException(Jdk jdk, @TempDir Path dir) throws Exception {
    String suffix = jdk.toString().replaceAll("[^A-Za-z0-9]", "_").toLowerCase();
    String runs = "levee_smoke_interrupt_runs_" + suffix;
    try (Connection c = direct(PG, "postgres"); Statement s = c.createStatement()) {
      s.execute("DROP SEQUENCE IF EXISTS " + runs + "; CREATE SEQUENCE " + runs + ";"
          + "CREATE OR REPLACE FUNCTION " + runs + "_read() RETURNS int AS $$ BEGIN PERFORM nextval('" + runs + "');"
          + " RAISE EXCEPTION 'could not serialize access' USING ERRCODE = '40001'; END $$ LANGUAGE plpgsql;");
      try {
        Path config = SmokeApp.writeConfig(dir, "jdbc:", "  defaults:",
            "    retry: {maxAttempts: 3, initialBackoff: 5s, maxBackoff: 5s, jitter: none, retryOn: [transient]}",
            QUIET_BREAKER);
        AppRun run = app(jdk, dir, config, "--url", PG, "--user", "postgres", "--sql", "SELECT " + runs + "_read()",
            "--interrupt-after-ms", "1000");
        assertClean(run);
        Call call = call(run, 0);
        assertEquals("java.sql.SQLException", call.error, run.describe());
        assertEquals("HY008", call.sqlState, run.describe());
        assertTrue(call.ms < 2500, "ended at once, not after the 5 s backoff: " + call.ms + " ms\n" + run.describe());
        assertEquals("true", run.keyValues().get("interrupted-flag-0"), run.describe());
        try (ResultSet rs = s.executeQuery("SELECT last_value FROM " + runs)) {
          rs.next();
          assertEquals(1, rs.getLong(1), "the read ran once\n" + run.describe());
        }
      } finally {
        s.execute("DROP FUNCTION " + runs + "_read(); DROP SEQUENCE " + runs);
      }
    }
  }

  /**
   * Each step of Levee's own fails in turn, in each way it can ({@link InjectedFaults}), while the app reads,
   * runs a statement the server rejects and writes: every statement ends exactly as it does without the
   * agent (rows, or the driver's exception, SQL state and message), and every write lands exactly once. The
   * bulkhead admits one statement at a time, so a permit left taken would refuse the ones after it. A JDBC
   * call builds no attempt of its own (the statement is the attempt), so that step is never taken.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.levee.smoke.SmokeJdks#both")
  void aFaultAtAnyStepOfLeveesOwnLeavesTheAppAsWithoutLevee(Jdk jdk, @TempDir Path dir) throws Exception {
    String table = "levee_smoke_faults_" + jdk.toString().replaceAll("[^A-Za-z0-9]", "_").toLowerCase();
    try (Connection c = direct(PG, "postgres"); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + table + "; CREATE TABLE " + table + " (run text, id int)");
      try {
        Path config = SmokeApp.writeConfig(dir, "jdbc:", "  defaults:",
            "    timeout: {attempt: 10s, total: 20s}",
            "    retry: {maxAttempts: 3, initialBackoff: 10ms, maxBackoff: 20ms}",
            "    bulkhead: {maxConcurrentCalls: 1, maxWaitDuration: 0ms}",
            QUIET_BREAKER);
        int perFault = 3;
        Map<String, AppRun> runs = new java.util.LinkedHashMap<>();
        for (String run : List.of("bare", "levee")) {
          List<String> args = new ArrayList<>(List.of("--url", PG, "--user", "postgres"));
          for (int i = 0; i < InjectedFaults.calls(perFault); i++) {
            String[] statement = {"SELECT 1", "SELEC 1", "INSERT INTO " + table + " VALUES ('" + run + "', " + i + ")"};
            args.add("--sql");
            args.add(statement[i % perFault]);
          }
          args.addAll(InjectedFaults.appArgs(perFault));
          SmokeApp.Builder app = jdbcApp(jdk, dir).args(args);
          runs.put(run, run.equals("bare") ? app.withoutAgent().run()
              : app.config(config).systemProperty("levee.test.fault", "none").run());
        }
        AppRun bare = runs.get("bare");
        AppRun levee = runs.get("levee");
        String why = "without the agent:\n" + bare.describe() + "\nwith it:\n" + levee.describe();
        assertEquals(0, bare.exitCode(), why);
        assertEquals(0, levee.exitCode(), why);
        for (int i = 0; i < InjectedFaults.calls(perFault); i++) {
          Call without = call(bare, i);
          Call with = call(levee, i);
          assertEquals(without.rows + " " + without.error + " " + without.sqlState + " " + without.message,
              with.rows + " " + with.error + " " + with.sqlState + " " + with.message,
              "statement " + i + " with " + InjectedFaults.faultOf(i, perFault) + "\n" + why);
        }
        try (ResultSet rs = s.executeQuery("SELECT run, count(*), count(DISTINCT id) FROM " + table + " GROUP BY run ORDER BY run")) {
          for (String run : List.of("bare", "levee")) {
            assertTrue(rs.next(), why);
            int writes = InjectedFaults.calls(perFault) / perFault;
            assertEquals(run + " " + writes + " " + writes, rs.getString(1) + " " + rs.getLong(2) + " " + rs.getLong(3),
                "every write landed exactly once\n" + why);
          }
        }
        List<String> neverThrown = new ArrayList<>(InjectedFaults.neverThrown(levee.stderr()));
        neverThrown.remove("attempt");
        assertEquals(List.of(), neverThrown, "every step threw its faults\n" + why);
      } finally {
        s.execute("DROP TABLE " + table);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.levee.smoke.SmokeJdks#both")
  void h2EmbeddedWorksAndIsATargetOfItsOwn(Jdk jdk, @TempDir Path dir) {
    // 1.5 s, not less: the attempt also bounds the first connect, which loads H2 in a cold JVM
    Path config = SmokeApp.writeConfig(dir, "jdbc:", "  hosts:", "    \"smoke.h2-mem\": {timeout: {attempt: 1500ms}}");
    // DriverManager: HikariCP evicts a connection whose driver threw an SQLTimeoutException, as H2's does
    AppRun run = app(jdk, dir, config, "--url", "jdbc:h2:mem:smoke", "--user", "sa",
        "--sql", "CREATE TABLE t (id INT)", "--sql", "INSERT INTO t VALUES (1)", "--sql", "SELECT * FROM t",
        "--sql", "SELECT SUM(X) FROM SYSTEM_RANGE(1, 10000000000)", "--sql", "SELECT * FROM t");
    assertClean(run);
    assertEquals("0", call(run, 0).rows, run.describe());
    assertEquals("1", call(run, 1).rows);
    assertEquals("1", call(run, 2).rows);
    Call cut = call(run, 3);
    assertEquals("java.sql.SQLTimeoutException", cut.error, run.describe());
    assertTrue(cut.message.startsWith("levee: statement on smoke.h2-mem:0 cancelled after 1500ms"), cut.message);
    assertEquals("1", call(run, 4).rows);
  }

  /**
   * Issue 13: a rate limiter refuses a statement with the driver's own kind of exception, an
   * SQLTransientException of Levee's (StatementRejectedException); the connect took the first of the permits.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.levee.smoke.SmokeJdks#both")
  void aRateLimitRefusesAStatementAsAnSqlTransientException(Jdk jdk, @TempDir Path dir) {
    Path config = SmokeApp.writeConfig(dir, "jdbc:", "  hosts:",
        "    \"smoke.h2-mem\": {rateLimiter: {limitForPeriod: 3, limitRefreshPeriod: 1m}}");
    AppRun run = app(jdk, dir, config, "--url", "jdbc:h2:mem:smoke", "--user", "sa",
        "--sql", "CREATE TABLE t (id INT)", "--sql", "INSERT INTO t VALUES (1)", "--sql", "INSERT INTO t VALUES (2)");
    assertClean(run);
    assertEquals("0", call(run, 0).rows, run.describe());
    assertEquals("1", call(run, 1).rows, run.describe());
    Call refused = call(run, 2);
    assertEquals("dev.levee.instrumentation.jdbc.StatementRejectedException", refused.error, run.describe());
    assertTrue(refused.message.startsWith("levee: rate limit reached for smoke.h2-mem:0 (3 calls per 1m"),
        refused.message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.levee.smoke.SmokeJdks#both")
  void anH2TcpServerIsKeyedByHostAndPort(Jdk jdk, @TempDir Path dir) throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    org.h2.tools.Server server = org.h2.tools.Server.createTcpServer("-tcpPort", Integer.toString(port), "-ifNotExists").start();
    try {
      Path config = SmokeApp.writeConfig(dir, "jdbc:", "  defaults:", "    timeout: {attempt: 30s}",
          "  hosts:", "    \"127.0.0.1:" + port + "\": {timeout: {attempt: 1500ms}}");
      AppRun run = app(jdk, dir, config, "--url", "jdbc:h2:tcp://127.0.0.1:" + port + "/mem:smoke", "--user", "sa",
          "--sql", "SELECT SUM(X) FROM SYSTEM_RANGE(1, 10000000000)", "--sql", "SELECT 1");
      assertClean(run);
      Call cut = call(run, 0);
      assertEquals("java.sql.SQLTimeoutException", cut.error, run.describe());
      assertTrue(cut.message.startsWith("levee: statement on 127.0.0.1:" + port + " cancelled after 1500ms"), cut.message);
      assertTrue(cut.ms < 5000, cut.toString());
      assertEquals("1", call(run, 1).rows, run.describe());
      assertNull(call(run, 1).sqlState);
    } finally {
      server.stop();
    }
  }
}
