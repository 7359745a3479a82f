package dev.levee.core.policy;

import dev.levee.core.Clock;
import dev.levee.core.config.RetryBudgetConfig;
import java.util.concurrent.atomic.AtomicLongArray;

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
 * retry, so a ratio is exact to 0.001. Driven by the injected {@link Clock}; a request adds to its slice without a lock, a retry takes a short one.
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
  private final AtomicLongArray slices = new AtomicLongArray(SLICES);
  private volatile long currentSlice;
  /** {@code currentSlice}'s place in {@code slices}. */
  private volatile int currentIndex;
  /** When {@code currentSlice} ends, on the clock: a deposit before then adds to it without a division. */
  private volatile long currentSliceEndsAt;
  private final RetryBudgetConfig config;

  /** @param config its settings, in the ranges {@link RetryBudgetConfig} holds them to (a ttl of 1 s to 60 s) */
  public RetryBudget(RetryBudgetConfig config, Clock clock) {
    this.config = config;
    long ttlNanos = Nanos.of(config.ttl());
    this.clock = clock;
    this.deposit = Math.round(config.ratio() * RETRY);
    this.reserve = (long) Math.min(Long.MAX_VALUE / 4.0, config.minRetriesPerSecond() * (ttlNanos / 1e9) * RETRY);
    this.sliceNanos = ttlNanos / SLICES;
    this.origin = clock.nanoTime();
    this.currentSliceEndsAt = origin + sliceNanos;
  }

  /** A request was made (a call's first attempt). */
  public void deposit() {
    deposit(clock.nanoTime());
  }

  /**
   * A request was made at {@code nowNanos} on this budget's clock (the call's start, read once for it all).
   * No lock unless the window moves to a new slice (once per ttl/{@value #SLICES}): the deposit is added to
   * the current slice, which a roll empties only when it has aged a whole ttl.
   */
  public void deposit(long nowNanos) {
    if (deposit == 0) {
      return;
    }
    if (nowNanos - currentSliceEndsAt >= 0) {
      synchronized (this) {
        roll(sliceAt(nowNanos));
      }
    }
    slices.addAndGet(currentIndex, deposit);
  }

  /** Takes one retry from the budget; false, taking nothing, when the budget has less than one. */
  public synchronized boolean tryWithdraw() {
    long slice = sliceAt(clock.nanoTime());
    roll(slice);
    if (balance() < RETRY) {
      return false;
    }
    slices.addAndGet(currentIndex, -RETRY);
    return true;
  }

  /** Whole retries the budget holds now. */
  public synchronized long retriesAvailable() {
    roll(sliceAt(clock.nanoTime()));
    return Math.max(0, balance() / RETRY);
  }

  private long balance() {
    long sum = reserve;
    for (int i = 0; i < SLICES; i++) {
      sum += slices.get(i);
    }
    return sum;
  }

  private long sliceAt(long nowNanos) {
    return Math.max(0, nowNanos - origin) / sliceNanos;
  }

  /** Moves the window to {@code slice}: slices older than ttl are emptied. Under the lock. */
  private void roll(long slice) {
    long current = currentSlice;
    if (slice <= current) {
      return;
    }
    long stale = Math.min(SLICES, slice - current);
    for (long s = 1; s <= stale; s++) {
      slices.set((int) ((current + s) % SLICES), 0);
    }
    currentSlice = slice;
    // after the emptying, and the index before the end: a deposit that sees the new end adds to the new slice
    currentIndex = (int) (slice % SLICES);
    currentSliceEndsAt = origin + (slice + 1) * sliceNanos;
  }

  @Override
  public String toString() {
    return "retry budget " + config.ratio() + " of requests + " + config.minRetriesPerSecond() + "/s over " + config.ttl()
        + ", "
        + retriesAvailable() + " left";
  }
}
