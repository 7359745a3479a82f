package example.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Declares two JDBC statement methods with their exact descriptors, like a driver's statement class, but
 * implements no JDBC interface (the matcher does not walk hierarchies; the hook checks instanceof).
 */
public class QueryRunner {

  public int bodyRuns;

  public ResultSet executeQuery(String sql) throws SQLException {
    bodyRuns++;
    return null;
  }

  public boolean execute(String sql) throws SQLException {
    bodyRuns++;
    return sql.isEmpty();
  }

  public int executeUpdate(String sql, int[] columns) {
    bodyRuns++;
    return columns.length;
  }

  public static boolean execute(int i) {
    return i > 0;
  }
}
