package dev.levee.core.config;

import java.util.Objects;

/** The four sections that govern calls to one target: what a host rule resolves to. Immutable. */
public final class PolicyConfig {

  private final TimeoutConfig timeout;
  private final RetryConfig retry;
  private final CircuitBreakerConfig circuitBreaker;
  private final BulkheadConfig bulkhead;

  public PolicyConfig(
      TimeoutConfig timeout, RetryConfig retry, CircuitBreakerConfig circuitBreaker, BulkheadConfig bulkhead) {
    this.timeout = Objects.requireNonNull(timeout);
    this.retry = Objects.requireNonNull(retry);
    this.circuitBreaker = Objects.requireNonNull(circuitBreaker);
    this.bulkhead = Objects.requireNonNull(bulkhead);
  }

  /** The built-in defaults for HTTP calls. */
  public static PolicyConfig httpDefaults() {
    return new PolicyConfig(
        TimeoutConfig.builder().build(),
        RetryConfig.builder().build(),
        CircuitBreakerConfig.builder().build(),
        BulkheadConfig.builder().build());
  }

  /** The built-in defaults for JDBC calls: as HTTP but retries off and longer statement timeouts. */
  public static PolicyConfig jdbcDefaults() {
    return new PolicyConfig(
        TimeoutConfig.builder()
            .connect(java.time.Duration.ofSeconds(10))
            .attempt(java.time.Duration.ofSeconds(60))
            .total(java.time.Duration.ofSeconds(120))
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

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PolicyConfig)) {
      return false;
    }
    PolicyConfig p = (PolicyConfig) o;
    return timeout.equals(p.timeout)
        && retry.equals(p.retry)
        && circuitBreaker.equals(p.circuitBreaker)
        && bulkhead.equals(p.bulkhead);
  }

  @Override
  public int hashCode() {
    return Objects.hash(timeout, retry, circuitBreaker, bulkhead);
  }

  @Override
  public String toString() {
    return timeout + " " + retry + " " + circuitBreaker + " " + bulkhead;
  }
}
