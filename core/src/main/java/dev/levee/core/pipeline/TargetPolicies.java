package dev.levee.core.pipeline;

import dev.levee.core.Clock;
import dev.levee.core.Faults;
import dev.levee.core.LeveeLog;
import dev.levee.core.Outcome;
import dev.levee.core.RandomSource;
import dev.levee.core.Target;
import dev.levee.core.config.BulkheadConfig;
import dev.levee.core.config.Durations;
import dev.levee.core.config.HostRules;
import dev.levee.core.config.PolicyConfig;
import dev.levee.core.metrics.CallMetrics;
import dev.levee.core.metrics.TargetStats;
import dev.levee.core.config.RateLimiterConfig;
import dev.levee.core.config.RetryBudgetConfig;
import dev.levee.core.policy.AdaptiveConcurrency;
import dev.levee.core.policy.Bulkhead;
import dev.levee.core.policy.CircuitBreaker;
import dev.levee.core.policy.RateLimiter;
import dev.levee.core.policy.RetryBackoff;
import dev.levee.core.policy.RetryBudget;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live policies of one target: created on the first call to it, shared by every client library, and
 * forgotten by {@link CallPipeline} once idle (then the next call to it creates them afresh).
 */
final class TargetPolicies implements TargetStats {

  final Target target;
  final PolicyConfig config;
  final CircuitBreaker breaker;
  /** The fixed bulkhead; unused (never taken) when {@link #adaptive} is set. */
  final Bulkhead bulkhead;
  /** The adaptive bulkhead ({@code bulkhead.type: adaptive}); null for a fixed one. */
  final AdaptiveConcurrency adaptive;
  /** Null: no rate limit. */
  final RateLimiter rateLimiter;
  final long rateLimitTimeoutNanos;
  /** Null: {@code retry.budget: none}. */
  final RetryBudget retryBudget;
  final RetryBackoff backoff;
  final CallMetrics metrics;
  /**
   * The rules this target's config was resolved from; when the pipeline's differ (a reload), the next lookup
   * reconfigures it ({@link #reconfigured}). Plain, not volatile: a stale read only costs one more check.
   */
  HostRules rules;
  final long connectNanos;
  final long attemptNanos;
  final long totalNanos;
  final long maxWaitNanos;

  /** {@link #totalNanos} without {@code timeout.total}: ~73 years. */
  static final long UNBOUNDED = Long.MAX_VALUE / 4;

  /**
   * Added to the longest a probe's permission is legitimately held: Levee's own timer ending an attempt
   * on time, then classifying and recording it, may run late by a GC pause or a busy machine.
   */
  static final Duration PROBE_MARGIN = Duration.ofSeconds(1);

  /** The least a probe is waited for when the attempt timeout is practically none (JDBC's 24 h). */
  static final Duration PROBE_CAP_AT_LEAST = Duration.ofMinutes(1);

  /** {@link #lastUsedNanos} once evicted: a lookup that finds it so creates the target's policies afresh. */
  private static final long RETIRED = Long.MIN_VALUE;

  /**
   * A lookup writes its time only when the last one written is older than this: one write a second at
   * most, not one per call, on the line every call to the target reads. The idle clock is a second coarse.
   */
  static final long TOUCH_EVERY_NANOS = 1_000_000_000L;

  /** When a call last looked this target up, or {@link #RETIRED}. */
  private final AtomicLong lastUsedNanos;

  TargetPolicies(Target target, PolicyConfig config, Clock clock, RandomSource random) {
    this(target, config, clock, random, clock.nanoTime());
  }

  TargetPolicies(Target target, PolicyConfig config, Clock clock, RandomSource random, long nowNanos) {
    this(target, config, null, clock, random, nowNanos, null);
  }

