package dev.levee.instrumentation.jdbc;

import dev.levee.core.Outcome;
import dev.levee.core.pipeline.OutcomeClassifier;
import dev.levee.core.pipeline.Rejection;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;

/**
 * JDBC results and exceptions as pipeline outcomes (DESIGN.md §3). Only the dependency's failures are
 * failures: a syntax error, a constraint violation, a bad password are the application's
 * ({@code application-error}: never recorded, never retried, rethrown untouched).
 */
abstract class JdbcOutcomes implements OutcomeClassifier<Object> {

  /** {@code Driver.connect}: nothing was sent before the connection existed. */
  static final JdbcOutcomes CONNECT = new JdbcOutcomes() {
    @Override
    public Outcome classify(Throwable error) {
      if (error instanceof ConnectThreadsBusyException) {
        return Outcome.LOCAL; // Levee's threads are taken: nothing was tried, nothing to hold against the target
      }
      if (!(error instanceof SQLException)) {
        return hasIoCause(error) ? Outcome.CONNECT_FAILURE : Outcome.APPLICATION_ERROR;
      }
      String state = ((SQLException) error).getSQLState();
      if (isConnectionState(state)
          || "57P03".equals(state) // PostgreSQL: the database system is starting up
          || "53300".equals(state) // PostgreSQL: too many connections
          || error instanceof SQLTimeoutException
          || error instanceof SQLTransientConnectionException
          || error instanceof SQLNonTransientConnectionException
          || hasIoCause(error)) {
        return Outcome.CONNECT_FAILURE;
      }
      return Outcome.APPLICATION_ERROR;
    }

    @Override
    public Exception rejection(Rejection reason, String message) {
      return reason == Rejection.DEADLINE_EXPIRED
          ? new SQLTimeoutException(message, "08001")
          : new ConnectRejectedException(message, reason);
    }
  };

  /** A statement's execution. */
  static final JdbcOutcomes STATEMENT = new JdbcOutcomes() {
    @Override
    public Outcome classify(Throwable error) {
      if (!(error instanceof SQLException)) {
        return Outcome.APPLICATION_ERROR;
      }
      String state = ((SQLException) error).getSQLState();
      if (error instanceof SQLTimeoutException || isCancelState(state)) {
        return Outcome.TIMEOUT;
      }
      if ("40001".equals(state) || "40P01".equals(state)) {
        return Outcome.TRANSIENT;
      }
      if ("08001".equals(state) || "08004".equals(state)) {
        // a driver that connects lazily or reconnects failed to connect: the statement was never sent
        return Outcome.CONNECT_FAILURE;
      }
      if (isConnectionState(state)
          || error instanceof SQLTransientConnectionException
          || error instanceof SQLNonTransientConnectionException
          || error instanceof SQLRecoverableException) {
        return Outcome.RESET;
      }
      return Outcome.APPLICATION_ERROR;
    }

    @Override
    public Exception rejection(Rejection reason, String message) {
      return reason == Rejection.DEADLINE_EXPIRED
          ? new SQLTimeoutException(message)
          : new StatementRejectedException(message, reason);
    }
  };

  @Override
  public Outcome classify(Object result) {
    return Outcome.SUCCESS;
  }

  @Override
  public long retryAfterMillis(Object result, long nowEpochMillis) {
    return -1;
  }

  /** Never called for a success (success is never retried); closes what it is handed all the same. */
  @Override
  public void discard(Object result) {
    if (result instanceof AutoCloseable) {
      try {
        ((AutoCloseable) result).close();
      } catch (Exception ignored) {
        // dropped for a retry; nothing to tell the app
      }
    }
  }

  static boolean isConnectionState(String state) {
    return state != null && state.startsWith("08");
  }

  /**
   * A statement cancelled or timed out: 57014 (PostgreSQL, H2: query_canceled), 70100 (MySQL, MariaDB:
   * query execution was interrupted), HY008 (SQL Server: operation cancelled), HYT00/HYT01 (ODBC-style
   * timeouts).
   */
  static boolean isCancelState(String state) {
    return "57014".equals(state) || "70100".equals(state) || "HY008".equals(state)
        || "HYT00".equals(state) || "HYT01".equals(state);
  }

  static boolean hasIoCause(Throwable error) {
    int depth = 0;
    for (Throwable e = error; e != null && depth < 10; e = e.getCause(), depth++) {
      if (e instanceof IOException) {
        return true;
      }
    }
    return false;
  }
}
