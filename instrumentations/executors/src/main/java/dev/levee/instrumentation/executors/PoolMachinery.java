package dev.levee.instrumentation.executors;

/**
 * Work a connection pool hands to its own threads for itself: opening, checking and closing connections,
 * cleaning up idle ones. It serves every later request, not the one whose thread happened to start it, so
 * it never carries that request's deadline (an expired one would make every connect it tries fail at once).
 * Known by the class of the task the pool hands over.
 *
 * <p>Apache HttpClient 5 needs no entry: its pools connect on the caller's thread, within the call, and its
 * I/O reactor and idle-connection evictor run on platform threads it starts itself, which never carry a
 * deadline. HikariCP's {@code submit}s reach the executor as the JDK's {@code FutureTask}, so its
 * {@code getConnection} and {@code closeConnection} also run without the caller's deadline (JDBC
 * instrumentation).
 */
final class PoolMachinery {

  private static final String[] TASK_PREFIXES = {
    // HikariCP: the connection adder and closer, housekeeping, keepalive, max-lifetime and leak tasks
    "com.zaxxer.hikari.",
    // OkHttp 4 and 5: the TaskRunner, which runs the connection pool's cleanup and HTTP/2 readers and writers
    "okhttp3.internal.concurrent.",
    // OkHttp 3: the connection pool's cleanup (3.14, and before it okhttp3.ConnectionPool), HTTP/2 connections
    "okhttp3.internal.connection.RealConnectionPool",
    "okhttp3.ConnectionPool",
    "okhttp3.internal.http2.",
  };

  private PoolMachinery() {}

  /** Whether {@code work} is a known pool's own task. */
  static boolean isPoolTask(Object work) {
    return isPoolClass(work.getClass());
  }

  static boolean isPoolClass(Class<?> type) {
    String name = type.getName();
    for (String prefix : TASK_PREFIXES) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
