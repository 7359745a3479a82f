package dev.levee.smoke.apps;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * An ordinary app that talks to a database through JDBC, directly ({@code DriverManager}) or through a
 * HikariCP pool. It knows nothing of Levee.
 *
 * <pre>
 *   --url URL              the JDBC URL (required)
 *   --user U, --password P
 *   --via drivermanager|hikari   default drivermanager
 *   --sql SQL              repeatable: each runs as CALL i on one connection, held for the whole run
 *   --connects N           instead: open (and close) N connections, each printed as CALL i
 *   --query-timeout S      the app's own Statement.setQueryTimeout
 *   --no-autocommit        run the statements in one transaction (rolled back after a failure)
 *   --fault-before-call I:F  repeatable; before statement I, set the system property levee.test.fault to F
 *   --interrupt-after-ms M   the app interrupts its own thread M ms into statement 0; after it, prints
 *                            interrupted-flag-0=true|false (the flag as the statement left it, then cleared)
 * </pre>
 *
 * Output, one line per call: {@code CALL 0 rows=1 error=- ms=12}, or
 * {@code CALL 1 rows=- error=java.sql.SQLTimeoutException sqlstate=57014 message="..." ms=1003}; rows is
 * the rows read, or the update count.
 */
public final class JdbcApp {

  private JdbcApp() {}

  public static void main(String[] argv) throws Exception {
    String url = null;
    String user = null;
    String password = null;
    String via = "drivermanager";
    List<String> statements = new ArrayList<>();
    int connects = 0;
    int queryTimeout = 0;
    boolean autoCommit = true;
    java.util.Map<Integer, String> faultBeforeCall = new java.util.HashMap<>();
    long interruptAfterMs = -1;
    for (int i = 0; i < argv.length; i++) {
      switch (argv[i]) {
        case "--url": url = argv[++i]; break;
        case "--user": user = argv[++i]; break;
        case "--password": password = argv[++i]; break;
        case "--via": via = argv[++i]; break;
        case "--sql": statements.add(argv[++i]); break;
        case "--connects": connects = Integer.parseInt(argv[++i]); break;
        case "--query-timeout": queryTimeout = Integer.parseInt(argv[++i]); break;
        case "--no-autocommit": autoCommit = false; break;
        case "--interrupt-after-ms": interruptAfterMs = Long.parseLong(argv[++i]); break;
        case "--fault-before-call": {
          String value = argv[++i];
          int at = value.indexOf(':');
          faultBeforeCall.put(Integer.parseInt(value.substring(0, at)), value.substring(at + 1));
          break;
        }
        default:
          System.err.println("usage error: unknown argument " + argv[i]);
          System.exit(2);
      }
    }
    if (url == null) {
      System.err.println("usage error: --url is required");
      System.exit(2);
    }
    HikariDataSource pool = null;
    if (via.equals("hikari")) {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(url);
      config.setUsername(user);
      config.setPassword(password);
      config.setMaximumPoolSize(1);
      pool = new HikariDataSource(config);
    }
    // user and password only when given: a URL may carry its own
    Properties credentials = new Properties();
    if (user != null) {
      credentials.setProperty("user", user);
    }
    if (password != null) {
      credentials.setProperty("password", password);
    }
    for (int i = 0; i < connects; i++) {
      long start = System.nanoTime();
      try (Connection c = pool != null ? pool.getConnection() : DriverManager.getConnection(url, credentials)) {
        print(i, 0, null, start);
      } catch (SQLException e) {
        print(i, -1, e, start);
      }
    }
    if (!statements.isEmpty()) {
      try (Connection c = pool != null ? pool.getConnection() : DriverManager.getConnection(url, credentials)) {
        c.setAutoCommit(autoCommit);
        for (int i = 0; i < statements.size(); i++) {
          if (faultBeforeCall.containsKey(i)) {
            System.setProperty("levee.test.fault", faultBeforeCall.get(i));
          }
          long start = System.nanoTime();
          Thread interrupter = null;
          if (i == 0 && interruptAfterMs >= 0) {
            Thread self = Thread.currentThread();
            long after = interruptAfterMs;
            interrupter = new Thread(() -> {
              try {
                Thread.sleep(after);
                self.interrupt();
              } catch (InterruptedException e) {
                // the statement ended first
              }
            });
            interrupter.setDaemon(true);
            interrupter.start();
          }
          try (Statement s = c.createStatement()) {
            if (queryTimeout > 0) {
              s.setQueryTimeout(queryTimeout);
            }
            print(i, rows(s, s.execute(statements.get(i))), null, start);
          } catch (SQLException e) {
            print(i, -1, e, start);
            if (!autoCommit) {
              c.rollback();
            }
          }
          if (interrupter != null) {
            // the flag as the statement left it, read and cleared first: join() with it set would throw at once
            // when the interrupter has not ended yet (a race the app lost on a busy machine)
            boolean interrupted = Thread.interrupted();
            interrupter.interrupt();
            interrupter.join();
            System.out.println("interrupted-flag-0=" + interrupted);
          }
        }
        if (!autoCommit) {
          c.commit();
        }
      } catch (SQLException e) {
        System.out.println("CONNECT error=" + e.getClass().getName() + " message=\"" + CallReport.escape(e.getMessage()) + "\"");
      }
    }
    if (pool != null) {
      pool.close();
    }
    System.out.flush();
    System.exit(0);
  }

  private static long rows(Statement s, boolean isResultSet) throws SQLException {
    if (!isResultSet) {
      return s.getUpdateCount();
    }
    long n = 0;
    try (ResultSet rs = s.getResultSet()) {
      while (rs.next()) {
        n++;
      }
    }
    return n;
  }

  private static void print(int call, long rows, SQLException error, long startNanos) {
    long ms = (System.nanoTime() - startNanos) / 1_000_000;
    if (error == null) {
      System.out.println("CALL " + call + " rows=" + rows + " error=- ms=" + ms);
    } else {
      System.out.println("CALL " + call + " rows=- error=" + error.getClass().getName() + " sqlstate=" + error.getSQLState()
          + " message=\"" + CallReport.escape(error.getMessage()) + "\" ms=" + ms);
    }
  }
}
