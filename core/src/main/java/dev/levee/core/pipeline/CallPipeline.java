package dev.levee.core.pipeline;

import dev.levee.core.Clock;
import dev.levee.core.Faults;
import dev.levee.core.LeveeLog;
import dev.levee.core.Outcome;
import dev.levee.core.RandomSource;
import dev.levee.core.Target;
import dev.levee.core.config.HostRules;
import dev.levee.core.config.PolicyConfig;
import dev.levee.core.config.RetryConfig;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The one call pipeline every instrumentation shares (DESIGN.md §2). Outermost first: the deadline, then
 * the retry loop, and in each attempt the circuit breaker, the bulkhead, the attempt bounded by
 * min(timeout.attempt, time left), the outcome recorded and the permit released; a retry sleeps a
 * jittered backoff that never runs past the deadline. Exhausted, the application gets the last response
 * or exception unchanged.
 *
 * <p>One pipeline per protocol section ({@code http}, {@code jdbc}); its breakers and bulkheads are keyed
 * by target, so every client library calling one host shares them.
 */
public final class CallPipeline {

  private final HostRules rules;
  private final Clock clock;
  private final RandomSource random;
  private final ScheduledExecutorService timer;
  private final ConcurrentHashMap<Target, TargetPolicies> targets = new ConcurrentHashMap<>();

  /** @param timer runs async backoffs and bulkhead-wait timeouts; its tasks must stay short */
  public CallPipeline(HostRules rules, Clock clock, RandomSource random, ScheduledExecutorService timer) {
    this.rules = rules;
    this.clock = clock;
    this.random = random;
    this.timer = timer;
  }

  /** The resolved policy for a target (host rules applied). */
  public PolicyConfig policyFor(Target target) {
    return policies(target).config;
  }

  TargetPolicies policies(Target target) {
    TargetPolicies p = targets.get(target);
    if (p == null) {
      p = targets.computeIfAbsent(target, t -> new TargetPolicies(t, rules.forTarget(t), clock, random));
    }
    return p;
  }

  Clock clock() {
    return clock;
  }

  /**
   * The pipeline's timer (the one {@code levee-timer} daemon thread), for an instrumentation that must
   * bound an async attempt itself; tasks on it must stay short and never block.
   */
  public ScheduledExecutorService timer() {
    return timer;
  }

  /**
   * Runs a blocking call through the pipeline on the caller's thread.
   *
   * @throws LeveeFault when Levee itself failed before sending anything: run the call untouched
   */
  public <R> R execute(CallSpec call, Attempt<R> attempt, OutcomeClassifier<R> classifier) throws Exception {
    CallBudget budget = start(call);
    if (budget.expired()) {
      throw classifier.rejection(Rejection.DEADLINE_EXPIRED, budget.expiredMessage(call.target()));
    }
    TargetPolicies p = budget.policies;
    long deadline = budget.deadline;
    boolean mayRetry = p.mayRetryRequest(call);
    for (int n = 1; ; n++) {
      acquirePermits(p, deadline, classifier);
      long began = clock.nanoTime();
      if (deadline - began <= 0) {
        // the bulkhead wait used up the budget
        p.bulkhead.release();
        p.breaker.releasePermission();
        throw classifier.rejection(Rejection.DEADLINE_EXPIRED, CallBudget.expiredMessage(call.target(), deadline - began));
      }
      R result = null;
      Throwable error = null;
      AttemptContext context = new AttemptContext(this, budget, call, mayRetry, n, began, Math.min(p.attemptNanos, deadline - began));
      try {
        result = attempt.run(context);
      } catch (Throwable e) {
        error = e;
      } finally {
        release(p);
      }
      long delay = afterAttempt(context, result, error, classifier);
      if (delay < 0) {
        return error == null ? result : rethrow(error);
      }
      classifier.discard(result);
      if (delay > 0) {
        clock.sleepNanos(delay);
      }
    }
  }

  /**
   * An attempt has ended: its outcome recorded (unless recorded at its response head), and how long to wait
   * before the next attempt, or -1 when the call ends with this result or error. A cancellation ends the
   * call and is never recorded; neither is what follows a head already judged to be the answer (a body the
   * application's handling failed to read is its answer's).
   */
  <R> long afterAttempt(AttemptContext context, R result, Throwable error, OutcomeClassifier<R> classifier) {
    if (!context.settle()) {
      // judged at its head: recorded, and the verdict stands (a cancellation ends the call all the same)
      return isCancellation(error) ? -1 : context.decidedDelayNanos();
    }
    TargetPolicies p = context.policies();
    if (isCancellation(error)) {
      p.breaker.releasePermission();
      return -1;
    }
    // small so far, and the rest takes neither the context nor the budget: both are then scalar-replaced
    // (JMH: 0 B/op; passing either object on made them escape, 48 B/op)
    return recordAndDecide(p, context.callerMayCut(), context.deadline(), context.call(),
        context.mayRetry(), context.number(), context.began(), context.timeoutNanos(), result, error, classifier);
  }

  /**
   * Classifies and records an attempt's outcome and decides on a retry; any fault of Levee's on the way ends
   * the call with the attempt's result as it is, and a breaker permission not yet used is given back.
   */
  private <R> long recordAndDecide(TargetPolicies p, boolean callerMayCut, long deadline, CallSpec call, boolean mayRetry,
      int number, long began, long timeoutNanos, R result, Throwable error, OutcomeClassifier<R> classifier) {
    boolean recorded = false;
    try {
      long ended = clock.nanoTime();
      long took = ended - began;
      Faults.at(Faults.Step.CLASSIFY);
      Outcome outcome = error == null ? classifier.classify(result) : classifier.classify(error);
      recorded = true; // from here the record either uses the permission or gives it back itself
      p.record(took, outcome, CallBudget.cutByCaller(callerMayCut, timeoutNanos, took, outcome));
      long retryAfter = error == null ? retryAfterMillis(p, classifier, result, outcome) : -1;
      return retryDelayNanos(p, call, mayRetry, number, outcome, retryAfter, ended, deadline);
    } catch (Throwable t) {
      LeveeLog.warnOnce("pipeline.classify", "internal error after an attempt; returning its result as is", t);
      if (!recorded) {
        p.breaker.releasePermission();
      }
      return -1;
    }
  }

