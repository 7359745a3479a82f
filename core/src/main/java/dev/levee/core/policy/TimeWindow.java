package dev.levee.core.policy;

import dev.levee.core.Clock;
import java.util.Objects;

/**
 * The calls of the last {@code sizeSeconds} seconds: one bucket per second in a ring, with running
 * totals; buckets are emptied as the clock moves past them (Resilience4j's SlidingTimeWindowMetrics).
 * Seconds come from the monotonic clock, so wall-clock jumps do not empty or freeze the window. A call
 * stays counted until its second is {@code sizeSeconds} seconds behind the current one, so the window
 * spans between {@code sizeSeconds - 1} and {@code sizeSeconds} seconds of history.
 */
public final class TimeWindow implements CallWindow {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final Clock clock;
  private final long[] bucketTotal;
  private final long[] bucketFailed;
  private final long[] bucketSlow;
  /** The bucket of {@link #headSecond}, the latest second seen. */
  private int head;
  private long headSecond;
  private long total;
  private long failed;
  private long slow;

  public TimeWindow(int sizeSeconds, Clock clock) {
    if (sizeSeconds < 1) {
      throw new IllegalArgumentException("window size must be at least 1 second, was " + sizeSeconds);
    }
    this.clock = Objects.requireNonNull(clock, "clock");
    this.bucketTotal = new long[sizeSeconds];
    this.bucketFailed = new long[sizeSeconds];
    this.bucketSlow = new long[sizeSeconds];
    this.headSecond = currentSecond();
  }

  public int sizeSeconds() {
    return bucketTotal.length;
  }

  @Override
  public synchronized Snapshot record(boolean failedCall, boolean slowCall) {
    moveToCurrentSecond();
    bucketTotal[head]++;
    total++;
    if (failedCall) {
      bucketFailed[head]++;
      failed++;
    }
    if (slowCall) {
      bucketSlow[head]++;
      slow++;
    }
    return new Snapshot(total, failed, slow);
  }

  @Override
  public synchronized Snapshot snapshot() {
    moveToCurrentSecond();
    return new Snapshot(total, failed, slow);
  }

  @Override
  public synchronized void reset() {
    java.util.Arrays.fill(bucketTotal, 0);
    java.util.Arrays.fill(bucketFailed, 0);
    java.util.Arrays.fill(bucketSlow, 0);
    total = 0;
    failed = 0;
    slow = 0;
    head = 0;
    headSecond = currentSecond();
  }

  private long currentSecond() {
    return Math.floorDiv(clock.nanoTime(), NANOS_PER_SECOND);
  }

  /** Empties the buckets of the seconds that have passed since the last call, at most all of them. */
  private void moveToCurrentSecond() {
    long now = currentSecond();
    long elapsed = now - headSecond;
    if (elapsed <= 0) {
      return; // same second
    }
    long steps = Math.min(elapsed, bucketTotal.length);
    for (long i = 0; i < steps; i++) {
      head = head + 1 == bucketTotal.length ? 0 : head + 1;
      total -= bucketTotal[head];
      failed -= bucketFailed[head];
      slow -= bucketSlow[head];
      bucketTotal[head] = 0;
      bucketFailed[head] = 0;
      bucketSlow[head] = 0;
    }
    headSecond = now;
  }
}
