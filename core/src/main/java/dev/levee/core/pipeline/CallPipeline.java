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
import dev.levee.core.metrics.TargetStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one call pipeline every instrumentation shares (DESIGN.md §2). Outermost first:
 *
 * <ol>
 *   <li>the deadline: min(timeout.total, the inherited deadline); expired, nothing is sent;
 *   <li>the call deposits its share into the target's retry budget (once, not per attempt);
 *   <li>the retry loop, and in each attempt:
 *       <ol>
 *         <li>the circuit breaker;
 *         <li>the rate limiter, if any: a permit, waiting at most timeoutDuration and never up to the deadline;
 *         <li>the bulkhead, fixed (a permit, waiting at most maxWaitDuration) or adaptive (a slot under the
 *             learnt limit, never waiting);
 *         <li>the attempt, bounded by min(timeout.attempt, time left);
 *         <li>the outcome recorded in the breaker and taught to an adaptive limit, the slot released;
 *         <li>the retry decision: retryable, allowed, time left, the breaker permitting, and last the retry
 *             budget granting a retry; a jittered backoff that never runs past the deadline.
 *       </ol>
 * </ol>
 *
 * <p>Exhausted, or refused a retry by the budget, the call ends with the last response or exception
 * unchanged, exactly as the application would have had it without Levee.
 *
 * <p>One pipeline per protocol section ({@code http}, {@code jdbc}); its breakers and bulkheads are keyed
 * by target, so every client library calling one host shares them.
 *
 * <p>Targets come and go (per-tenant hosts, webhook URLs, pod IPs), so an idle target is forgotten: one
 * with no call started for {@link #IDLE_TARGET} and none in flight, whose breaker is CLOSED (an OPEN or
 * HALF_OPEN one is kept: forgetting must never let a flood through to a dependency known to be down). Its
 * next call starts afresh. Past {@link #MAX_TARGETS}, the least recently used of the evictable ones go
 * first, whether idle or not; when none is evictable the map still grows, since Levee's bookkeeping must
 * never refuse a call. Sweeps run on a caller's thread, no thread of their own: at most once a
 * {@link #IDLE_TARGET}/10, and when a new target takes the map past the cap (then down to 90% of it, so a
 * sweep is paid for by a tenth of the cap in new targets).
 */
public final class CallPipeline {

  /** A target with no call started for this long (and none in flight, its breaker CLOSED) is forgotten. */
  static final Duration IDLE_TARGET = Duration.ofMinutes(10);
  /** Targets beyond which the least recently used evictable ones are forgotten, idle or not. */
  static final int MAX_TARGETS = 10_000;

  /** Replaced whole by a reload ({@link #reconfigure}); each target follows at its next lookup. */
  private volatile HostRules rules;
  private final Clock clock;
  private final RandomSource random;
  private final ScheduledExecutorService timer;
  private final ConcurrentHashMap<Target, TargetPolicies> targets = new ConcurrentHashMap<>();
  private final long idleNanos;
  private final long sweepEveryNanos;
  private final int maxTargets;
  /** One sweep at a time; a lookup that finds one running goes on without. */
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private volatile long lastSweepNanos;
  /** The map size past which a new target triggers a sweep: the cap, or more when nothing could go. */
  private volatile int sweepAboveSize;

  /** @param timer runs async backoffs and bulkhead-wait timeouts; its tasks must stay short */
  public CallPipeline(HostRules rules, Clock clock, RandomSource random, ScheduledExecutorService timer) {
    this(rules, clock, random, timer, IDLE_TARGET, MAX_TARGETS);
  }

  CallPipeline(HostRules rules, Clock clock, RandomSource random, ScheduledExecutorService timer, Duration idleTarget,
      int maxTargets) {
    this.rules = rules;
    this.clock = clock;
    this.random = random;
    this.timer = timer;
    this.idleNanos = idleTarget.toNanos();
    this.sweepEveryNanos = idleNanos / 10;
    this.maxTargets = maxTargets;
    this.sweepAboveSize = maxTargets;
    this.lastSweepNanos = clock.nanoTime();
  }

  /**
   * Applies reloaded rules: new calls to each target use them from its next lookup on, atomically per
   * target (a call sees the old config or the new, never a mix); a target keeps the state of every policy
   * whose settings did not change (its breaker, open or not, its bulkhead's calls in flight, its rate
   * limiter and retry budget) and its counters.
   */
  public void reconfigure(HostRules newRules) {
    this.rules = newRules;
  }

  /** The rules in force. */
  public HostRules rules() {
    return rules;
  }

  /** The resolved policy for a target (host rules applied). */
  public PolicyConfig policyFor(Target target) {
    return policies(target).config;
  }

  TargetPolicies policies(Target target) {
    return policies(target, clock.nanoTime());
  }

  /** The target's policies, marked used at {@code now}; created if it has none (or they were forgotten). */
  private TargetPolicies policies(Target target, long now) {
    if (now - lastSweepNanos >= sweepEveryNanos) {
      sweep(now, target);
    }
    while (true) {
      TargetPolicies p = targets.get(target);
      if (p != null) {
        long used = p.lastUsedNanos(); // read once: forget() must lose to any lookup that used it since
        if (now - used >= idleNanos && p.evictable() && forget(p, used)) {
          p = null; // idle since before the last sweep: forgotten all the same, exactly on time
        }
      }
      HostRules current = rules;
      if (p == null) {
        p = targets.computeIfAbsent(target,
            t -> new TargetPolicies(t, current.forTarget(t), current, clock, random, now, null));
        if (targets.size() > sweepAboveSize) {
          sweep(now, target);
        }
      } else if (p.rules != current) {
        TargetPolicies next = p.reconfigured(current, clock, random);
        if (next != p && !targets.replace(target, p, next)) {
          continue; // replaced or forgotten meanwhile: look again
        }
        p = next;
      }
      if (p.touch(now)) {
        return p;
      }
      targets.remove(target, p); // forgotten between the lookup and now: its successor starts fresh
    }
  }

  /**
   * Forgets idle targets, then, past the cap, the least recently used evictable ones down to 90% of it,
   * except {@code keep}, the target being looked up (it would only be created again at once), and any used
   * in the last two seconds. A fault here keeps every target: the call goes on.
   */
  private void sweep(long now, Target keep) {
    if (!sweeping.compareAndSet(false, true)) {
      return;
    }
    try {
      lastSweepNanos = now;
      List<Candidate> evictable = new ArrayList<>();
      for (TargetPolicies p : targets.values()) {
        long used = p.lastUsedNanos();
        if (!p.evictable()) {
          continue;
        }
        if (now - used >= idleNanos) {
          forget(p, used);
        } else if (!p.target.equals(keep) && now - used >= 2 * TargetPolicies.TOUCH_EVERY_NANOS) {
          evictable.add(new Candidate(p, used)); // not used in the last 2 s: see TargetPolicies.touch
        }
      }
      if (targets.size() > maxTargets) {
        int over = targets.size() - (maxTargets - Math.max(1, maxTargets / 10));
        evictable.sort(Comparator.comparingLong(c -> c.usedNanos - now)); // oldest first; a difference, safe across overflow
        for (int i = 0; i < evictable.size() && over > 0; i++) {
          if (forget(evictable.get(i).policies, evictable.get(i).usedNanos)) {
            over--;
          }
        }
      }
      int size = targets.size();
      // nothing more could go: the next sweep waits for a tenth of the cap in new targets
      sweepAboveSize = size <= maxTargets ? maxTargets : size + Math.max(1, maxTargets / 10);
    } catch (Throwable t) {
      LeveeLog.warnOnce("pipeline.evict", "internal error forgetting idle targets; they are kept", t);
    } finally {
      sweeping.set(false);
    }
  }

  /** False when a call used it since {@code usedNanos} was read: it stays. */
  private boolean forget(TargetPolicies p, long usedNanos) {
    if (!p.retire(usedNanos)) {
      return false;
    }
    targets.remove(p.target, p);
    return true;
  }

  /** The target's policies if it has them now, without marking it used or creating them (for tests). */
  TargetPolicies peek(Target target) {
    return targets.get(target);
  }

  /** Every target with policies now, for metrics. */
  public List<TargetStats> targetStats() {
    return new ArrayList<>(targets.values());
  }

  /** Targets with policies now. */
  int targetCount() {
    return targets.size();
  }

  /** An evictable target and when it was last used, read once: a sort must not see it change. */
  private static final class Candidate {
    final TargetPolicies policies;
    final long usedNanos;

    Candidate(TargetPolicies policies, long usedNanos) {
      this.policies = policies;
      this.usedNanos = usedNanos;
    }
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
    long start = clock.nanoTime(); // read once: the target's use, the deadline and the budget's deposit
    CallBudget budget = budget(lookUp(call, start), call, start);
    if (budget.expired()) {
      throw rejection(budget.policies, classifier, Rejection.DEADLINE_EXPIRED, budget.expiredMessage(call.target()));
    }
    TargetPolicies p = budget.policies;
    long deadline = budget.deadline;
    boolean mayRetry = p.mayRetryRequest(call);
    p.depositRequest(start);
    for (int n = 1; ; n++) {
      acquirePermits(p, deadline, classifier);
      long began = clock.nanoTime();
      if (deadline - began <= 0) {
        // the bulkhead wait used up the budget
        p.releaseBulkhead();
        p.breaker.releasePermission();
        throw rejection(p, classifier, Rejection.DEADLINE_EXPIRED, CallBudget.expiredMessage(call.target(), deadline - began));
      }
      R result = null;
      Throwable error = null;
      AttemptContext context = new AttemptContext(this, budget, call, mayRetry, n, began, Math.min(p.attemptNanos, deadline - began));
      try {
        result = attempt.run(context);
      } catch (Throwable e) {
        error = e;
      } finally {
        p.releaseBulkhead();
      }
      // afterAttempt written out: passing the context to a method C2 may not inline makes it escape
      long delay = context.settle()
          ? recordAndDecide(p, context.callerMayCut(), deadline, call, mayRetry, n, began, context.timeoutNanos(),
              result, error, classifier)
          : context.judgedDelayNanos(error);
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
      return context.judgedDelayNanos(error);
    }
    return recordAndDecide(context.policies(), context.callerMayCut(), context.deadline(), context.call(),
        context.mayRetry(), context.number(), context.began(), context.timeoutNanos(), result, error, classifier);
  }

  /**
   * Classifies and records an attempt's outcome and decides on a retry; any fault of Levee's on the way ends
   * the call with the attempt's result as it is, and a breaker permission not yet used is given back. A
   * cancellation ends the call unrecorded.
   */
  private <R> long recordAndDecide(TargetPolicies p, boolean callerMayCut, long deadline, CallSpec call, boolean mayRetry,
      int number, long began, long timeoutNanos, R result, Throwable error, OutcomeClassifier<R> classifier) {
    if (isCancellation(error)) {
      p.breaker.releasePermission();
      return -1;
    }
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
    long start = clock.nanoTime(); // read once: the target's use, the deadline and the budget's deposit
    CallBudget budget = budget(lookUp(call, start), call, start);
    if (budget.expired()) {
      CompletableFuture<R> failed = new CompletableFuture<>();
      failed.completeExceptionally(
          rejection(budget.policies, classifier, Rejection.DEADLINE_EXPIRED, budget.expiredMessage(call.target())));
      return failed;
    }
    return new AsyncCall<>(this, budget, call, attempt, classifier).begin();
  }

  /**
   * The call's target's policies; a fault here is Levee's own (fail open). Kept apart from {@link #budget}:
   * the map lookup makes this method big once compiled, and C2 inlines no such method into
   * {@link #execute}, so the budget made here would escape (JMH: 72 B/op, where the two apart make 0).
   */
  private TargetPolicies lookUp(CallSpec call, long now) {
    try {
      Faults.at(Faults.Step.CONFIG);
      return policies(call.target(), now);
    } catch (LeveeFault | VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      throw new LeveeFault(t);
    }
  }

  /** The call's deadline from its start: a clock read and arithmetic, nothing that can fail. */
  private CallBudget budget(TargetPolicies p, CallSpec call, long start) {
    long nowMillis = clock.currentTimeMillis();
    return new CallBudget(p, start, nowMillis, budgetNanos(p, call, nowMillis));
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

  /** Takes a breaker permission, a rate-limiter permit (if any) and a bulkhead permit, or throws the rejection. */
  private <R> void acquirePermits(TargetPolicies p, long deadline, OutcomeClassifier<R> classifier)
      throws Exception {
    if (!p.breaker.tryAcquirePermission()) {
      throw rejection(p, classifier, Rejection.CIRCUIT_OPEN, p.breaker.rejectionMessage());
    }
    boolean permitted;
    try {
      if (p.rateLimiter != null) {
        awaitRatePermit(p, deadline, classifier);
      }
      // no clock read unless the bulkhead lets calls wait (maxWaitDuration, 0 by default)
      long wait = p.maxWaitNanos == 0 ? 0 : Math.min(p.maxWaitNanos, deadline - clock.nanoTime());
      permitted = wait > 0 ? p.tryAcquireSlot(wait) : p.tryAcquireSlot();
    } catch (Exception e) {
      p.breaker.releasePermission();
      throw e;
    }
    if (!permitted) {
      p.breaker.releasePermission();
      throw rejection(p, classifier, Rejection.BULKHEAD_FULL, p.bulkheadFullMessage());
    }
  }

  /** Takes a rate-limiter permit, sleeping until it is due, or throws the rejection. */
  private <R> void awaitRatePermit(TargetPolicies p, long deadline, OutcomeClassifier<R> classifier) throws Exception {
    long wait = p.reserveRatePermit(deadline - clock.nanoTime());
    if (wait < 0) {
      throw rejection(p, classifier, Rejection.RATE_LIMITED, p.rateLimitedMessage());
    }
    if (wait > 0) {
      clock.sleepNanos(wait);
    }
  }

  /**
   * How long to wait before the next attempt, or -1 when the call ends with this outcome: attempts used
   * up, an outcome not in retryOn, a request that must not be sent twice, a sleep that would run past the
   * deadline, a breaker that would refuse the next attempt anyway, or a retry budget with no retry left.
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
    long delay = nextDelayNanos(p, call, mayRetryRequest, attemptNumber, outcome, retryAfterMillis, now, deadline);
    if (delay < 0) {
      p.callEnded(outcome, attemptNumber);
    }
    return delay;
  }

  private long nextDelayNanos(TargetPolicies p, CallSpec call, boolean mayRetryRequest, int attemptNumber,
      Outcome outcome, long retryAfterMillis, long now, long deadline) {
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
    if (delay >= deadline - now || !p.breaker.isCallPermitted() || !p.tryWithdrawRetry()) {
      return -1; // the budget is asked last: only a retry that would really happen takes from it
    }
    return delay;
  }

  /** The exception a refusal surfaces as, counted by its reason. */
  static <R> Exception rejection(TargetPolicies p, OutcomeClassifier<R> classifier, Rejection reason, String message) {
    p.metrics.rejected(reason.ordinal());
    return classifier.rejection(reason, message);
  }

  static boolean isCancellation(Throwable error) {
    return error instanceof InterruptedException || error instanceof CancellationException;
  }

  @SuppressWarnings("unchecked")
  static <R, T extends Throwable> R rethrow(Throwable error) throws T {
    throw (T) error;
  }
}