  /**
   * @param rules what {@code config} was resolved from (null: not from a pipeline's rules)
   * @param previous the target's policies before a reload, whose state is kept where the new config leaves
   *     a policy as it was: the breaker (its state, an open one stays open), the bulkhead (its calls in
   *     flight), the rate limiter, the retry budget; the counters are always kept. Null: all new.
   */
  TargetPolicies(Target target, PolicyConfig config, HostRules rules, Clock clock, RandomSource random, long nowNanos,
      TargetPolicies previous) {
    this.lastUsedNanos = new AtomicLong(nowNanos);
    this.target = target;
    this.config = config;
    this.rules = rules;
    this.metrics = previous != null ? previous.metrics : new CallMetrics(Rejection.values().length);
    this.breaker = previous != null && previous.config.circuitBreaker().equals(config.circuitBreaker())
        && probeTimeout(previous.config).equals(probeTimeout(config))
        ? previous.breaker
        : new CircuitBreaker(target, config.circuitBreaker(), clock, probeTimeout(config), BreakerEvents.PRINT);
    boolean sameBulkhead = previous != null && previous.config.bulkhead().equals(config.bulkhead());
    this.bulkhead = sameBulkhead ? previous.bulkhead : new Bulkhead(target, config.bulkhead());
    this.adaptive = sameBulkhead ? previous.adaptive : adaptiveConcurrency(config.bulkhead());
    RateLimiterConfig rate = config.rateLimiter().orElse(null);
    this.rateLimiter = rate == null ? null
        : previous != null && previous.config.rateLimiter().equals(config.rateLimiter()) ? previous.rateLimiter
        : new RateLimiter(rate, clock);
    this.rateLimitTimeoutNanos = rate == null ? 0 : rate.timeoutDuration().toNanos();
    RetryBudgetConfig budget = config.retry().budget().orElse(null);
    this.retryBudget = budget == null ? null
        : previous != null && previous.config.retry().budget().equals(config.retry().budget()) ? previous.retryBudget
        : new RetryBudget(budget, clock);
    this.backoff = new RetryBackoff(config.retry(), random);
    this.connectNanos = config.timeout().connect().toNanos();
    this.attemptNanos = config.timeout().attempt().toNanos();
    Duration total = config.timeout().total().orElse(null);
    this.totalNanos = total == null ? UNBOUNDED : total.toNanos();
    // an adaptive limit is a queue length: nobody waits for it
    this.maxWaitNanos = adaptive != null ? 0 : config.bulkhead().maxWaitDuration().toNanos();
  }

  /**
   * These policies under reloaded rules: themselves when the target's config is unchanged, else successors
   * that keep the state of every policy whose settings did not change. Calls already under way finish on
   * these (their permits come back here).
   */
  TargetPolicies reconfigured(HostRules current, Clock clock, RandomSource random) {
    PolicyConfig next = current.forTarget(target);
    if (next.equals(config)) {
      rules = current;
      return this;
    }
    return new TargetPolicies(target, next, current, clock, random, lastUsedNanos.get(), this);
  }

  private static AdaptiveConcurrency adaptiveConcurrency(BulkheadConfig b) {
    if (b.type() != BulkheadConfig.Type.ADAPTIVE) {
      return null;
    }
    return AdaptiveConcurrency.of(b.adaptive());
  }

  /**
   * How long a half-open probe may go unanswered. A permission is taken before the bulkhead wait and the
   * attempt, both bounded (an inherited deadline only shortens the attempt): a probe unanswered past them
   * and a margin is lost. But an attempt timeout of hours (JDBC's default: a day, so migrations run) must
   * not let one lost probe refuse every call for hours, so the wait is capped at the longer of
   * waitDurationInOpenState and a minute: a lost probe shuts the breaker no longer than an opening does.
   * A healthy probe slower than that is given up on too; the next round's probes decide.
   */
  static Duration probeTimeout(PolicyConfig config) {
    Duration lost = config.bulkhead().maxWaitDuration().plus(config.timeout().attempt()).plus(PROBE_MARGIN)
        .plus(config.rateLimiter().isPresent() ? config.rateLimiter().get().timeoutDuration() : Duration.ZERO);
    Duration wait = config.circuitBreaker().waitDurationInOpenState();
    Duration cap = wait.compareTo(PROBE_CAP_AT_LEAST) > 0 ? wait : PROBE_CAP_AT_LEAST;
    return lost.compareTo(cap) < 0 ? lost : cap;
  }

  /** Records an attempt's outcome in the breaker; a change of the breaker's state is printed (BreakerEvents). */
  void record(long durationNanos, Outcome outcome) {
    record(durationNanos, outcome, false);
  }

  /**
   * As {@link #record(long, Outcome)}; an attempt that failed only because the caller's inherited deadline
   * cut it short ({@link CallBudget#cutByCaller}), or that ended on this side ({@link Outcome#LOCAL}: the app
   * cancelled it, no pooled connection was free), is not held against the target: its permission is
   * released unrecorded, so neither the caller's impatience nor the app's own limits ever open the
   * dependency's breaker.
   */
  void record(long durationNanos, Outcome outcome, boolean cutByCaller) {
    if (cutByCaller || outcome.kind() == Outcome.Kind.LOCAL) {
      breaker.releasePermission();
      metrics.attempt(CallMetrics.Judged.IGNORED, durationNanos);
      return;
    }
    if (outcome.kind() != Outcome.Kind.REJECTED) {
      metrics.attempt(failed(outcome) ? CallMetrics.Judged.FAILED : CallMetrics.Judged.SUCCESSFUL, durationNanos);
    }
    boolean recorded = false;
    try {
      Faults.at(Faults.Step.RECORD);
      breaker.onResult(durationNanos, outcome); // a change of state is printed (BreakerEvents)
      recorded = true;
    } finally {
      if (!recorded) {
        breaker.releasePermission(); // a fault recording it: the permission is given back, never kept
      }
    }
    if (adaptive != null) {
      learn(durationNanos, outcome);
    }
  }

