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
    if (limitForPeriod < 1) {
      throw new IllegalArgumentException("rateLimiter.limitForPeriod must be at least 1, was " + limitForPeriod);
    }
    this.limitForPeriod = limitForPeriod;
    this.limitRefreshPeriod = TimeoutConfig.positive("rateLimiter.limitRefreshPeriod", limitRefreshPeriod);
    Objects.requireNonNull(timeoutDuration, "rateLimiter.timeoutDuration");
    if (timeoutDuration.isNegative()) {
      throw new IllegalArgumentException("rateLimiter.timeoutDuration must not be negative, was " + timeoutDuration);
    }
    this.timeoutDuration = timeoutDuration;
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
