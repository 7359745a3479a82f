package dev.levee.instrumentation.jdbc;

import dev.levee.core.Faults;
import dev.levee.core.Target;
import dev.levee.core.deadline.CurrentDeadline;
import dev.levee.core.pipeline.CallPipeline;
import dev.levee.core.pipeline.CallSpec;
import dev.levee.core.pipeline.LeveeFault;
import dev.levee.instrumentation.api.DeclaredExceptions;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the hooked JDBC methods hand over to. {@code Driver.connect} runs on a Levee thread so the caller
 * can stop waiting at {@code timeout.connect} (a driver's blocked read ignores interrupts: DESIGN.md §7);
 * statements run on the caller's thread, bounded by {@link StatementCanceller}.
 *
 * <p>Retries (off by default) are allowed only where nothing can happen twice: a connect, and in
 * auto-commit mode an {@code executeQuery} or {@code execute} whose SQL is a plain SELECT. The pipeline's rule for that is the {@code CallSpec}: a
 * read or a connect is an idempotent, replayable call; anything else is neither, so not even a
 * {@code connect-failure} of it is retried (jdbc has no {@code retryMethods}).
 */
final class JdbcHooks {

  static final String CONNECT_METHOD = "CONNECT";
  static final String READ_METHOD = "SELECT";
  static final String WRITE_METHOD = "WRITE";

  private final CallPipeline pipeline;
  private final ScheduledExecutorService timer;
  private final JdbcThreads workers;
  private final ConcurrentHashMap<String, List<Target>> serversByUrl = new ConcurrentHashMap<>();

  JdbcHooks(CallPipeline pipeline) {
    this(pipeline, new JdbcThreads());
  }

  JdbcHooks(CallPipeline pipeline, JdbcThreads workers) {
    this.pipeline = pipeline;
    this.timer = pipeline.timer();
    this.workers = workers;
  }

  /** {@code Driver.connect(url, properties)}. */
  Object connect(Object self, Object[] args) throws Exception {
    int[] depth = JdbcCallDepth.current();
    if (depth[1] != 0) {
      depth[1] = 0;
      return null;
    }
    if (depth[0] > 0 || !(self instanceof Driver) || !(args[0] instanceof String)) {
      return null;
    }
    Driver driver = (Driver) self;
    String url = (String) args[0];
    Properties properties = (Properties) args[1];
    // a multi-host URL's connect is one call to all its servers (a group target): the driver's failover runs
    // inside the attempt, so only no server answering fails it, and a dead first server never blocks a connect
    // the driver would take to the next
    // DriverManager offers every URL to every driver: the others' connect returns null at once
    Target target = LeveeFault.guard(() -> {
      Faults.at(Faults.Step.REQUEST);
      try {
        return driver.acceptsURL(url) ? JdbcUrls.target(url) : null;
      } catch (SQLException e) {
        return null;
      }
    });
    if (target == null) {
      return null;
    }
    depth[0]++;
    try {
      Object connection = pipeline.execute(
          new CallSpec(target, CONNECT_METHOD, true, true, CurrentDeadline.get()),
          attempt -> connectOnWorker(driver, url, properties, target, attempt.timeoutNanos()),
          JdbcOutcomes.CONNECT);
      if (connection == null) {
        // the driver declined after all; the woven code runs connect again, untouched, to say so itself
        depth[1] = 1;
      }
      return connection;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLTransientConnectionException("levee: interrupted while connecting to " + target, "08001", e);
    } finally {
      depth[0]--;
    }
  }

  /**
   * The real connect on a Levee thread, waited for at most min(timeout.connect, the attempt's budget). A
   * connection that arrives after the caller stopped waiting is closed. A connect that never returns (a
   * server that accepts and never answers) keeps its thread until the driver gives up; the breaker then
   * stops new ones, and {@link JdbcThreads} bounds how many such threads there can be.
   */
  private Connection connectOnWorker(Driver driver, String url, Properties properties, Target target, long budgetNanos)
      throws SQLException, InterruptedException {
    long connectNanos = pipeline.policyFor(target).timeout().connect().toNanos();
    long wait = Math.min(connectNanos, budgetNanos);
    ClassLoader callerLoader = Thread.currentThread().getContextClassLoader();
    CompletableFuture<Connection> result = workers.connect(target, () -> {
      Thread worker = Thread.currentThread();
      int[] depth = JdbcCallDepth.current();
      depth[0]++;
      worker.setContextClassLoader(callerLoader); // drivers may load plugins through it
      try {
        return driver.connect(url, properties);
      } finally {
        // before the caller learns the outcome: its web app may be undeployed the moment it has
        worker.setContextClassLoader(null);
        depth[0]--;
      }
    });
    try {
      return result.get(wait, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      result.whenComplete((late, error) -> closeQuietly(late));
      workers.stuck(target, result, TimeUnit.NANOSECONDS.toMillis(wait));
      throw new SQLTransientConnectionException(
          "levee: connect to " + target + " did not complete within " + TimeUnit.NANOSECONDS.toMillis(wait)
              + (wait < connectNanos ? "ms (the call's deadline)" : "ms (jdbc timeout.connect)")
              + "; a connection that arrives later is closed",
          "08001");
    } catch (InterruptedException e) {
      result.whenComplete((late, error) -> closeQuietly(late));
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SQLException) {
        throw (SQLException) cause;
      }
      throw DeclaredExceptions.<RuntimeException>rethrow(cause);
    }
  }

  /** Every execute method of {@code Statement}, {@code PreparedStatement}, {@code CallableStatement}. */
  Object statement(StatementMethod method, Object self, Object[] args) throws Exception {
    int[] depth = JdbcCallDepth.current();
    if (depth[0] > 0 || !method.owner().isInstance(self)) {
      return null;
    }
    Statement statement = (Statement) self;
    depth[0]++;
    try {
      CallSpec call = LeveeFault.guard(() -> spec(statement, method, args));
      if (call == null) {
        return null;
      }
      Target target = call.target();
      return pipeline.execute(
          call,
          attempt -> {
            StatementCanceller canceller = StatementCanceller.arm(statement, target, attempt.timeoutNanos(), timer, workers);
            try {
              return method.invoke(statement, args);
            } catch (SQLException e) {
              throw canceller.fired() ? canceller.timeout(e) : e;
            } finally {
              canceller.disarm();
            }
          },
          JdbcOutcomes.STATEMENT);
    } finally {
      depth[0]--;
    }
  }

  /**
   * The statement's target (from its connection's URL: its server, or for a multi-host URL the server the
   * connection reached) and whether it may be retried; null (run untouched) when the statement cannot tell,
   * e.g. it is closed: the driver then says so itself.
   */
  private CallSpec spec(Statement statement, StatementMethod method, Object[] args) {
    Faults.at(Faults.Step.REQUEST);
    try {
      Connection connection = statement.getConnection();
      String url = connection.getMetaData().getURL();
      List<Target> servers = url == null ? null : serversByUrl.get(url);
      if (servers == null) {
        servers = JdbcUrls.servers(url);
        if (servers == null) {
          return null;
        }
        if (serversByUrl.size() < 1_000) {
          serversByUrl.put(url, servers);
        }
      }
      Target target = servers.get(0);
      if (servers.size() > 1) {
        // each server of a multi-host URL has its own breaker: the one this connection reached
        Target reached = ReachedServers.of(connection);
        target = reached != null ? reached : Target.group(servers);
      }
      // only what the call's own SQL shows to be a plain SELECT: isReadOnly is a hint (JDBC), and PostgreSQL's
      // driver, for one, says true and lets writes through in auto-commit mode. Asked only when retries are
      // on: getAutoCommit may cost a round trip on some drivers
      boolean read = method.mayRead() && pipeline.policyFor(target).retry().maxAttempts() > 1
          && ReadOnlySql.isPlainSelect((String) args[0]) && connection.getAutoCommit();
      return new CallSpec(target, read ? READ_METHOD : WRITE_METHOD, read, read, CurrentDeadline.get());
    } catch (SQLException e) {
      return null;
    }
  }

  private static void closeQuietly(Connection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException | RuntimeException ignored) {
        // the app never saw this connection
      }
    }
  }
}
