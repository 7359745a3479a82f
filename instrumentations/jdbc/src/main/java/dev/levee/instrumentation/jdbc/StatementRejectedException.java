package dev.levee.instrumentation.jdbc;

import dev.levee.core.pipeline.Rejection;
import java.sql.SQLTransientException;

/**
 * Levee refused to run a statement: the target's circuit breaker is open, or its bulkhead is full. Nothing
 * was sent; the connection is as it was. It carries no SQLState on purpose: a class-08 state would make
 * pools such as HikariCP evict a healthy connection.
 */
public final class StatementRejectedException extends SQLTransientException {

  private static final long serialVersionUID = 1L;

  private final Rejection reason;

  public StatementRejectedException(String message, Rejection reason) {
    super(message);
    this.reason = reason;
  }

  /** Why: {@code CIRCUIT_OPEN}, {@code BULKHEAD_FULL} or {@code RATE_LIMITED}. */
  public Rejection reason() {
    return reason;
  }
}
