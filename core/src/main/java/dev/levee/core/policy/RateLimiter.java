package dev.levee.core.policy;

import dev.levee.core.Clock;
import dev.levee.core.config.RateLimiterConfig;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * At most {@code limitForPeriod} permits per {@code limitRefreshPeriod}, with Resilience4j's
 * AtomicRateLimiter semantics: time is cut into cycles of one period each, counted from the limiter's
 * creation; a new cycle refills the permits to {@code limitForPeriod} (unused ones never pile up beyond
 * it); a caller that finds none may reserve one in a later cycle when it would wait no longer than its
 * timeout, and the permits of that cycle then start lower by what was reserved.
 *
 * <p>The state is one packed long (the cycle's low 32 bits, the permits left in it as a signed int, below
 * zero while permits of later cycles are reserved), moved by compare-and-set: no lock, no allocation.
 * Cycles are compared modulo 2^32; a limiter idle for 2^31 cycles or more is simply refilled.
 */
public final class RateLimiter {

  private final int limitForPeriod;
  private final long periodNanos;
  private final Clock clock;
  private final long createdNanos;
  private final AtomicLong state;

  /**
   * @param config its limit and period, in the ranges {@link RateLimiterConfig} holds them to (its
   *     {@code timeoutDuration} is the caller's: how long a call may wait for what {@link #reserveNanos} says)
   */
  public RateLimiter(RateLimiterConfig config, Clock clock) {
    this.limitForPeriod = config.limitForPeriod();
    this.periodNanos = Nanos.of(config.limitRefreshPeriod());
    this.clock = clock;
    this.createdNanos = clock.nanoTime();
    this.state = new AtomicLong(pack(0, limitForPeriod));
  }

  public int limitForPeriod() {
    return limitForPeriod;
  }

  public Duration limitRefreshPeriod() {
    return Duration.ofNanos(periodNanos);
  }

  /**
   * Takes a permit: returns how long the caller must wait before using it (0: now), or -1 when none is
   * to be had within {@code timeoutNanos}, and then nothing is taken.
   */
  public long reserveNanos(long timeoutNanos) {
    while (true) {
      long prev = state.get();
      long now = clock.nanoTime() - createdNanos;
      long cycle = now / periodNanos;
      int permits = refilled(prev, cycle);
      long wait = nanosToWait(permits, cycle, now);
      if (wait > timeoutNanos) {
        // nothing taken; the refill is stored only if it is still the state (cheap, and keeps it current)
        state.compareAndSet(prev, pack(cycle, permits));
        return -1;
      }
      if (state.compareAndSet(prev, pack(cycle, permits - 1))) {
        return wait;
      }
    }
  }

  /** How long until a permit is free, without taking one: 0 when one is free now. */
  public long nanosToNextPermit() {
    long now = clock.nanoTime() - createdNanos;
    long cycle = now / periodNanos;
    return nanosToWait(refilled(state.get(), cycle), cycle, now);
  }

  /** Permits left in the current cycle; negative while permits of later cycles are reserved. */
  public int availablePermissions() {
    long now = clock.nanoTime() - createdNanos;
    return refilled(state.get(), now / periodNanos);
  }

  /** The permits of {@code cycle}: those stored, refilled by every cycle since, capped at limitForPeriod. */
  private int refilled(long packed, long cycle) {
    int permits = (int) packed;
    int elapsed = (int) cycle - (int) (packed >>> 32);
    if (elapsed == 0) {
      return permits;
    }
    if (elapsed < 0) {
      return limitForPeriod; // 2^31 cycles or more since the last call: as good as fresh
    }
    long refill = permits + (long) elapsed * limitForPeriod;
    return (int) Math.min(refill, limitForPeriod);
  }

  /** How long until one permit is free, given {@code permits} left in {@code cycle} at {@code now}. */
  private long nanosToWait(int permits, long cycle, long now) {
    if (permits >= 1) {
      return 0;
    }
    long toNextCycle = (cycle + 1) * periodNanos - now;
    // the next cycle brings limitForPeriod; the deficit beyond it takes whole cycles more
    long atNextCycle = (long) permits + limitForPeriod;
    long fullCycles = atNextCycle >= 1 ? 0 : (1 - atNextCycle + limitForPeriod - 1) / limitForPeriod;
    if (fullCycles > (Long.MAX_VALUE - toNextCycle) / periodNanos) {
      return Long.MAX_VALUE; // a period of days and a long queue: as good as never
    }
    return fullCycles * periodNanos + toNextCycle;
  }

  private static long pack(long cycle, int permits) {
    return (cycle << 32) | (permits & 0xFFFF_FFFFL);
  }

  @Override
  public String toString() {
    return "rate limiter " + limitForPeriod + " per " + limitRefreshPeriod() + ", " + availablePermissions() + " left";
  }
}
