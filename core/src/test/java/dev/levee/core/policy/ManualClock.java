package dev.levee.core.policy;

import dev.levee.core.Clock;
import java.time.Duration;

/** A clock that moves only when a test moves it. Starts far from zero to catch arithmetic on raw values. */
final class ManualClock implements Clock {

  private volatile long nanoTime = 7_000_000_000_123L;
  private volatile long epochMillis = 1_700_000_000_000L;

  @Override
  public long nanoTime() {
    return nanoTime;
  }

  @Override
  public long currentTimeMillis() {
    return epochMillis;
  }

  void setNanoTime(long nanos) {
    nanoTime = nanos;
  }

  void setEpochMillis(long millis) {
    epochMillis = millis;
  }

  /** Moves both clocks forward. */
  synchronized void advance(Duration d) {
    nanoTime += d.toNanos();
    epochMillis += d.toMillis();
  }

  void advanceNanos(long nanos) {
    advance(Duration.ofNanos(nanos));
  }
}
