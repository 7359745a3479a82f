package dev.levee.instrumentation.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Every execution method of {@code Statement} and {@code PreparedStatement} (JDBC 4.2; {@code CallableStatement}
 * adds none), with its descriptor, and how an attempt calls it again through the interface.
 */
enum StatementMethod {
  EXECUTE_QUERY_SQL("executeQuery", "(Ljava/lang/String;)Ljava/sql/ResultSet;", true) {
    @Override
    Object invoke(Statement s, Object[] a) throws SQLException {
      return s.executeQuery((String) a[0]);
    }
  },
  EXECUTE_UPDATE_SQL("executeUpdate", "(Ljava/lang/String;)I", true) {
    @Override
    Object invoke(Statement s, Object[] a) throws SQLException {
      return s.executeUpdate((String) a[0]);
    }
  },
  EXECUTE_UPDATE_SQL_KEYS("executeUpdate", "(Ljava/lang/String;I)I", true) {
    @Override
    Object invoke(Statement s, Object[] a) throws SQLException {
      return s.executeUpdate((String) a[0], (Integer) a[1]);
    }
  },
  EXECUTE_UPDATE_SQL_INDEXES("executeUpdate", "(Ljava/lang/String;[I)I", true) {
    @Override
    Object invoke(Statement s, Object[] a) throws SQLException {
      return s.executeUpdate((String) a[0], (int[]) a[1]);
    }
  },
  EXECUTE_UPDATE_SQL_NAMES("executeUpdate", "(Ljava/lang/String;[Ljava/lang/String;)I", true) {
    @Override
    Object invoke(Statement s, Object[] a) throws SQLException {
      return s.executeUpdate((String) a[0], (String[]) a[1]);
    }
  },
  EXECUTE_SQL("execute", "(Ljava/lang/String;)Z", true) {
    @Override
    Object invoke(Statement s, Object[] a) throws SQLException {
      return s.execute((String) a[0]);
    }
  },
  EXECUTE_SQL_KEYS("execute", "(Ljava/lang/String;I)Z", true) {
    @Override
    Object invoke(Statement s, Object[] a) throws SQLException {
      return s.execute((String) a[0], (Integer) a[1]);
    }
  },
  EXECUTE_SQL_INDEXES("execute", "(Ljava/lang/String;[I)Z", true) {
    @Override
    Object invoke(Statement s, Object[] a) throws SQLException {
      return s.execute((String) a[0], (int[]) a[1]);
    }
  },
  EXECUTE_SQL_NAMES("execute", "(Ljava/lang/String;[Ljava/lang/String;)Z", true) {
    @Override
    Object invoke(Statement s, Object[] a) throws SQLException {
      return s.execute((String) a[0], (String[]) a[1]);
    }
  },
  EXECUTE_BATCH("executeBatch", "()[I", false) {
    @Override
    Object invoke(Statement s, Object[] a) throws SQLException {
      return s.executeBatch();
    }
  },
  EXECUTE_LARGE_BATCH("executeLargeBatch", "()[J", false) {
    @Override
    Object invoke(Statement s, Object[] a) throws SQLException {
      return s.executeLargeBatch();
    }
  },
  EXECUTE_LARGE_UPDATE_SQL("executeLargeUpdate", "(Ljava/lang/String;)J", true) {
    @Override
    Object invoke(Statement s, Object[] a) throws SQLException {
      return s.executeLargeUpdate((String) a[0]);
    }
  },
  EXECUTE_LARGE_UPDATE_SQL_KEYS("executeLargeUpdate", "(Ljava/lang/String;I)J", true) {
    @Override
    Object invoke(Statement s, Object[] a) throws SQLException {
      return s.executeLargeUpdate((String) a[0], (Integer) a[1]);
    }
  },
  EXECUTE_LARGE_UPDATE_SQL_INDEXES("executeLargeUpdate", "(Ljava/lang/String;[I)J", true) {
    @Override
    Object invoke(Statement s, Object[] a) throws SQLException {
      return s.executeLargeUpdate((String) a[0], (int[]) a[1]);
    }
  },
  EXECUTE_LARGE_UPDATE_SQL_NAMES("executeLargeUpdate", "(Ljava/lang/String;[Ljava/lang/String;)J", true) {
    @Override
    Object invoke(Statement s, Object[] a) throws SQLException {
      return s.executeLargeUpdate((String) a[0], (String[]) a[1]);
    }
  },
  PREPARED_EXECUTE_QUERY("executeQuery", "()Ljava/sql/ResultSet;", false) {
    @Override
    Object invoke(Statement s, Object[] a) throws SQLException {
      return ((PreparedStatement) s).executeQuery();
    }
  },
  PREPARED_EXECUTE_UPDATE("executeUpdate", "()I", false) {
    @Override
    Object invoke(Statement s, Object[] a) throws SQLException {
      return ((PreparedStatement) s).executeUpdate();
    }
  },
  PREPARED_EXECUTE("execute", "()Z", false) {
    @Override
    Object invoke(Statement s, Object[] a) throws SQLException {
      return ((PreparedStatement) s).execute();
    }
  },
  PREPARED_EXECUTE_LARGE_UPDATE("executeLargeUpdate", "()J", false) {
    @Override
    Object invoke(Statement s, Object[] a) throws SQLException {
      return ((PreparedStatement) s).executeLargeUpdate();
    }
  };

  final String methodName;
  final String descriptor;
  /** The SQL is the first argument (a plain Statement's method); false for prepared statements and batches. */
  final boolean sqlArgument;

  StatementMethod(String methodName, String descriptor, boolean sqlArgument) {
    this.methodName = methodName;
    this.descriptor = descriptor;
    this.sqlArgument = sqlArgument;
  }

  /**
   * Whether a call may only read: {@code executeQuery} or {@code execute} of SQL the call itself names (its
   * SQL then decides). An update, a batch, or a prepared statement (whose SQL Levee cannot see) never is.
   */
  boolean mayRead() {
    return sqlArgument && (methodName.equals("executeQuery") || methodName.equals("execute"));
  }

  /** Calls the method on {@code statement} through the JDBC interface; primitives come back boxed. */
  abstract Object invoke(Statement statement, Object[] args) throws SQLException;

  /** The interface an instance must implement for this method to be a JDBC one. */
  Class<?> owner() {
    return descriptor.startsWith("()") && this != EXECUTE_BATCH && this != EXECUTE_LARGE_BATCH
        ? PreparedStatement.class
        : Statement.class;
  }
}
