package dev.levee.core.config;

import java.util.Objects;

/**
 * What governs calls to one target, what a host rule resolves to: the sections, and (HTTP) whether
 * the call carries the deadline header. Immutable.
 */
public final class PolicyConfig {

  private final TimeoutConfig timeout;
  private final RetryConfig retry;
  private final CircuitBreakerConfig circuitBreaker;
  private final BulkheadConfig bulkhead;
  private final boolean sendDeadlineHeader;
  /** Null: no rate limit (the default). */
  private final RateLimiterConfig rateLimiter;

  public PolicyConfig(
      TimeoutConfig timeout, RetryConfig retry, CircuitBreakerConfig circuitBreaker, BulkheadConfig bulkhead) {
    this(timeout, retry, circuitBreaker, bulkhead, true);
  }

  public PolicyConfig(TimeoutConfig timeout, RetryConfig retry, CircuitBreakerConfig circuitBreaker,
      BulkheadConfig bulkhead, boolean sendDeadlineHeader) {
    this(timeout, retry, circuitBreaker, bulkhead, sendDeadlineHeader, null);
  }

  /** @param rateLimiter null for none */
  public PolicyConfig(TimeoutConfig timeout, RetryConfig retry, CircuitBreakerConfig circuitBreaker,
      BulkheadConfig bulkhead, boolean sendDeadlineHeader, RateLimiterConfig rateLimiter) {
    this.timeout = Objects.requireNonNull(timeout);
    this.retry = Objects.requireNonNull(retry);
    this.circuitBreaker = Objects.requireNonNull(circuitBreaker);
    this.bulkhead = Objects.requireNonNull(bulkhead);
    this.sendDeadlineHeader = sendDeadlineHeader;
    this.rateLimiter = rateLimiter;
  }

  /** The built-in defaults for HTTP calls. */
  public static PolicyConfig httpDefaults() {
    return new PolicyConfig(
        TimeoutConfig.builder().build(),
        RetryConfig.builder().build(),
        CircuitBreakerConfig.builder().build(),
        BulkheadConfig.builder().build());
  }

  /**
   * The built-in defaults for JDBC calls: as HTTP but retries off, and statements never cut by Levee's own
   * timeout in practice (a day: a migration or a nightly report runs as long as it needs); a statement made
   * under a deadline is still cut at that deadline.
   */
  public static PolicyConfig jdbcDefaults() {
    return new PolicyConfig(
        TimeoutConfig.builder()
            .connect(java.time.Duration.ofSeconds(10))
            .attempt(java.time.Duration.ofHours(24))
            .total(java.time.Duration.ofHours(24))
            .build(),
        RetryConfig.builder()
            .maxAttempts(1)
            .retryOn(dev.levee.core.OutcomeSet.of("connect-failure", "transient"))
            .build(),
        CircuitBreakerConfig.builder()
            .recordOn(dev.levee.core.OutcomeSet.of("connect-failure", "reset", "timeout"))
            .build(),
        BulkheadConfig.builder().build());
  }

  public TimeoutConfig timeout() {
    return timeout;
  }

  public RetryConfig retry() {
    return retry;
  }

  public CircuitBreakerConfig circuitBreaker() {
    return circuitBreaker;
  }

  public BulkheadConfig bulkhead() {
    return bulkhead;
  }

  /** The target's rate limit; empty (the default) for none. */
  public java.util.Optional<RateLimiterConfig> rateLimiter() {
    return java.util.Optional.ofNullable(rateLimiter);
  }

  /** This policy with another rate limit; null for none. */
  public PolicyConfig withRateLimiter(RateLimiterConfig v) {
    return new PolicyConfig(timeout, retry, circuitBreaker, bulkhead, sendDeadlineHeader, v);
  }

  /** Whether an HTTP call to the target carries the deadline header ({@code sendDeadlineHeader}). */
  public boolean sendDeadlineHeader() {
    return sendDeadlineHeader;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PolicyConfig)) {
      return false;
    }
    PolicyConfig p = (PolicyConfig) o;
    return timeout.equals(p.timeout)
        && retry.equals(p.retry)
        && circuitBreaker.equals(p.circuitBreaker)
        && bulkhead.equals(p.bulkhead)
        && sendDeadlineHeader == p.sendDeadlineHeader
        && Objects.equals(rateLimiter, p.rateLimiter);
  }

  @Override
  public int hashCode() {
    return Objects.hash(timeout, retry, circuitBreaker, bulkhead, sendDeadlineHeader, rateLimiter);
  }

  @Override
  public String toString() {
    return timeout + " " + retry + " " + circuitBreaker + " " + (rateLimiter == null ? "" : rateLimiter + " ")
        + bulkhead + " sendDeadlineHeader=" + sendDeadlineHeader;
  }
}
