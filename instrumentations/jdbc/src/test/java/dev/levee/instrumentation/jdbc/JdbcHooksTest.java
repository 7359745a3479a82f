package dev.levee.instrumentation.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.levee.core.pipeline.Rejection;
import dev.levee.testkit.StallingServer;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The hooks against real drivers: H2 embedded, PostgreSQL and MariaDB (skipped when not running), HikariCP. */
class JdbcHooksTest {

  static final String QUIET_BREAKER = "    circuitBreaker: {slidingWindowSize: 1000, minimumNumberOfCalls: 1000}";

  static int count(ResultSet rs) throws SQLException {
    int n = 0;
    while (rs.next()) {
      n++;
    }
    rs.close();
    return n;
  }

  @Test
  void h2EmbeddedRunsThroughThePipelineAndItsSqlErrorsAreTheApplications() throws Exception {
    try (JdbcHookHarness levee = new JdbcHookHarness(
            "jdbc:", "  defaults:", "    circuitBreaker: {slidingWindowSize: 4, minimumNumberOfCalls: 2}");
        Connection c = JdbcHookHarness.direct("jdbc:h2:mem:hooks;DB_CLOSE_DELAY=-1", "sa");
        Statement s = c.createStatement()) {
      assertEquals("hooks.h2-mem:0", JdbcUrls.target(c.getMetaData().getURL()).toString());
      levee.execute(StatementMethod.EXECUTE_UPDATE_SQL, s, "CREATE TABLE t (id INT PRIMARY KEY)");
      assertEquals(1, levee.execute(StatementMethod.EXECUTE_UPDATE_SQL, s, "INSERT INTO t VALUES (1)"));
      for (int i = 0; i < 6; i++) {
        SQLException syntax = assertThrows(SQLException.class, () -> levee.query(s, "SELEC nonsense"));
        assertEquals("org.h2.jdbc.JdbcSQLSyntaxErrorException", syntax.getClass().getName(), "the driver's own exception");
        SQLException duplicate = assertThrows(SQLException.class,
            () -> levee.execute(StatementMethod.EXECUTE_UPDATE_SQL, s, "INSERT INTO t VALUES (1)"));
        assertEquals("23505", duplicate.getSQLState());
      }
      assertEquals(1, count((ResultSet) levee.query(s, "SELECT * FROM t")), "SQL errors never open the breaker");
    }
  }

  @Test
  void aPostgresQueryPastTheAttemptTimeoutIsCancelledAndTheConnectionStaysUsable() throws Exception {
    try (JdbcHookHarness levee = new JdbcHookHarness("jdbc:", "  defaults:", "    timeout: {attempt: 1s}", QUIET_BREAKER);
        Connection c = JdbcHookHarness.direct(JdbcHookHarness.PG_URL, "postgres");
        Statement s = c.createStatement()) {
      long began = System.nanoTime();
      SQLTimeoutException timeout = assertThrows(SQLTimeoutException.class, () -> levee.query(s, "SELECT pg_sleep(5)"));
      long ms = (System.nanoTime() - began) / 1_000_000;
      assertTrue(ms >= 900 && ms < 4000, "cancelled at ~1s, took " + ms + "ms");
      assertEquals("57014", timeout.getSQLState(), "the driver's SQLState is kept");
      assertTrue(timeout.getMessage().startsWith("levee: statement on 127.0.0.1:5432 cancelled after 1000ms"), timeout.getMessage());
      assertEquals(1, count((ResultSet) levee.query(s, "SELECT 1")), "the same connection runs the next statement");
    }
  }

  @Test
  void anAppsStricterQueryTimeoutWinsWithTheDriversOwnException() throws Exception {
    try (JdbcHookHarness levee = new JdbcHookHarness("jdbc:", "  defaults:", "    timeout: {attempt: 4s}", QUIET_BREAKER);
        Connection c = JdbcHookHarness.direct(JdbcHookHarness.PG_URL, "postgres");
        Statement s = c.createStatement()) {
      s.setQueryTimeout(1);
      long began = System.nanoTime();
      SQLException e = assertThrows(SQLException.class, () -> levee.query(s, "SELECT pg_sleep(3)"));
      long ms = (System.nanoTime() - began) / 1_000_000;
      assertTrue(ms < 2500, "the app's 1s timeout fired, took " + ms + "ms");
      assertEquals("org.postgresql.util.PSQLException", e.getClass().getName(), "untouched: " + e);
    }
  }