  /**
   * Tells the adaptive limit how an attempt ended (its slot went back already): a timeout, a failure the
   * breaker records, or the dependency's own refusal (429, 503) is a drop, whose RTT is not learnt (a timeout
   * only measures itself); anything else is a sample of its RTT. Levee's own refusals never get here, and
   * neither do cancellations, local failures or attempts the caller's deadline cut (see {@link #record}).
   */
  private void learn(long durationNanos, Outcome outcome) {
    if (outcome.kind() == Outcome.Kind.REJECTED) {
      return;
    }
    try {
      Faults.at(Faults.Step.LIMIT);
      boolean dropped = outcome.kind() == Outcome.Kind.TIMEOUT
          || config.circuitBreaker().recordOn().contains(outcome)
          || (outcome.kind() == Outcome.Kind.STATUS && (outcome.status() == 429 || outcome.status() == 503));
      adaptive.learn(durationNanos, dropped);
    } catch (Throwable t) {
      LeveeLog.warnOnce("pipeline.adaptive", "internal error updating an adaptive limit; it stays as it is", t);
    }
  }

  /**
   * A call (not a retry) is made, at {@code startNanos}: it earns its share of the retry budget. A fault of
   * Levee's skips it.
   */
  void depositRequest(long startNanos) {
    if (retryBudget == null) {
      return;
    }
    try {
      Faults.at(Faults.Step.LIMIT);
      retryBudget.deposit(startNanos);
    } catch (Throwable t) {
      LeveeLog.warnOnce("pipeline.budget", "internal error in a retry budget; the call goes on", t);
    }
  }

  /**
   * Takes one retry from the budget; false when it has none, and the call ends with its last outcome. A fault
   * of Levee's allows the retry: the call is then as it was before there were budgets.
   */
  boolean tryWithdrawRetry() {
    if (retryBudget == null) {
      return true;
    }
    try {
      Faults.at(Faults.Step.LIMIT);
      return retryBudget.tryWithdraw();
    } catch (Throwable t) {
      LeveeLog.warnOnce("pipeline.budget", "internal error in a retry budget; the retry goes ahead", t);
      return true;
    }
  }

  /**
   * Takes a rate-limiter permit: 0 to go now, the nanoseconds to wait before the attempt, or -1 when none is
   * to be had within timeoutDuration and strictly before the deadline ({@code nanosLeft}). No rate limit, or a
   * fault of Levee's: 0.
   */
  long reserveRatePermit(long nanosLeft) {
    if (rateLimiter == null) {
      return 0;
    }
    try {
      Faults.at(Faults.Step.LIMIT);
      return rateLimiter.reserveNanos(Math.min(rateLimitTimeoutNanos, nanosLeft - 1));
    } catch (Throwable t) {
      LeveeLog.warnOnce("pipeline.ratelimit", "internal error in a rate limiter; the call goes on", t);
      return 0;
    }
  }

  /** Why a call was refused: which target, its rate, and when the next permit is free. */
  String rateLimitedMessage() {
    long next = rateLimiter.nanosToNextPermit();
    return "levee: rate limit reached for " + target + " (" + rateLimiter.limitForPeriod() + " calls per "
        + Durations.format(rateLimiter.limitRefreshPeriod()) + ", waited at most "
        + TimeUnit.NANOSECONDS.toMillis(rateLimitTimeoutNanos) + "ms); next permit in "
        + TimeUnit.NANOSECONDS.toMillis(next + 999_999) + "ms";
  }

  /** A bulkhead slot if one is free now (fixed or adaptive); never waits. */
  boolean tryAcquireSlot() {
    return adaptive != null ? adaptive.tryAcquire() : bulkhead.tryAcquire();
  }

  /** A bulkhead slot, waiting at most {@code waitNanos} for a fixed one; an adaptive one never waits. */
  boolean tryAcquireSlot(long waitNanos) throws InterruptedException {
    return adaptive != null ? adaptive.tryAcquire() : bulkhead.tryAcquire(waitNanos);
  }

