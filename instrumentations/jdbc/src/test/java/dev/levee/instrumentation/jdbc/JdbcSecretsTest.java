package dev.levee.instrumentation.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every URL form of {@link SecretUrls} through the real hooks and pipeline, with a driver that hangs: the
 * connect ends at Levee's timeout, the breaker opens (printed on stderr) and refuses the next connect;
 * a statement on a connection of that URL is cancelled at Levee's timeout, then refused. No exception
 * message and no line on stderr holds the password.
 */
class JdbcSecretsTest {

  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private final CountDownLatch release = new CountDownLatch(1);
  private PrintStream realStderr;

  @BeforeEach
  void captureStderr() {
    realStderr = System.err;
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreStderr() {
    release.countDown();
    System.setErr(realStderr);
  }

  @Test
  void aHangingConnectAndTheOpenBreakerNeverShowThePassword() throws Exception {
    for (String[] form : SecretUrls.FORMS) {
      // a pipeline each: several forms name the same server
      try (JdbcHookHarness levee = new JdbcHookHarness("jdbc:", "  defaults:", "    timeout: {connect: 50ms}",
          "    circuitBreaker: {slidingWindowSize: 1, minimumNumberOfCalls: 1}")) {
        String url = form[0];
        SQLException timedOut = assertThrows(SQLException.class, () -> levee.connect(hangingDriver(), url, null), url);
        assertTrue(timedOut.getMessage().startsWith("levee: connect to " + form[1] + " did not complete"), timedOut.getMessage());
        SQLException refused = assertThrows(ConnectRejectedException.class, () -> levee.connect(hangingDriver(), url, null));
        assertTrue(refused.getMessage().startsWith("levee: circuit open for " + form[1]), refused.getMessage());
        SecretUrls.assertNoMarker(timedOut.getMessage());
        SecretUrls.assertNoMarker(refused.getMessage());
      }
    }
    String printed = stderr.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("levee: circuit open for 127.0.0.1:3307"), printed);
    SecretUrls.assertNoMarker(printed);
  }

  @Test
  void aCancelledStatementAndTheOpenBreakerNeverShowThePassword() throws Exception {
    for (String[] form : SecretUrls.FORMS) {
      try (JdbcHookHarness levee = new JdbcHookHarness("jdbc:", "  defaults:", "    timeout: {attempt: 50ms}",
          "    circuitBreaker: {slidingWindowSize: 1, minimumNumberOfCalls: 1}")) {
        Statement statement = statementCancelledAtLast(form[0]);
        SQLException cancelled = assertThrows(SQLException.class, () -> levee.query(statement, "SELECT 1"));
        assertTrue(cancelled.getMessage().startsWith("levee: statement on " + form[1] + " cancelled after 50ms"),
            cancelled.getMessage());
        SQLException refused = assertThrows(StatementRejectedException.class, () -> levee.query(statement, "SELECT 1"));
        assertTrue(refused.getMessage().startsWith("levee: circuit open for " + form[1]), refused.getMessage());
        SecretUrls.assertNoMarker(cancelled.getMessage());
        SecretUrls.assertNoMarker(refused.getMessage());
      }
    }
    String printed = stderr.toString(StandardCharsets.UTF_8);
    assertEquals(true, printed.contains("levee: circuit open for db:9093"), printed);
    SecretUrls.assertNoMarker(printed);
  }

  /** A driver that accepts every URL and whose connect hangs until the test ends. */
  private Driver hangingDriver() {
    return (Driver) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Driver.class}, (p, m, a) -> {
      switch (m.getName()) {
        case "acceptsURL":
          return true;
        case "connect":
          release.await();
          throw new SQLException("connection refused", "08001");
        default:
          return null;
      }
    });
  }

  /** A statement on a connection of {@code url} whose execution runs until it is cancelled, as a driver's does. */
  private static Statement statementCancelledAtLast(String url) {
    CountDownLatch cancel = new CountDownLatch(1);
    DatabaseMetaData meta = (DatabaseMetaData) Proxy.newProxyInstance(JdbcSecretsTest.class.getClassLoader(),
        new Class<?>[] {DatabaseMetaData.class}, (p, m, a) -> m.getName().equals("getURL") ? url : null);
    Connection connection = (Connection) Proxy.newProxyInstance(JdbcSecretsTest.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (p, m, a) -> m.getName().equals("getMetaData") ? meta : null);
    return (Statement) Proxy.newProxyInstance(JdbcSecretsTest.class.getClassLoader(),
        new Class<?>[] {Statement.class}, (p, m, a) -> {
          switch (m.getName()) {
            case "getConnection":
              return connection;
            case "cancel":
              cancel.countDown();
              return null;
            case "executeQuery":
              cancel.await();
              throw new SQLException("canceling statement due to user request", "57014");
            default:
              return null;
          }
        });
  }
}
