package dev.levee.core.pipeline;

import dev.levee.core.Outcome;
import dev.levee.core.Target;

/**
 * A call's policies and deadline, fixed when it starts: the deadline is start + min(timeout.total, what
 * is left of the deadline the request already carries), in monotonic nanos for the pipeline and in epoch
 * millis for the deadline header. With neither, the call has no deadline ({@link #bounded} false): its
 * deadline is then {@link TargetPolicies#UNBOUNDED} away, far enough never to matter, near enough for
 * the arithmetic on it never to overflow.
 */
final class CallBudget {

  final TargetPolicies policies;
  /** When the call started, on the pipeline's clock. */
  final long start;
  final long deadline;
  final long deadlineMillis;
  /** The call has a deadline: timeout.total, or an inherited one. */
  final boolean bounded;
  /** How much earlier than its bound a timer may end an attempt (clock granularity). */
  private static final long TIMER_SLACK_NANOS = 10_000_000L;

  /** The caller's deadline, not timeout.total, ends this call. */
  final boolean callerBound;
  private final long budgetNanos;

  CallBudget(TargetPolicies policies, long startNanos, long startMillis, long budgetNanos) {
    this.policies = policies;
    this.budgetNanos = budgetNanos;
    this.callerBound = budgetNanos < policies.totalNanos;
    this.bounded = budgetNanos < TargetPolicies.UNBOUNDED;
    this.start = startNanos;
    this.deadline = startNanos + budgetNanos;
    this.deadlineMillis = startMillis + budgetNanos / 1_000_000L;
  }

  /**
   * Whether an attempt's failure is the caller's impatience rather than the dependency's fault: the
   * caller's deadline, not timeout.attempt, bounded the attempt, and it ran out of that time (a timeout,
   * or a connect still unfinished when its time was up, as a JDBC connect cut at the deadline reports).
   */
  boolean cutByCaller(long attemptTimeoutNanos, long tookNanos, Outcome outcome) {
    return cutByCaller(callerMayCut(attemptTimeoutNanos), attemptTimeoutNanos, tookNanos, outcome);
  }

  /** Whether the caller's deadline, not timeout.attempt, bounded an attempt given this budget. */
  boolean callerMayCut(long attemptTimeoutNanos) {
    return callerBound && attemptTimeoutNanos < policies.attemptNanos;
  }

  /** As {@link #cutByCaller(long, long, Outcome)}, from {@link #callerMayCut} of the attempt. */
  static boolean cutByCaller(boolean callerMayCut, long attemptTimeoutNanos, long tookNanos, Outcome outcome) {
    if (!callerMayCut) {
      return false;
    }
    switch (outcome.kind()) {
      case TIMEOUT:
        return true;
      case CONNECT_FAILURE:
        return tookNanos >= attemptTimeoutNanos - TIMER_SLACK_NANOS;
      default:
        return false;
    }
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
