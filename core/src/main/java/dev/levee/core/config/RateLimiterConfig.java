package dev.levee.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code rateLimiter}: at most {@code limitForPeriod} calls per {@code limitRefreshPeriod} to a target, a call
 * waiting at most {@code timeoutDuration} for a permit (Resilience4j's names and semantics, see
 * {@link dev.levee.core.policy.RateLimiter}). Absent unless configured. Immutable.
 */
public final class RateLimiterConfig {

  /** When the section leaves it out: one second, the period rates are usually quoted in. */
  public static final Duration DEFAULT_REFRESH_PERIOD = Duration.ofSeconds(1);
  /** When the section leaves it out: refuse at once rather than hold an application thread. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ZERO;

  private final int limitForPeriod;
  private final Duration limitRefreshPeriod;
  private final Duration timeoutDuration;

  public RateLimiterConfig(int limitForPeriod, Duration limitRefreshPeriod, Duration timeoutDuration) {
    this.limitForPeriod = limitForPeriod(limitForPeriod);
    this.limitRefreshPeriod = limitRefreshPeriod(limitRefreshPeriod);
    this.timeoutDuration = timeoutDuration(timeoutDuration);
  }

  /** The rule of {@code limitForPeriod}: at least 1. */
  static int limitForPeriod(int v) {
    return InvalidValue.atLeast("rateLimiter.limitForPeriod", 1, v);
  }

  /** The rule of {@code limitRefreshPeriod}: longer than 0. */
  static Duration limitRefreshPeriod(Duration v) {
    return InvalidValue.positive("rateLimiter.limitRefreshPeriod", v);
  }

  /** The rule of {@code timeoutDuration}: not negative (0: refuse at once). */
  static Duration timeoutDuration(Duration v) {
    return InvalidValue.notNegative("rateLimiter.timeoutDuration", v);
  }

  public int limitForPeriod() {
    return limitForPeriod;
  }

  public Duration limitRefreshPeriod() {
    return limitRefreshPeriod;
  }

  public Duration timeoutDuration() {
    return timeoutDuration;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RateLimiterConfig)) {
      return false;
    }
    RateLimiterConfig r = (RateLimiterConfig) o;
    return limitForPeriod == r.limitForPeriod && limitRefreshPeriod.equals(r.limitRefreshPeriod)
        && timeoutDuration.equals(r.timeoutDuration);
  }

  @Override
  public int hashCode() {
    return Objects.hash(limitForPeriod, limitRefreshPeriod, timeoutDuration);
  }

  @Override
  public String toString() {
    return "rateLimiter{limitForPeriod=" + limitForPeriod + ", limitRefreshPeriod=" + limitRefreshPeriod
        + ", timeoutDuration=" + timeoutDuration + "}";
  }
}
