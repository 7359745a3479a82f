package dev.levee.core.pipeline;

import dev.levee.core.Faults;
import dev.levee.core.LeveeLog;
import dev.levee.core.Outcome;

/**
 * One attempt of a call, as the instrumentation that makes it sees it: how long it may take, the call's
 * deadline (for the outgoing header and for reading the answer's body), and the pipeline's verdict on a
 * response as soon as its head is in.
 *
 * <p>The verdict is what keeps the application's hands off responses it will never get: an instrumentation
 * whose client reads the body inside the call (the JDK's {@code BodyHandler}, Apache's async consumers)
 * asks {@link #isRetried} when the status line and headers arrive; on {@code true} it reads and discards
 * the body itself, and only the call's final response ever reaches the application's body handling. One
 * that never asks (the body is read after the call returns) gets the same verdict after the attempt.
 */
public final class AttemptContext {

  private final CallPipeline pipeline;
  private final TargetPolicies policies;
  private final CallSpec call;
  /** The call's, copied from its budget so this object holds no other (both stay off the heap on the fast path). */
  private final long deadline;
  private final long deadlineMillis;
  private final boolean bounded;
  private final boolean callerMayCut;
  private final boolean mayRetry;
  private final int number;
  private final long began;
  private final long timeoutNanos;

  private volatile boolean decided;
  private volatile long delayNanos;

  AttemptContext(CallPipeline pipeline, CallBudget budget, CallSpec call, boolean mayRetry, int number, long began,
      long timeoutNanos) {
    this.pipeline = pipeline;
    this.policies = budget.policies;
    this.call = call;
    this.deadline = budget.deadline;
    this.deadlineMillis = budget.deadlineMillis;
    this.bounded = budget.bounded;
    this.callerMayCut = budget.callerMayCut(timeoutNanos);
    this.mayRetry = mayRetry;
    this.number = number;
    this.began = began;
    this.timeoutNanos = timeoutNanos;
  }

  /**
   * How long this attempt may take, to the end of the response head: min(timeout.attempt, time left before
   * the deadline). The instrumentation enforces it with the client's own timeout mechanism, tightening
   * (never loosening) a timeout the application set.
   */
  public long timeoutNanos() {
    return timeoutNanos;
  }

  /** 1 for the first try. */
  public int number() {
    return number;
  }

  /** Whether the call has a deadline: {@code timeout.total} is set, or one was inherited. */
  public boolean hasDeadline() {
    return bounded;
  }

  /**
   * The call's deadline in epoch milliseconds, for the outgoing deadline header; {@link CallSpec#NO_DEADLINE}
   * when it has none.
   */
  public long deadlineMillis() {
    return bounded ? deadlineMillis : CallSpec.NO_DEADLINE;
  }

  /**
   * The time left before the call's deadline, which also bounds reading the body of the answer the
   * application gets; {@link Long#MAX_VALUE} when the call has no deadline.
   */
  public long nanosLeft() {
    return bounded ? deadline - pipeline.clock().nanoTime() : Long.MAX_VALUE;
  }

  /**
   * The head of a response has arrived: records its outcome in the breaker and says whether the pipeline
   * will retry the call after it. {@code true}: the response is not the call's answer, the instrumentation
   * reads and discards its body itself (and the attempt then ends); {@code false}: it is the answer, for
   * the application's body handling. Asked once per attempt; a second question gets the first answer.
   *
   * @param retryAfterMillis the delay its {@code Retry-After} asks for, or -1
   */
  public boolean isRetried(Outcome outcome, long retryAfterMillis) {
    if (!decided) {
      synchronized (this) {
        if (!decided) {
          long now = pipeline.clock().nanoTime();
          long delay;
          boolean recorded = false;
          try {
            Faults.at(Faults.Step.CLASSIFY);
            recorded = true; // from here the record either uses the permission or gives it back itself
            policies.record(now - began, outcome);
            delay = pipeline.retryDelayNanos(policies, call, mayRetry, number, outcome, retryAfterMillis, now,
                deadline);
          } catch (Throwable t) {
            LeveeLog.warnOnce("pipeline.head", "internal error deciding on a response; it goes to the app", t);
            if (!recorded) {
              policies.breaker.releasePermission();
            }
            delay = -1;
          }
          delayNanos = delay;
          decided = true;
        }
      }
    }
    return delayNanos >= 0;
  }

  /**
   * The attempt has ended (with a result or exception, cancelled, or it could not start): true when no
   * head was judged, so the caller records its outcome or gives its breaker permission back; false when
   * one was, and its outcome is recorded already. From now on {@link #isRetried} answers false and records
   * nothing: a head that arrives after its attempt ended (a timer of Levee's gave up on it) is nobody's.
   */
  synchronized boolean settle() {
    if (decided) {
      return false;
    }
    delayNanos = -1;
    decided = true;
    return true;
  }

  /**
   * For an attempt whose head was judged ({@link #settle} false): the backoff decided then, or -1 when that
   * response is the answer or the attempt was cancelled (a cancellation ends the call all the same).
   */
  long judgedDelayNanos(Throwable error) {
    return CallPipeline.isCancellation(error) ? -1 : delayNanos;
  }

  long began() {
    return began;
  }

  TargetPolicies policies() {
    return policies;
  }

  long deadline() {
    return deadline;
  }

  /** Whether the caller's deadline, not timeout.attempt, bounded this attempt ({@link CallBudget#cutByCaller}). */
  boolean callerMayCut() {
    return callerMayCut;
  }

  CallSpec call() {
    return call;
  }

  boolean mayRetry() {
    return mayRetry;
  }
}
