package dev.levee.instrumentation.jdbc;

import dev.levee.core.Clock;
import dev.levee.core.RandomSource;
import dev.levee.core.config.ConfigLoader;
import dev.levee.core.config.LeveeConfig;
import dev.levee.core.pipeline.CallPipeline;
import dev.levee.instrumentation.api.BridgeTable;
import dev.levee.instrumentation.api.LeveeRuntime;
import dev.levee.instrumentation.api.MethodHook;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Assumptions;

/**
 * The JDBC hooks wired to a real pipeline, called as the woven code calls them: the hook's non-null
 * result is the method's result, null runs the method itself. The statements and drivers are real; only
 * the outermost object is "woven" (its inner calls run untouched, as the depth guard makes them anyway).
 */
final class JdbcHookHarness implements AutoCloseable {

  static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/test";
  static final String MARIADB_URL = "jdbc:mariadb://127.0.0.1:3306/test";

  final Map<String, BiFunction<Object, Object[], Object>> hooks;
  private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
    Thread t = new Thread(r, "test-levee-timer");
    t.setDaemon(true);
    return t;
  });

  JdbcHookHarness(String... yamlLines) throws Exception {
    LeveeConfig config = ConfigLoader.parse(String.join("\n", yamlLines) + "\n", "resilience.yaml");
    CallPipeline jdbc = new CallPipeline(config.jdbc(), Clock.SYSTEM, RandomSource.SYSTEM, timer);
    CallPipeline http = new CallPipeline(config.http(), Clock.SYSTEM, RandomSource.SYSTEM, timer);
    JdbcInstrumentation instrumentation = new JdbcInstrumentation();
    hooks = BridgeTable.of(instrumentation, instrumentation.hooks(new LeveeRuntime(config, http, jdbc)));
  }

  /** The bridge's site for a hooked method of the JDBC interface {@code iface}. */
  static String site(Class<?> iface, String method, String descriptor) {
    for (MethodHook<JdbcHooks> hook : new JdbcInstrumentation().methodHooks()) {
      if (iface.getName().equals(hook.interfaceName()) && hook.methodName().equals(method)
          && hook.methodDescriptor().equals(descriptor)) {
        return hook.site();
      }
    }
    throw new AssertionError("no hook for " + iface.getName() + "." + method + descriptor);
  }

  static String site(StatementMethod method) {
    return site(method.owner(), method.methodName, method.descriptor);
  }

  static String connectSite() {
    return site(Driver.class, "connect", "(Ljava/lang/String;Ljava/util/Properties;)Ljava/sql/Connection;");
  }

  /** {@code statement.executeQuery(sql)}, or another method, through its hook. */
  Object execute(StatementMethod method, Statement statement, Object... args) throws SQLException {
    Object result = hooks.get(site(method)).apply(statement, args);
    return result != null ? result : method.invoke(statement, args);
  }

  Object query(Statement statement, String sql) throws SQLException {
    return execute(StatementMethod.EXECUTE_QUERY_SQL, statement, sql);
  }

  /** {@code driver.connect(url, properties)} through its hook. */
  Connection connect(Driver driver, String url, Properties properties) throws SQLException {
    Object result = hooks.get(connectSite()).apply(driver, new Object[] {url, properties});
    return result != null ? (Connection) result : driver.connect(url, properties);
  }

  static Properties user(String user) {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", "");
    return p;
  }

  /** A connection made without Levee; skips the test with the reason when the server is not there. */
  static Connection direct(String url, String user) {
    try {
      return DriverManager.getConnection(url, user, "");
    } catch (SQLException e) {
      Assumptions.abort("no database at " + url + " (" + e.getMessage() + "): skipped");
      return null;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
