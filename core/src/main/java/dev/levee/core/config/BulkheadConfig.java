package dev.levee.core.config;

import java.time.Duration;
import java.util.Objects;

/** {@code bulkhead}: concurrent calls per target and how long a call may wait for a permit. Immutable. */
public final class BulkheadConfig {

  private final int maxConcurrentCalls;
  private final Duration maxWaitDuration;

  private BulkheadConfig(Builder b) {
    if (b.maxConcurrentCalls < 1) {
      throw new IllegalArgumentException("bulkhead.maxConcurrentCalls must be at least 1, was " + b.maxConcurrentCalls);
    }
    this.maxConcurrentCalls = b.maxConcurrentCalls;
    Objects.requireNonNull(b.maxWaitDuration, "bulkhead.maxWaitDuration");
    if (b.maxWaitDuration.isNegative()) {
      throw new IllegalArgumentException("bulkhead.maxWaitDuration must not be negative, was " + b.maxWaitDuration);
    }
    this.maxWaitDuration = b.maxWaitDuration;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().maxConcurrentCalls(maxConcurrentCalls).maxWaitDuration(maxWaitDuration);
  }

  public int maxConcurrentCalls() {
    return maxConcurrentCalls;
  }

  public Duration maxWaitDuration() {
    return maxWaitDuration;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BulkheadConfig
        && ((BulkheadConfig) o).maxConcurrentCalls == maxConcurrentCalls
        && ((BulkheadConfig) o).maxWaitDuration.equals(maxWaitDuration);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxConcurrentCalls, maxWaitDuration);
  }

  @Override
  public String toString() {
    return "bulkhead{maxConcurrentCalls=" + maxConcurrentCalls + ", maxWaitDuration=" + maxWaitDuration + "}";
  }

  public static final class Builder {
    // well above a healthy app's calls to one host at once (Envoy's per-cluster default is 1024 too)
    private int maxConcurrentCalls = 1024;
    private Duration maxWaitDuration = Duration.ZERO;

    public Builder maxConcurrentCalls(int v) {
      maxConcurrentCalls = v;
      return this;
    }

    public Builder maxWaitDuration(Duration v) {
      maxWaitDuration = v;
      return this;
    }

    public BulkheadConfig build() {
      return new BulkheadConfig(this);
    }
  }
}
