package dev.levee.instrumentation.api;

import dev.levee.core.LeveeLog;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.reflect.UndeclaredThrowableException;
import java.sql.SQLException;
import java.util.List;

/**
 * Every exception that crosses from Levee into the application is a type the hooked method declares. A
 * client's own exceptions already are; what Levee adds (its rejections are {@code IOException}s and
 * {@code SQLTransientException}s) too. What is left is an interrupt while Levee waits (a backoff, a
 * bulkhead slot, a connect): it becomes the client's own way of saying so, with the interrupt flag set
 * again: {@code InterruptedIOException} for an API that declares {@code IOException}, an
 * {@code SQLException} for JDBC, the {@code InterruptedException} itself where the API declares it.
 * Anything else checked and undeclared is a fault of Levee's: reported once, and wrapped in the declared
 * type.
 */
public final class DeclaredExceptions {

  /** SQL/CLI's "operation canceled": the state of the {@code SQLException} an interrupted JDBC call gets. */
  public static final String INTERRUPTED_SQL_STATE = "HY008";

  private DeclaredExceptions() {}

  /**
   * {@code thrown}, or what it becomes for a method declaring {@code declared}.
   *
   * @param declared the binary names of the checked exception types the hooked method declares
   */
  public static Throwable asDeclared(Throwable thrown, List<String> declared) {
    if (thrown instanceof RuntimeException || thrown instanceof Error || mayThrow(declared, thrown.getClass())) {
      return thrown;
    }
    if (thrown instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      if (mayThrow(declared, IOException.class)) {
        InterruptedIOException interrupted = new InterruptedIOException("interrupted");
        interrupted.initCause(thrown);
        return interrupted;
      }
      if (mayThrow(declared, SQLException.class)) {
        return new SQLException("interrupted", INTERRUPTED_SQL_STATE, thrown);
      }
      return new UndeclaredThrowableException(thrown, "interrupted");
    }
    LeveeLog.warnOnce("undeclared." + thrown.getClass().getName(),
        "Levee let an exception through that the method does not declare; it is wrapped", thrown);
    if (mayThrow(declared, IOException.class)) {
      return new IOException(thrown.toString(), thrown);
    }
    if (mayThrow(declared, SQLException.class)) {
      return new SQLException(thrown.toString(), thrown);
    }
    return new UndeclaredThrowableException(thrown);
  }

  /** Whether a method declaring {@code declared} may throw a {@code type}: it or a superclass is declared. */
  private static boolean mayThrow(List<String> declared, Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (declared.contains(c.getName())) {
        return true;
      }
    }
    return false;
  }

  /** Throws {@code t} from a method whose signature cannot declare it (the bridge's). */
  @SuppressWarnings("unchecked")
  public static <T extends Throwable> T rethrow(Throwable t) throws T {
    throw (T) t;
  }
}
