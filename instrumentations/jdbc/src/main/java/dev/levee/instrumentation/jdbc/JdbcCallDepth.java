package dev.levee.instrumentation.jdbc;

/**
 * How deep the current thread is inside a JDBC call Levee runs (DESIGN.md §7): drivers and pool wrappers
 * call each other and themselves ({@code HikariProxyStatement.executeQuery} calls
 * {@code PgStatement.executeQuery}, a driver's {@code connect} runs statements), and every level is woven.
 * Only the outermost is a pipeline call; a hook returns null (the method runs untouched) while the depth
 * is above zero. Unlike {@code PassThrough}, the mark holds for the whole attempt, not for one entry.
 */
final class JdbcCallDepth {

  private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[2]);

  private JdbcCallDepth() {}

  /**
   * The current thread's counters: {@code [0]} is the depth (increment before, decrement in a finally);
   * {@code [1]} is set when the next {@code connect} must run untouched (see {@code JdbcHooks.connect}).
   */
  static int[] current() {
    return DEPTH.get();
  }
}
