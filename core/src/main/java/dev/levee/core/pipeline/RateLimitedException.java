package dev.levee.core.pipeline;

/** The target's rate limiter had no permit within timeoutDuration (and the call's deadline). */
public final class RateLimitedException extends RejectedCallException {

  private static final long serialVersionUID = 1L;

  public RateLimitedException(String message) {
    super(message);
  }
}
