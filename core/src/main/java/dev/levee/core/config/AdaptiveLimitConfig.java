package dev.levee.core.config;

import java.util.Objects;

/**
 * An adaptive concurrency limit's settings, outbound ({@code bulkhead: {type: adaptive}}) and inbound
 * ({@code concurrency: {type: adaptive}}) alike: a limit learnt by {@code algorithm} (Netflix concurrency-limits'
 * AIMD or Gradient2) between {@code minLimit} and {@code maxLimit}, starting at {@code initialLimit}; with AIMD a
 * drop multiplies it by {@code backoffRatio}. Immutable.
 */
public final class AdaptiveLimitConfig {

  public enum Algorithm {
    AIMD,
    GRADIENT2
  }

  private final Algorithm algorithm;
  private final int initialLimit;
  private final int minLimit;
  private final int maxLimit;
  private final double backoffRatio;

  private AdaptiveLimitConfig(Builder b) {
    // each field's range is its setter's rule; the rule across fields is here
    if (b.maxLimit < b.minLimit) {
      throw new IllegalArgumentException("minLimit (" + b.minLimit + ") must not be more than maxLimit (" + b.maxLimit
          + ")");
    }
    if (b.initialLimit < b.minLimit || b.initialLimit > b.maxLimit) {
      throw new IllegalArgumentException("initialLimit (" + b.initialLimit + ") must be within minLimit (" + b.minLimit
          + ") and maxLimit (" + b.maxLimit + ")");
    }
    this.algorithm = Objects.requireNonNull(b.algorithm, "algorithm");
    this.initialLimit = b.initialLimit;
    this.minLimit = b.minLimit;
    this.maxLimit = b.maxLimit;
    this.backoffRatio = b.backoffRatio;
  }

  /**
   * Netflix concurrency-limits' starting point (AIMD, 20, at least 1, a drop costing a tenth), up to
   * {@code maxLimit}.
   */
  public static Builder builder(int maxLimit) {
    return new Builder().maxLimit(maxLimit);
  }

  public Builder toBuilder() {
    return new Builder().algorithm(algorithm).initialLimit(initialLimit).minLimit(minLimit).maxLimit(maxLimit)
        .backoffRatio(backoffRatio);
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
    if (!(o instanceof AdaptiveLimitConfig)) {
      return false;
    }
    AdaptiveLimitConfig a = (AdaptiveLimitConfig) o;
    return a.algorithm == algorithm && a.initialLimit == initialLimit && a.minLimit == minLimit
        && a.maxLimit == maxLimit && a.backoffRatio == backoffRatio;
  }

  @Override
  public int hashCode() {
    return Objects.hash(algorithm, initialLimit, minLimit, maxLimit, backoffRatio);
  }

  @Override
  public String toString() {
    return "algorithm=" + algorithm + ", initialLimit=" + initialLimit + ", minLimit=" + minLimit + ", maxLimit="
        + maxLimit + (algorithm == Algorithm.AIMD ? ", backoffRatio=" + backoffRatio : "");
  }

  public static final class Builder {
    private Algorithm algorithm = Algorithm.AIMD;
    private int initialLimit = 20;
    private int minLimit = 1;
    private int maxLimit = 1024;
    private double backoffRatio = 0.9;

    public Builder algorithm(Algorithm v) {
      algorithm = v;
      return this;
    }

    public Builder initialLimit(int v) {
      initialLimit = InvalidValue.atLeast("initialLimit", 1, v);
      return this;
    }

    public Builder minLimit(int v) {
      minLimit = InvalidValue.atLeast("minLimit", 1, v);
      return this;
    }

    public Builder maxLimit(int v) {
      maxLimit = InvalidValue.atLeast("maxLimit", 1, v);
      return this;
    }

    public Builder backoffRatio(double v) {
      if (!(v > 0 && v < 1)) {
        throw new InvalidValue("backoffRatio", "must be above 0 and below 1 (0.9: a drop takes a tenth off the "
            + "limit), was " + InvalidValue.number(v), null);
      }
      backoffRatio = v;
      return this;
    }

    public AdaptiveLimitConfig build() {
      return new AdaptiveLimitConfig(this);
    }
  }
}
