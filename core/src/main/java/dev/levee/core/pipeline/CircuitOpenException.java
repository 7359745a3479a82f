package dev.levee.core.pipeline;

/** The target's circuit breaker is open (or half-open with every probe taken). */
public final class CircuitOpenException extends RejectedCallException {

  private static final long serialVersionUID = 1L;

  public CircuitOpenException(String message) {
    super(message);
  }
}
