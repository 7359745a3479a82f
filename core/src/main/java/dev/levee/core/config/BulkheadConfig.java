package dev.levee.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code bulkhead}: how many calls may be in flight to a target. {@code type: fixed} (the default): at most
 * {@code maxConcurrentCalls}, a call waiting at most {@code maxWaitDuration} for a permit. {@code type:
 * adaptive}: a limit learnt per target by {@code algorithm} (aimd or gradient2) between {@code minLimit} and
 * {@code maxLimit}, starting at {@code initialLimit}; a call over it is refused at once. Immutable.
 */
public final class BulkheadConfig {

  public enum Type {
    FIXED,
    ADAPTIVE
  }

  public enum Algorithm {
    AIMD,
    GRADIENT2
  }

  private final Type type;
  private final int maxConcurrentCalls;
  private final Duration maxWaitDuration;
  private final Algorithm algorithm;
  private final int initialLimit;
  private final int minLimit;
  private final int maxLimit;
  private final double backoffRatio;

  private BulkheadConfig(Builder b) {
    // each field's range is its setter's rule; the rule across fields is checkAdaptiveLimits
    this.maxConcurrentCalls = b.maxConcurrentCalls;
    this.maxWaitDuration = b.maxWaitDuration;
    this.type = Objects.requireNonNull(b.type, "bulkhead.type");
    this.algorithm = Objects.requireNonNull(b.algorithm, "bulkhead.algorithm");
    checkAdaptiveLimits(b.initialLimit, b.minLimit, b.maxLimit);
    this.initialLimit = b.initialLimit;
    this.minLimit = b.minLimit;
    this.maxLimit = b.maxLimit;
    this.backoffRatio = b.backoffRatio;
  }

  /**
   * The rules of an adaptive limit's settings, outbound ({@code bulkhead}) and inbound ({@code concurrency})
   * alike: minLimit <= initialLimit <= maxLimit (each at least 1: their setters' rule).
   */
  static void checkAdaptiveLimits(int initialLimit, int minLimit, int maxLimit) {
    if (maxLimit < minLimit) {
      throw new IllegalArgumentException("minLimit (" + minLimit + ") must not be more than maxLimit (" + maxLimit + ")");
    }
    if (initialLimit < minLimit || initialLimit > maxLimit) {
      throw new IllegalArgumentException("initialLimit (" + initialLimit + ") must be within minLimit (" + minLimit
          + ") and maxLimit (" + maxLimit + ")");
    }
  }

  /** An adaptive limit's {@code backoffRatio}, outbound and inbound alike: strictly between 0 and 1. */
  static double backoffRatio(String key, double v) {
    if (!(v > 0 && v < 1)) {
      throw new InvalidValue(key, "must be above 0 and below 1 (0.9: a drop takes a tenth off the limit), was "
          + InvalidValue.number(v), null);
    }
    return v;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().maxConcurrentCalls(maxConcurrentCalls).maxWaitDuration(maxWaitDuration).type(type)
        .algorithm(algorithm).initialLimit(initialLimit).minLimit(minLimit).maxLimit(maxLimit)
        .backoffRatio(backoffRatio);
  }

  public Type type() {
    return type;
  }

  public int maxConcurrentCalls() {
    return maxConcurrentCalls;
  }

  public Duration maxWaitDuration() {
    return maxWaitDuration;
  }

  public Algorithm algorithm() {
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
    if (!(o instanceof BulkheadConfig)) {
      return false;
    }
    BulkheadConfig b = (BulkheadConfig) o;
    return b.type == type && b.maxConcurrentCalls == maxConcurrentCalls && b.maxWaitDuration.equals(maxWaitDuration)
        && b.algorithm == algorithm && b.initialLimit == initialLimit && b.minLimit == minLimit
        && b.maxLimit == maxLimit && b.backoffRatio == backoffRatio;
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, maxConcurrentCalls, maxWaitDuration, algorithm, initialLimit, minLimit, maxLimit,
        backoffRatio);
  }

  @Override
  public String toString() {
    if (type == Type.ADAPTIVE) {
      return "bulkhead{type=adaptive, algorithm=" + algorithm + ", initialLimit=" + initialLimit + ", minLimit="
          + minLimit + ", maxLimit=" + maxLimit + (algorithm == Algorithm.AIMD ? ", backoffRatio=" + backoffRatio : "")
          + "}";
    }
    return "bulkhead{maxConcurrentCalls=" + maxConcurrentCalls + ", maxWaitDuration=" + maxWaitDuration + "}";
  }

  public static final class Builder {
    private Type type = Type.FIXED;
    // well above a healthy app's calls to one host at once (Envoy's per-cluster default is 1024 too)
    private int maxConcurrentCalls = 1024;
    private Duration maxWaitDuration = Duration.ZERO;
    private Algorithm algorithm = Algorithm.AIMD;
    // Netflix concurrency-limits' initial limit; grows by one a success while half of it is used
    private int initialLimit = 20;
    private int minLimit = 1;
    // never more than the fixed bulkhead's default ceiling
    private int maxLimit = 1024;
    private double backoffRatio = 0.9;

    public Builder type(Type v) {
      type = v;
      return this;
    }

    public Builder maxConcurrentCalls(int v) {
      maxConcurrentCalls = InvalidValue.atLeast("bulkhead.maxConcurrentCalls", 1, v);
      return this;
    }

    public Builder maxWaitDuration(Duration v) {
      maxWaitDuration = InvalidValue.notNegative("bulkhead.maxWaitDuration", v);
      return this;
    }

    public Builder algorithm(Algorithm v) {
      algorithm = v;
      return this;
    }

    public Builder initialLimit(int v) {
      initialLimit = InvalidValue.atLeast("bulkhead.initialLimit", 1, v);
      return this;
    }

    public Builder minLimit(int v) {
      minLimit = InvalidValue.atLeast("bulkhead.minLimit", 1, v);
      return this;
    }

    public Builder maxLimit(int v) {
      maxLimit = InvalidValue.atLeast("bulkhead.maxLimit", 1, v);
      return this;
    }

    public Builder backoffRatio(double v) {
      backoffRatio = BulkheadConfig.backoffRatio("bulkhead.backoffRatio", v);
      return this;
    }

    public BulkheadConfig build() {
      return new BulkheadConfig(this);
    }
  }
}