  /** Gives a bulkhead permit back; a fault of Levee's on the way never keeps it taken. */
  static void release(TargetPolicies p) {
    try {
      Faults.at(Faults.Step.RELEASE);
    } catch (Throwable t) {
      LeveeLog.warnOnce("pipeline.release", "internal error releasing a bulkhead permit; it is released", t);
    } finally {
      p.bulkhead.release();
    }
  }

  /** The delay a retried response's Retry-After asks for, read only where it could matter; -1 for none. */
  private <R> long retryAfterMillis(TargetPolicies p, OutcomeClassifier<R> classifier, R result, Outcome outcome) {
    RetryConfig retry = p.config.retry();
    if (!retry.respectRetryAfter() || !retry.retryOn().contains(outcome)) {
      return -1;
    }
    return classifier.retryAfterMillis(result, clock.currentTimeMillis());
  }

  /**
   * Runs a non-blocking call through the pipeline. Never blocks the calling thread: backoffs and bulkhead
   * waits are scheduled. Cancelling the returned future cancels the attempt in flight, stops further
   * attempts and returns the permits.
   *
   * @throws LeveeFault when Levee itself failed before sending anything: run the call untouched
   */
  public <R> CompletableFuture<R> executeAsync(
      CallSpec call, AsyncAttempt<R> attempt, OutcomeClassifier<R> classifier) {
    CallBudget budget = start(call);
    if (budget.expired()) {
      CompletableFuture<R> failed = new CompletableFuture<>();
      failed.completeExceptionally(
          classifier.rejection(Rejection.DEADLINE_EXPIRED, budget.expiredMessage(call.target())));
      return failed;
    }
    return new AsyncCall<>(this, budget, call, attempt, classifier).begin();
  }

  /** The call's policies and deadline, fixed at its start; a fault here is Levee's own (fail open). */
  private CallBudget start(CallSpec call) {
    return LeveeFault.guard(() -> {
      Faults.at(Faults.Step.CONFIG);
      TargetPolicies p = policies(call.target());
      long start = clock.nanoTime();
      long nowMillis = clock.currentTimeMillis();
      return new CallBudget(p, start, nowMillis, budgetNanos(p, call, nowMillis));
    });
  }

  private long budgetNanos(TargetPolicies p, CallSpec call, long nowMillis) {
    long budget = p.totalNanos;
    long inherited = call.inheritedDeadlineMillis();
    if (inherited != CallSpec.NO_DEADLINE) {
      long left = inherited - nowMillis;
      if (left < budget / 1_000_000L) {
        budget = left * 1_000_000L;
      }
    }
    return budget;
  }

  /** Takes a breaker permission and a bulkhead permit, or throws the rejection. */
  private <R> void acquirePermits(TargetPolicies p, long deadline, OutcomeClassifier<R> classifier)
      throws Exception {
    if (!p.breaker.tryAcquirePermission()) {
      throw classifier.rejection(Rejection.CIRCUIT_OPEN, p.breaker.rejectionMessage());
    }
    boolean permitted;
    try {
      long wait = Math.min(p.maxWaitNanos, deadline - clock.nanoTime());
      permitted = wait > 0 ? p.bulkhead.tryAcquire(wait) : p.bulkhead.tryAcquire();
    } catch (InterruptedException e) {
      p.breaker.releasePermission();
      throw e;
    }
    if (!permitted) {
      p.breaker.releasePermission();
      throw classifier.rejection(Rejection.BULKHEAD_FULL, p.bulkhead.rejectionMessage());
    }
  }

  /**
   * How long to wait before the next attempt, or -1 when the call ends with this outcome: attempts used
   * up, an outcome not in retryOn, a request that must not be sent twice, a sleep that would run past the
   * deadline, or a breaker that would refuse the next attempt anyway.
   *
   * @param retryAfterMillis the delay the response's Retry-After asks for, or -1
   */
  long retryDelayNanos(
      TargetPolicies p,
      CallSpec call,
      boolean mayRetryRequest,
      int attemptNumber,
      Outcome outcome,
      long retryAfterMillis,
      long now,
      long deadline) {
    RetryConfig retry = p.config.retry();
    if (attemptNumber >= retry.maxAttempts() || !retry.retryOn().contains(outcome)) {
      return -1;
    }
    boolean nothingSent = outcome.kind() == Outcome.Kind.CONNECT_FAILURE && call.isReplayable();
    if (!mayRetryRequest && !nothingSent) {
      return -1;
    }
    long delay = p.backoff.backoffNanos(attemptNumber);
    if (retry.respectRetryAfter() && retryAfterMillis >= 0 && retryAfterMillis * 1_000_000L > delay) {
      delay = retryAfterMillis >= Long.MAX_VALUE / 1_000_000L ? Long.MAX_VALUE : retryAfterMillis * 1_000_000L;
    }
    if (delay >= deadline - now || !p.breaker.isCallPermitted()) {
      return -1;
    }
    return delay;
  }

  static boolean isCancellation(Throwable error) {
    return error instanceof InterruptedException || error instanceof CancellationException;
  }

  @SuppressWarnings("unchecked")
  static <R, T extends Throwable> R rethrow(Throwable error) throws T {
    throw (T) error;
  }
}