  /** As {@link Bulkhead#acquireAsync}; an adaptive slot is decided at once. */
  CompletableFuture<Boolean> acquireSlotAsync(long waitNanos, ScheduledExecutorService timer) {
    return adaptive != null ? CompletableFuture.completedFuture(adaptive.tryAcquire())
        : bulkhead.acquireAsync(waitNanos, timer);
  }

  String bulkheadFullMessage() {
    if (adaptive != null) {
      return "levee: adaptive concurrency limit reached for " + target + " (" + adaptive.inFlight() + " of "
          + adaptive.limit() + " calls in flight); retry when one completes";
    }
    return bulkhead.rejectionMessage();
  }

  /**
   * Marks the target used now; false when it has been evicted, and the caller must look it up again.
   * Paired with {@link #retire}: whichever changes {@link #lastUsedNanos} first wins, so a lookup never
   * gets policies an eviction has already decided to forget. A lookup that skips its write (the time
   * stored is under a second old) is covered too, because nothing is evicted that was used in the last
   * two seconds: only a call that takes over a second from its lookup to its bulkhead permit could find
   * its policies forgotten meanwhile, and it still finishes on them.
   */
  boolean touch(long nowNanos) {
    while (true) {
      long used = lastUsedNanos.get();
      if (used == RETIRED) {
        return false;
      }
      if (nowNanos - used < TOUCH_EVERY_NANOS || lastUsedNanos.compareAndSet(used, nowNanos)) {
        return true;
      }
    }
  }

  /** When a call last looked it up (to within a second); {@link #RETIRED} once evicted. */
  long lastUsedNanos() {
    return lastUsedNanos.get();
  }

  /**
   * Whether it may be forgotten: no call holds a bulkhead permit (nor waits for one: waiters exist only
   * while every permit is taken) and the breaker is CLOSED. An OPEN or HALF_OPEN breaker is kept, so
   * forgetting never lets a flood through to a dependency known to be down.
   */
  boolean evictable() {
    return breaker.state() == CircuitBreaker.State.CLOSED && bulkhead.inFlight() == 0
        && (adaptive == null || adaptive.inFlight() == 0);
  }

  /**
   * Marks it evicted if no lookup has used it since {@code usedNanos} was read; false when one has (it
   * stays). A call that looked it up before and holds it still finishes on it: its permits go back to
   * this bulkhead, the one they came from.
   */
  boolean retire(long usedNanos) {
    return usedNanos != RETIRED && lastUsedNanos.compareAndSet(usedNanos, RETIRED);
  }

  /** Gives a bulkhead permit back; a fault of Levee's on the way never keeps it taken. */
  void releaseBulkhead() {
    try {
      Faults.at(Faults.Step.RELEASE);
    } catch (Throwable t) {
      LeveeLog.warnOnce("pipeline.release", "internal error releasing a bulkhead permit; it is released", t);
    } finally {
      if (adaptive != null) {
        adaptive.onIgnored(); // what the attempt teaches the limit is learnt when its outcome is recorded
      } else {
        bulkhead.release();
      }
    }
  }

  /** Whether an outcome counts against the target: the breaker's {@code recordOn}. */
  boolean failed(Outcome outcome) {
    return config.circuitBreaker().recordOn().contains(outcome);
  }

  /** The call ends with this attempt's outcome: counted by kind (retried or not, failed or not). */
  void callEnded(Outcome outcome, int attempts) {
    metrics.callEnded(failed(outcome), attempts > 1);
  }

  @Override
  public Target target() {
    return target;
  }

  @Override
  public CircuitBreaker.State breakerState() {
    return breaker.state();
  }

  @Override
  public CallMetrics metrics() {
    return metrics;
  }

  @Override
  public int bulkheadAvailable() {
    return adaptive != null ? Math.max(0, adaptive.limit() - adaptive.inFlight())
        : Math.max(0, bulkhead.maxConcurrentCalls() - bulkhead.inFlight());
  }

  @Override
  public int concurrencyLimit() {
    return adaptive != null ? adaptive.limit() : bulkhead.maxConcurrentCalls();
  }

  @Override
  public int rateLimiterAvailable() {
    return rateLimiter == null ? -1 : rateLimiter.availablePermissions();
  }

  @Override
  public long retryBudgetAvailable() {
    return retryBudget == null ? -1 : retryBudget.retriesAvailable();
  }

  boolean mayRetryRequest(CallSpec call) {
    return call.isReplayable()
        && (call.hasIdempotencyKey() || config.retry().retryMethods().contains(call.method()));
  }
}
