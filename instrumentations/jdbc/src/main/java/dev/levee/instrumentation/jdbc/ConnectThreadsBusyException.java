package dev.levee.instrumentation.jdbc;

import java.sql.SQLTransientConnectionException;

/**
 * Levee did not start a connect: all of its JDBC connect threads are taken, most often by connects a
 * driver never gives up on (a server that accepts and never answers). SQLState 08001, as for any connection
 * failure; the message says how many connects are stuck, and to which targets. Never recorded against the
 * target, never retried: the threads are Levee's, not the target's.
 */
public final class ConnectThreadsBusyException extends SQLTransientConnectionException {

  private static final long serialVersionUID = 1L;

  public ConnectThreadsBusyException(String message) {
    super(message, "08001");
  }
}