  @Test
  void aPooledHikariConnectionIsStillUsableAfterACutQuery() throws Exception {
    try (Connection probe = JdbcHookHarness.direct(JdbcHookHarness.PG_URL, "postgres")) {
      // reachable: go on
    }
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(JdbcHookHarness.PG_URL);
    pool.setUsername("postgres");
    pool.setMaximumPoolSize(1);
    try (JdbcHookHarness levee = new JdbcHookHarness("jdbc:", "  defaults:", "    timeout: {attempt: 1s}", QUIET_BREAKER);
        HikariDataSource ds = new HikariDataSource(pool)) {
      int pid;
      try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
        ResultSet rs = (ResultSet) levee.query(s, "SELECT pg_backend_pid()");
        rs.next();
        pid = rs.getInt(1);
        assertThrows(SQLTimeoutException.class, () -> levee.query(s, "SELECT pg_sleep(5)"));
      }
      try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
        ResultSet rs = (ResultSet) levee.query(s, "SELECT pg_backend_pid()");
        rs.next();
        assertEquals(pid, rs.getInt(1), "the pool kept the same physical connection");
      }
    }
  }

  @Test
  void aMariaDbQueryPastTheAttemptTimeoutIsCancelledAndTheConnectionStaysUsable() throws Exception {
    try (JdbcHookHarness levee = new JdbcHookHarness("jdbc:", "  defaults:", "    timeout: {attempt: 1s}", QUIET_BREAKER);
        Connection c = JdbcHookHarness.direct(JdbcHookHarness.MARIADB_URL, "root");
        Statement s = c.createStatement()) {
      long began = System.nanoTime();
      SQLTimeoutException timeout = assertThrows(SQLTimeoutException.class, () -> levee.query(s, "SELECT SLEEP(5)"));
      long ms = (System.nanoTime() - began) / 1_000_000;
      assertTrue(ms >= 900 && ms < 4000, "cancelled at ~1s, took " + ms + "ms");
      assertEquals("70100", timeout.getSQLState());
      assertEquals(1, count((ResultSet) levee.query(s, "SELECT 1")));
    }
  }

  @Test
  void aConnectToAStalledServerEndsAtTheConnectTimeoutAndOpensTheBreaker() throws Exception {
    try (StallingServer stalled = StallingServer.start();
        JdbcHookHarness levee = new JdbcHookHarness(
            "jdbc:", "  defaults:", "    timeout: {connect: 500ms}",
            "    circuitBreaker: {slidingWindowSize: 2, minimumNumberOfCalls: 2, waitDurationInOpenState: 30s}")) {
      String url = "jdbc:postgresql://127.0.0.1:" + stalled.port() + "/test";
      org.postgresql.Driver driver = new org.postgresql.Driver();
      for (int i = 0; i < 2; i++) {
        long began = System.nanoTime();
        SQLTransientConnectionException e = assertThrows(SQLTransientConnectionException.class,
            () -> levee.connect(driver, url, JdbcHookHarness.user("postgres")));
        long ms = (System.nanoTime() - began) / 1_000_000;
        assertTrue(ms >= 400 && ms < 3000, "ended at the connect timeout, took " + ms + "ms");
        assertEquals("08001", e.getSQLState());
      }
      long began = System.nanoTime();
      ConnectRejectedException open = assertThrows(ConnectRejectedException.class,
          () -> levee.connect(driver, url, JdbcHookHarness.user("postgres")));
      assertTrue((System.nanoTime() - began) / 1_000_000 < 200, "fails fast");
      assertEquals(Rejection.CIRCUIT_OPEN, open.reason());
      assertTrue(open.getMessage().startsWith("levee: circuit open for 127.0.0.1:" + stalled.port()), open.getMessage());
      assertTrue(open.getMessage().contains("next probe in"), open.getMessage());
      assertEquals("08001", open.getSQLState());
      assertEquals(2, stalled.acceptedCount(), "the open breaker sent nothing");
    }
  }

  @Test
  void aPostgresMultiHostUrlIsNotBlockedByADeadFirstServerAndEachServerHasItsOwnBreaker() throws Exception {
    multiHost(JdbcHookHarness.PG_URL, "postgres", new org.postgresql.Driver(), "jdbc:postgresql://127.0.0.1:%d/test",
        "jdbc:postgresql://127.0.0.1:%d,127.0.0.1:5432/test", "127.0.0.1:5432", "SELECT pg_sleep(2)");
  }

  @Test
  void aMariaDbMultiHostUrlIsNotBlockedByADeadFirstServerAndEachServerHasItsOwnBreaker() throws Exception {
    multiHost(JdbcHookHarness.MARIADB_URL, "root", new org.mariadb.jdbc.Driver(), "jdbc:mariadb://127.0.0.1:%d/test",
        "jdbc:mariadb:sequential://127.0.0.1:%d,127.0.0.1:3306/test", "127.0.0.1:3306", "SELECT SLEEP(2)");
  }

  /**
   * The first server of a multi-host URL is dead and its breaker open: a connect to the URL still reaches the
   * second (the driver's failover), and the statements on that connection are the second server's: cut and
   * refused under its name.
   */
  static void multiHost(String live, String user, java.sql.Driver driver, String deadUrl, String bothUrl,
      String reached, String slow) throws Exception {
    int dead = closedPort();
    try (Connection probe = JdbcHookHarness.direct(live, user);
        JdbcHookHarness levee = new JdbcHookHarness("jdbc:", "  defaults:", "    timeout: {attempt: 300ms}",
            "    circuitBreaker: {slidingWindowSize: 1, minimumNumberOfCalls: 1, waitDurationInOpenState: 60s}")) {
      String deadOnly = String.format(deadUrl, dead);
      assertThrows(SQLException.class, () -> levee.connect(driver, deadOnly, JdbcHookHarness.user(user)));
      ConnectRejectedException open = assertThrows(ConnectRejectedException.class,
          () -> levee.connect(driver, deadOnly, JdbcHookHarness.user(user)));
      assertTrue(open.getMessage().startsWith("levee: circuit open for 127.0.0.1:" + dead), open.getMessage());
      try (Connection c = levee.connect(driver, String.format(bothUrl, dead), JdbcHookHarness.user(user));
          Statement s = c.createStatement()) {
        assertEquals(1, count((ResultSet) levee.query(s, "SELECT 1")));
        SQLTimeoutException cut = assertThrows(SQLTimeoutException.class, () -> levee.query(s, slow));
        assertTrue(cut.getMessage().startsWith("levee: statement on " + reached + " cancelled"), cut.getMessage());
      }
      try (Connection c = levee.connect(driver, String.format(bothUrl, dead), JdbcHookHarness.user(user));
          Statement s = c.createStatement()) {
        StatementRejectedException refused = assertThrows(StatementRejectedException.class, () -> levee.query(s, "SELECT 1"));
        assertTrue(refused.getMessage().startsWith("levee: circuit open for " + reached), refused.getMessage());
      }
    }
  }

  static int closedPort() throws java.io.IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  void aConnectThroughTheHookReturnsAWorkingConnection() throws Exception {
    try (Connection probe = JdbcHookHarness.direct(JdbcHookHarness.PG_URL, "postgres");
        JdbcHookHarness levee = new JdbcHookHarness("jdbc:", "  defaults:", "    timeout: {connect: 5s}");
        Connection c = levee.connect(new org.postgresql.Driver(), JdbcHookHarness.PG_URL, JdbcHookHarness.user("postgres"));
        Statement s = c.createStatement()) {
      assertEquals(1, count(s.executeQuery("SELECT 1")));
      assertNull(levee.hooks.get(JdbcHookHarness.connectSite()).apply(new org.h2.Driver(), new Object[] {JdbcHookHarness.PG_URL, null}),
          "a driver that does not accept the URL is left to say so itself");
    }
  }

  @Test
  void aTransientFailureRetriesAReadButNeverAWrite() throws Exception {
    withTransientFailures((levee, c, s) -> {
      SQLException write = assertThrows(SQLException.class,
          () -> levee.execute(StatementMethod.EXECUTE_UPDATE_SQL, s, "INSERT INTO levee_hooks_orders VALUES (1)"));
      assertEquals("40001", write.getSQLState());
      assertEquals(1, runs(s), "a write ran once");

      assertThrows(SQLException.class, () -> levee.query(s, "SELECT levee_hooks_read()"));
      assertEquals(1 + 3, runs(s), "a read ran maxAttempts times");

      c.setAutoCommit(false);
      assertThrows(SQLException.class, () -> levee.query(s, "SELECT levee_hooks_read()"));
      c.rollback();
      c.setAutoCommit(true);
      assertEquals(1 + 3 + 1, runs(s), "never inside a transaction");
    });
  }

  /**
   * {@code isReadOnly} is a hint (JDBC): PostgreSQL's driver, in auto-commit mode, says true and lets every
   * write through. A write on such a connection, however it is made, runs once.
   */
  @Test
  void aReadOnlyConnectionIsNoProofThatAStatementOnlyReads() throws Exception {
    withTransientFailures((levee, c, s) -> {
      c.setReadOnly(true);
      assertTrue(c.isReadOnly());
      assertThrows(SQLException.class,
          () -> levee.execute(StatementMethod.EXECUTE_UPDATE_SQL, s, "INSERT INTO levee_hooks_orders VALUES (1)"));
      assertEquals(1, runs(s), "executeUpdate ran once");
      assertThrows(SQLException.class,
          () -> levee.execute(StatementMethod.EXECUTE_SQL, s, "INSERT INTO levee_hooks_orders VALUES (2)"));
      assertEquals(2, runs(s), "execute of an INSERT ran once");
      try (PreparedStatement update = c.prepareStatement("INSERT INTO levee_hooks_orders VALUES (3)");
          PreparedStatement returning = c.prepareStatement("INSERT INTO levee_hooks_orders VALUES (4) RETURNING id")) {
        assertThrows(SQLException.class, () -> levee.execute(StatementMethod.PREPARED_EXECUTE_UPDATE, update));
        assertEquals(3, runs(s), "a prepared executeUpdate ran once");
        update.addBatch();
        assertThrows(SQLException.class, () -> levee.execute(StatementMethod.EXECUTE_BATCH, update));
        assertEquals(4, runs(s), "a batch ran once");
        assertThrows(SQLException.class, () -> levee.execute(StatementMethod.PREPARED_EXECUTE_QUERY, returning));
        assertEquals(5, runs(s), "a prepared executeQuery, whose SQL Levee cannot see, ran once");
      }
      assertThrows(SQLException.class, () -> levee.query(s, "SELECT levee_hooks_read()"));
      assertEquals(5 + 3, runs(s), "a plain SELECT is still retried");
    });
  }

  interface RetryScenario {
    void run(JdbcHookHarness levee, Connection c, Statement s) throws Exception;
  }

  /**
   * Runs {@code scenario} with retries on (3 attempts) against PostgreSQL, where an INSERT into
   * levee_hooks_orders and a SELECT of levee_hooks_read() fail with 40001, each run counted ({@link #runs}).
   */
  static void withTransientFailures(RetryScenario scenario) throws Exception {
    try (JdbcHookHarness levee = new JdbcHookHarness("jdbc:", "  defaults:",
            "    retry: {maxAttempts: 3, initialBackoff: 10ms, maxBackoff: 20ms}", QUIET_BREAKER);
        Connection c = JdbcHookHarness.direct(JdbcHookHarness.PG_URL, "postgres");
        Statement s = c.createStatement()) {
      installTransientFailures(s);
      try {
        scenario.run(levee, c, s);
      } finally {
        c.setReadOnly(false);
        c.setAutoCommit(true);
        dropTransientFailures(s);
      }
    }
  }

  static void installTransientFailures(Statement s) throws SQLException {
    s.execute("DROP TABLE IF EXISTS levee_hooks_orders; DROP SEQUENCE IF EXISTS levee_hooks_runs;"
        + "CREATE SEQUENCE levee_hooks_runs; CREATE TABLE levee_hooks_orders (id int);"
        + "CREATE OR REPLACE FUNCTION levee_hooks_fail() RETURNS trigger AS $$ BEGIN PERFORM nextval('levee_hooks_runs');"
        + " RAISE EXCEPTION 'serialization' USING ERRCODE = '40001'; END $$ LANGUAGE plpgsql;"
        + "CREATE TRIGGER levee_hooks_fail BEFORE INSERT ON levee_hooks_orders FOR EACH ROW EXECUTE FUNCTION levee_hooks_fail();"
        + "CREATE OR REPLACE FUNCTION levee_hooks_read() RETURNS int AS $$ BEGIN PERFORM nextval('levee_hooks_runs');"
        + " RAISE EXCEPTION 'serialization' USING ERRCODE = '40001'; END $$ LANGUAGE plpgsql;");
  }

  static void dropTransientFailures(Statement s) throws SQLException {
    s.execute("DROP TABLE levee_hooks_orders; DROP SEQUENCE levee_hooks_runs;"
        + " DROP FUNCTION levee_hooks_fail(); DROP FUNCTION levee_hooks_read()");
  }

  static long runs(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT last_value FROM levee_hooks_runs")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void aWrapperCallingItsDriverIsOnePipelineCall() throws Exception {
    // bulkhead of 1: a second, nested pipeline call on the same target would be refused
    try (JdbcHookHarness levee = new JdbcHookHarness("jdbc:", "  defaults:", "    bulkhead: {maxConcurrentCalls: 1}")) {
      List<Object> inner = new ArrayList<>();
      AtomicInteger bodies = new AtomicInteger();
      Statement[] self = new Statement[1];
      self[0] = fakeStatement("jdbc:h2:mem:fake", (method, args) -> {
        // what a pool's proxy does: call the driver's statement, itself woven
        inner.add(levee.hooks.get(JdbcHookHarness.site(StatementMethod.EXECUTE_SQL)).apply(self[0], args));
        bodies.incrementAndGet();
        return true;
      });
      assertEquals(true, levee.execute(StatementMethod.EXECUTE_SQL, self[0], "SELECT 1"));
      assertEquals(1, bodies.get());
      assertEquals(1, inner.size());
      assertNull(inner.get(0), "the nested call runs untouched");
      assertFalse(levee.hooks.get(JdbcHookHarness.site(StatementMethod.EXECUTE_SQL)).apply("not a statement", new Object[] {"x"}) != null);
    }
  }

  interface Body {
    Object run(String method, Object[] args) throws Exception;
  }

  static Statement fakeStatement(String url, Body execute) {
    DatabaseMetaData meta = (DatabaseMetaData) Proxy.newProxyInstance(JdbcHooksTest.class.getClassLoader(),
        new Class<?>[] {DatabaseMetaData.class}, (p, m, a) -> m.getName().equals("getURL") ? url : null);
    Connection connection = (Connection) Proxy.newProxyInstance(JdbcHooksTest.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (p, m, a) -> {
          switch (m.getName()) {
            case "getMetaData": return meta;
            case "getAutoCommit": return true;
            case "isReadOnly": return false;
            default: return null;
          }
        });
    Statement[] statement = new Statement[1];
    statement[0] = (Statement) Proxy.newProxyInstance(JdbcHooksTest.class.getClassLoader(),
        new Class<?>[] {Statement.class}, (p, m, a) -> {
          switch (m.getName()) {
            case "getConnection": return connection;
            case "execute": return execute.run(m.getName(), a);
            default: return null;
          }
        });
    return statement[0];
  }

  @Test
  void rejectionsAreSqlTransientExceptionsOfLevee() {
    Exception connect = JdbcOutcomes.CONNECT.rejection(Rejection.BULKHEAD_FULL, "levee: bulkhead full for db:5432");
    assertInstanceOf(SQLTransientConnectionException.class, connect);
    Exception statement = JdbcOutcomes.STATEMENT.rejection(Rejection.CIRCUIT_OPEN, "levee: circuit open for db:5432");
    assertInstanceOf(StatementRejectedException.class, statement);
    assertNull(((SQLException) statement).getSQLState(), "no class-08 state: a pool must not evict the connection");
    assertInstanceOf(SQLTimeoutException.class, JdbcOutcomes.STATEMENT.rejection(Rejection.DEADLINE_EXPIRED, "x"));
    assertSame(Rejection.CIRCUIT_OPEN, ((StatementRejectedException) statement).reason());
    Exception rateLimited = JdbcOutcomes.STATEMENT.rejection(Rejection.RATE_LIMITED, "levee: rate limit reached");
    assertInstanceOf(StatementRejectedException.class, rateLimited);
    assertSame(Rejection.RATE_LIMITED, ((StatementRejectedException) rateLimited).reason());
  }
}
