package dev.levee.instrumentation.jdbc;

import dev.levee.core.pipeline.Rejection;
import java.sql.SQLTransientConnectionException;

/**
 * Levee refused to open a connection: the target's circuit breaker is open, or its bulkhead is full.
 * SQLState 08001 (class 08, "connection exception"), so pools and apps treat it as the connection failure
 * they already handle; the message names the target and when a call may pass again.
 */
public final class ConnectRejectedException extends SQLTransientConnectionException {

  private static final long serialVersionUID = 1L;

  private final Rejection reason;

  public ConnectRejectedException(String message, Rejection reason) {
    super(message, "08001");
    this.reason = reason;
  }

  /** Why: {@code CIRCUIT_OPEN}, {@code BULKHEAD_FULL} or {@code RATE_LIMITED}. */
  public Rejection reason() {
    return reason;
  }
}
