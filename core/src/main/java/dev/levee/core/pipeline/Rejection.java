package dev.levee.core.pipeline;

/** Why Levee refused a call without (re)sending it. */
public enum Rejection {
  CIRCUIT_OPEN,
  BULKHEAD_FULL,
  DEADLINE_EXPIRED,
  /** The target's rate limiter had no permit within timeoutDuration and the call's deadline. */
  RATE_LIMITED
}
