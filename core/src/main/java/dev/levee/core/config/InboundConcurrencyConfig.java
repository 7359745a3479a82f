package dev.levee.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code inbound...concurrency}: how many requests of one path rule the app's handlers run at once. Fixed:
 * {@code maxConcurrentRequests}, a request finding them all busy waiting at most {@code maxWaitDuration}.
 * Adaptive (never waits): a limit between {@code minLimit} and {@code maxLimit}, starting at {@code initialLimit}, that
 * {@code algorithm} moves with what the requests show. Immutable.
 */
public final class InboundConcurrencyConfig {

  public enum Type { FIXED, ADAPTIVE }


  private final Type type;
  private final int maxConcurrentRequests;
  private final Duration maxWaitDuration;
  private final BulkheadConfig.Algorithm algorithm;
  private final int initialLimit;
  private final int minLimit;
  private final int maxLimit;
  private final double backoffRatio;

  private InboundConcurrencyConfig(Builder b) {
    // each field's range is its setter's rule; the rule across fields is BulkheadConfig's
    BulkheadConfig.checkAdaptiveLimits(b.initialLimit, b.minLimit, b.maxLimit);
    this.type = Objects.requireNonNull(b.type);
    this.maxConcurrentRequests = b.maxConcurrentRequests;
    this.maxWaitDuration = b.maxWaitDuration;
    this.algorithm = Objects.requireNonNull(b.algorithm);
    this.initialLimit = b.initialLimit;
    this.minLimit = b.minLimit;
    this.maxLimit = b.maxLimit;
    this.backoffRatio = b.backoffRatio;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().type(type).maxConcurrentRequests(maxConcurrentRequests).maxWaitDuration(maxWaitDuration)
        .algorithm(algorithm).initialLimit(initialLimit).minLimit(minLimit).maxLimit(maxLimit)
        .backoffRatio(backoffRatio);
  }

  public Type type() {
    return type;
  }

  public int maxConcurrentRequests() {
    return maxConcurrentRequests;
  }

  /**
   * Fixed only: how long a request may wait for a handler to finish before it is shed. An adaptive limit never
   * waits (it is the queue's length), as the outbound adaptive bulkhead.
   */
  public Duration maxWaitDuration() {
    return maxWaitDuration;
  }

  public BulkheadConfig.Algorithm algorithm() {
    return algorithm;
  }

  public int initialLimit() {
    return initialLimit;
  }

  public int minLimit() {
    return minLimit;
  }

  public int maxLimit() {
    return maxLimit;
  }

  public double backoffRatio() {
    return backoffRatio;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof InboundConcurrencyConfig)) {
      return false;
    }
    InboundConcurrencyConfig c = (InboundConcurrencyConfig) o;
    return c.type == type && c.maxConcurrentRequests == maxConcurrentRequests
        && c.maxWaitDuration.equals(maxWaitDuration) && c.algorithm == algorithm && c.initialLimit == initialLimit
        && c.minLimit == minLimit && c.maxLimit == maxLimit && c.backoffRatio == backoffRatio;
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, maxConcurrentRequests, maxWaitDuration, algorithm, initialLimit, minLimit, maxLimit,
        backoffRatio);
  }

  @Override
  public String toString() {
    return type == Type.FIXED
        ? "concurrency{fixed, maxConcurrentRequests=" + maxConcurrentRequests + ", maxWaitDuration=" + maxWaitDuration
            + "}"
        : "concurrency{adaptive, algorithm=" + algorithm + ", initialLimit=" + initialLimit + ", minLimit="
            + minLimit + ", maxLimit=" + maxLimit + ", backoffRatio=" + backoffRatio + ", maxWaitDuration="
            + maxWaitDuration + "}";
  }

  public static final class Builder {
    private Type type = Type.FIXED;
    // Tomcat's and Jetty's default worker pools are 200 threads: a handler limit no default container exceeds
    private int maxConcurrentRequests = 200;
    // shed at once: a request that waits holds a worker thread and its client's connection
    private Duration maxWaitDuration = Duration.ZERO;
    private BulkheadConfig.Algorithm algorithm = BulkheadConfig.Algorithm.AIMD;
    // Netflix concurrency-limits' starting point, grown from there while requests succeed
    private int initialLimit = 20;
    private int minLimit = 1;
    private int maxLimit = 200;
    // Netflix's AIMDLimit default: a drop costs 10% of the limit
    private double backoffRatio = 0.9;

    public Builder type(Type v) {
      type = v;
      return this;
    }

    public Builder maxConcurrentRequests(int v) {
      maxConcurrentRequests = InvalidValue.atLeast("concurrency.maxConcurrentRequests", 1, v);
      return this;
    }

    public Builder maxWaitDuration(Duration v) {
      maxWaitDuration = InvalidValue.notNegative("concurrency.maxWaitDuration", v);
      return this;
    }

    public Builder algorithm(BulkheadConfig.Algorithm v) {
      algorithm = v;
      return this;
    }

    public Builder initialLimit(int v) {
      initialLimit = InvalidValue.atLeast("concurrency.initialLimit", 1, v);
      return this;
    }

    public Builder minLimit(int v) {
      minLimit = InvalidValue.atLeast("concurrency.minLimit", 1, v);
      return this;
    }

    public Builder maxLimit(int v) {
      maxLimit = InvalidValue.atLeast("concurrency.maxLimit", 1, v);
      return this;
    }

    public Builder backoffRatio(double v) {
      backoffRatio = BulkheadConfig.backoffRatio("concurrency.backoffRatio", v);
      return this;
    }

    public InboundConcurrencyConfig build() {
      return new InboundConcurrencyConfig(this);
    }
  }
}
