package dev.levee.core.policy;

import dev.levee.core.Clock;
import java.time.Duration;

/**
 * How many retries one target may take, as Finagle's (and Linkerd's) retry budget: every request
 * deposits {@code ratio} of a retry, every retry withdraws a whole one, and deposits and withdrawals
 * expire {@code ttl} after they were made; on top, a fixed reserve of {@code minRetriesPerSecond * ttl}
 * retries never expires, so a target with little traffic can still retry. Over any ttl, retries thus stay
 * under {@code ratio * requests + minRetriesPerSecond * ttl}: a fleet retrying a sick dependency adds at
 * most that much load to it, whatever maxAttempts says.
 *
 * <p>The window is cut into {@value #SLICES} slices of ttl/{@value #SLICES}; a slice's amount expires as a
 * whole, between ttl - ttl/{@value #SLICES} and ttl after it was made. Amounts are in thousandths of a
 * retry, so a ratio is exact to 0.001. Driven by the injected {@link Clock}; one short lock per request.
 */
public final class RetryBudget {

  static final int SLICES = 10;
  /** One retry, in the budget's units. */
  private static final long RETRY = 1000;

  private final Clock clock;
  private final long deposit;
  private final long reserve;
  private final long sliceNanos;
  private final long origin;
  private final long[] slices = new long[SLICES];
  private long currentSlice;
  private final double ratio;
  private final int minRetriesPerSecond;
  private final Duration ttl;

  public RetryBudget(double ratio, int minRetriesPerSecond, Duration ttl, Clock clock) {
    if (!(ratio >= 0) || ratio > 1000) {
      throw new IllegalArgumentException("ratio must be within [0, 1000]: " + ratio);
    }
    if (minRetriesPerSecond < 0) {
      throw new IllegalArgumentException("minRetriesPerSecond must not be negative: " + minRetriesPerSecond);
    }
    long ttlNanos = Nanos.of(ttl);
    if (ttlNanos < SLICES) {
      throw new IllegalArgumentException("ttl too short: " + ttl);
    }
    this.ratio = ratio;
    this.minRetriesPerSecond = minRetriesPerSecond;
    this.ttl = ttl;
    this.clock = clock;
    this.deposit = Math.round(ratio * RETRY);
    this.reserve = (long) Math.min(Long.MAX_VALUE / 4.0, minRetriesPerSecond * (ttlNanos / 1e9) * RETRY);
    this.sliceNanos = ttlNanos / SLICES;
    this.origin = clock.nanoTime();
  }

  /** A request was made (a call's first attempt). */
  public void deposit() {
    deposit(clock.nanoTime());
  }

  /** A request was made at {@code nowNanos} on this budget's clock (the call's start, read once for it all). */
  public void deposit(long nowNanos) {
    if (deposit == 0) {
      return;
    }
    synchronized (slices) {
      roll(nowNanos);
      slices[(int) (currentSlice % SLICES)] += deposit;
    }
  }

  /** Takes one retry from the budget; false, taking nothing, when the budget has less than one. */
  public boolean tryWithdraw() {
    synchronized (slices) {
      roll();
      if (balance() < RETRY) {
        return false;
      }
      slices[(int) (currentSlice % SLICES)] -= RETRY;
      return true;
    }
  }

  /** Whole retries the budget holds now. */
  public long retriesAvailable() {
    synchronized (slices) {
      roll();
      return Math.max(0, balance() / RETRY);
    }
  }

  public double ratio() {
    return ratio;
  }

  public int minRetriesPerSecond() {
    return minRetriesPerSecond;
  }

  public Duration ttl() {
    return ttl;
  }

  private long balance() {
    long sum = reserve;
    for (long s : slices) {
      sum += s;
    }
    return sum;
  }

  /** Moves the window to now: slices older than ttl are emptied. */
  private void roll() {
    roll(clock.nanoTime());
  }

  private void roll(long nowNanos) {
    long now = (nowNanos - origin) / sliceNanos;
    if (now <= currentSlice) {
      return;
    }
    long stale = Math.min(SLICES, now - currentSlice);
    for (long s = 1; s <= stale; s++) {
      slices[(int) ((currentSlice + s) % SLICES)] = 0;
    }
    currentSlice = now;
  }

  @Override
  public String toString() {
    return "retry budget " + ratio + " of requests + " + minRetriesPerSecond + "/s over " + ttl + ", "
        + retriesAvailable() + " left";
  }
}
