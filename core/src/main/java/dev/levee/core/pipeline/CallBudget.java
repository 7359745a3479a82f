package dev.levee.core.pipeline;

import dev.levee.core.Target;

/**
 * A call's policies and deadline, fixed when it starts: the deadline is start + min(timeout.total, what
 * is left of the deadline the request already carries), in monotonic nanos for the pipeline and in epoch
 * millis for the deadline header.
 */
final class CallBudget {

  final TargetPolicies policies;
  final long deadline;
  final long deadlineMillis;
  /** The caller's deadline, not timeout.total, ends this call. */
  final boolean callerBound;
  private final long budgetNanos;

  CallBudget(TargetPolicies policies, long startNanos, long startMillis, long budgetNanos) {
    this.policies = policies;
    this.budgetNanos = budgetNanos;
    this.callerBound = budgetNanos < policies.totalNanos;
    this.deadline = startNanos + budgetNanos;
    this.deadlineMillis = startMillis + budgetNanos / 1_000_000L;
  }

  /**
   * Whether an attempt bounded by {@code attemptTimeoutNanos} was cut short by the caller's deadline
   * rather than by timeout.attempt: its timeout is the caller's impatience, not the dependency's fault.
   */
  boolean cutByCaller(long attemptTimeoutNanos) {
    return callerBound && attemptTimeoutNanos < policies.attemptNanos;
  }

  boolean expired() {
    return budgetNanos <= 0;
  }

  String expiredMessage(Target target) {
    return expiredMessage(target, budgetNanos);
  }

  static String expiredMessage(Target target, long budgetNanos) {
    return "levee: deadline expired for " + target + " (" + (-budgetNanos / 1_000_000L)
        + "ms ago); nothing was sent";
  }
}
