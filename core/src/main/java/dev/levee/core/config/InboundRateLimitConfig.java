package dev.levee.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code inbound...rateLimiter}: at most {@code limitForPeriod} requests of one path rule are admitted per
 * {@code limitRefreshPeriod} (Resilience4j's names and semantics); the rest are answered 429 at once, so an
 * inbound request never waits for a permit. Immutable.
 */
public final class InboundRateLimitConfig {

  private final int limitForPeriod;
  private final Duration limitRefreshPeriod;

  public InboundRateLimitConfig(int limitForPeriod, Duration limitRefreshPeriod) {
    if (limitForPeriod < 1) {
      throw new IllegalArgumentException("limitForPeriod must be at least 1, was " + limitForPeriod);
    }
    if (limitRefreshPeriod.isNegative() || limitRefreshPeriod.isZero()) {
      throw new IllegalArgumentException("limitRefreshPeriod must be longer than 0, was " + limitRefreshPeriod);
    }
    this.limitForPeriod = limitForPeriod;
    this.limitRefreshPeriod = limitRefreshPeriod;
  }

  /** What an empty {@code rateLimiter: {}} means: the schema's example, 1000 requests a second. */
  public static InboundRateLimitConfig defaults() {
    return new InboundRateLimitConfig(1000, Duration.ofSeconds(1));
  }

  public int limitForPeriod() {
    return limitForPeriod;
  }

  public Duration limitRefreshPeriod() {
    return limitRefreshPeriod;
  }

  public InboundRateLimitConfig withLimitForPeriod(int v) {
    return new InboundRateLimitConfig(v, limitRefreshPeriod);
  }

  public InboundRateLimitConfig withLimitRefreshPeriod(Duration v) {
    return new InboundRateLimitConfig(limitForPeriod, v);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InboundRateLimitConfig && ((InboundRateLimitConfig) o).limitForPeriod == limitForPeriod
        && ((InboundRateLimitConfig) o).limitRefreshPeriod.equals(limitRefreshPeriod);
  }

  @Override
  public int hashCode() {
    return Objects.hash(limitForPeriod, limitRefreshPeriod);
  }

  @Override
  public String toString() {
    return "rateLimiter{limitForPeriod=" + limitForPeriod + ", limitRefreshPeriod=" + limitRefreshPeriod + "}";
  }
}
