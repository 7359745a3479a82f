package dev.levee.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code retry.budget}: how many retries a target may take on top of its requests (Finagle's and Linkerd's
 * retry budget), see {@link dev.levee.core.policy.RetryBudget}. Immutable.
 */
public final class RetryBudgetConfig {

  /**
   * The default: retries may add a fifth to a target's load, plus 10 a second for a quiet one, over 10 s
   * (Finagle's defaults).
   */
  public static final RetryBudgetConfig DEFAULT = new RetryBudgetConfig(0.2, 10, Duration.ofSeconds(10));

  private final double ratio;
  private final int minRetriesPerSecond;
  private final Duration ttl;

  public RetryBudgetConfig(double ratio, int minRetriesPerSecond, Duration ttl) {
    this.ratio = ratio(ratio);
    this.minRetriesPerSecond = minRetriesPerSecond(minRetriesPerSecond);
    this.ttl = ttl(ttl);
  }

  /** The rule of {@code ratio}: within 0 and 1000. */
  static double ratio(double v) {
    if (!(v >= 0 && v <= 1000)) {
      throw new InvalidValue("retry.budget.ratio", "must be within 0 and 1000 (0.2: retries add at most a fifth to "
          + "the load), was " + InvalidValue.number(v), null);
    }
    return v;
  }

  /** The rule of {@code minRetriesPerSecond}: at least 0. */
  static int minRetriesPerSecond(int v) {
    return InvalidValue.atLeast("retry.budget.minRetriesPerSecond", 0, v);
  }

  /** The rule of {@code ttl}: within 1s and 60s (Finagle's bounds). */
  static Duration ttl(Duration v) {
    Objects.requireNonNull(v, "retry.budget.ttl");
    if (v.compareTo(Duration.ofSeconds(1)) < 0 || v.compareTo(Duration.ofSeconds(60)) > 0) {
      throw new InvalidValue("retry.budget.ttl", "must be within 1s and 60s, was " + Durations.format(v),
          v.compareTo(Duration.ofSeconds(1)) < 0 ? "1s" : "60s");
    }
    return v;
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

  public RetryBudgetConfig withRatio(double v) {
    return new RetryBudgetConfig(v, minRetriesPerSecond, ttl);
  }

  public RetryBudgetConfig withMinRetriesPerSecond(int v) {
    return new RetryBudgetConfig(ratio, v, ttl);
  }

  public RetryBudgetConfig withTtl(Duration v) {
    return new RetryBudgetConfig(ratio, minRetriesPerSecond, v);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RetryBudgetConfig)) {
      return false;
    }
    RetryBudgetConfig b = (RetryBudgetConfig) o;
    return ratio == b.ratio && minRetriesPerSecond == b.minRetriesPerSecond && ttl.equals(b.ttl);
  }

  @Override
  public int hashCode() {
    return Objects.hash(ratio, minRetriesPerSecond, ttl);
  }

  @Override
  public String toString() {
    return "budget{ratio=" + ratio + ", minRetriesPerSecond=" + minRetriesPerSecond + ", ttl=" + ttl + "}";
  }
}
