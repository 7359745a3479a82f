package dev.levee.core.pipeline;

import dev.levee.core.Clock;
import dev.levee.core.Faults;
import dev.levee.core.LeveeLog;
import dev.levee.core.Outcome;
import dev.levee.core.RandomSource;
import dev.levee.core.Target;
import dev.levee.core.config.PolicyConfig;
import dev.levee.core.policy.Bulkhead;
import dev.levee.core.policy.CircuitBreaker;
import dev.levee.core.policy.RetryBackoff;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live policies of one target: created on the first call to it, shared by every client library, and
 * forgotten by {@link CallPipeline} once idle (then the next call to it creates them afresh).
 */
final class TargetPolicies {

  final Target target;
  final PolicyConfig config;
  final CircuitBreaker breaker;
  final Bulkhead bulkhead;
  final RetryBackoff backoff;
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
    this.lastUsedNanos = new AtomicLong(nowNanos);
    this.target = target;
    this.config = config;
    this.breaker = new CircuitBreaker(target, config.circuitBreaker(), clock, probeTimeout(config), BreakerEvents.PRINT);
    this.bulkhead = new Bulkhead(target, config.bulkhead());
    this.backoff = new RetryBackoff(config.retry(), random);
    this.connectNanos = config.timeout().connect().toNanos();
    this.attemptNanos = config.timeout().attempt().toNanos();
    this.totalNanos = config.timeout().total().map(Duration::toNanos).orElse(UNBOUNDED);
    this.maxWaitNanos = config.bulkhead().maxWaitDuration().toNanos();
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
    Duration lost = config.bulkhead().maxWaitDuration().plus(config.timeout().attempt()).plus(PROBE_MARGIN);
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
      return;
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
    return breaker.state() == CircuitBreaker.State.CLOSED && bulkhead.inFlight() == 0;
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
      bulkhead.release();
    }
  }

  boolean mayRetryRequest(CallSpec call) {
    return call.isReplayable()
        && (call.hasIdempotencyKey() || config.retry().retryMethods().contains(call.method()));
  }
}
