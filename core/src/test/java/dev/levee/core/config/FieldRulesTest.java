package dev.levee.core.config;

import static dev.levee.core.config.ConfigTesting.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each single-field rule is written once, in the config class's setter (or its one-step constructor): a value a
 * program hands the builder is refused with the very words {@code validate} prints for the same value written in
 * resilience.yaml, at its key. A rule added to a reader alone, or to a builder alone, fails here.
 */
class FieldRulesTest {

  static Stream<Arguments> fields() {
    return Stream.of(
        field("retry", "maxAttempts: 0", () -> RetryConfig.builder().maxAttempts(0)),
        field("retry", "initialBackoff: 0ms", () -> RetryConfig.builder().initialBackoff(Duration.ZERO)),
        field("retry", "maxBackoff: 0s", () -> RetryConfig.builder().maxBackoff(Duration.ZERO)),
        field("retry", "backoffMultiplier: 0.5", () -> RetryConfig.builder().backoffMultiplier(0.5)),
        field("retry", "budget: {ratio: 2000}", () -> new RetryBudgetConfig(2000, 10, Duration.ofSeconds(10))),
        field("retry", "budget: {minRetriesPerSecond: -1}", () -> new RetryBudgetConfig(0.2, -1, Duration.ofSeconds(10))),
        field("retry", "budget: {ttl: 2m}", () -> new RetryBudgetConfig(0.2, 10, Duration.ofMinutes(2))),
        field("timeout", "connect: 0s", () -> TimeoutConfig.builder().connect(Duration.ZERO)),
        field("timeout", "attempt: 0s", () -> TimeoutConfig.builder().attempt(Duration.ZERO)),
        field("timeout", "total: 0s", () -> TimeoutConfig.builder().total(Duration.ZERO)),
        field("circuitBreaker", "slidingWindowSize: 0", () -> CircuitBreakerConfig.builder().slidingWindowSize(0)),
        field("circuitBreaker", "minimumNumberOfCalls: -2", () -> CircuitBreakerConfig.builder().minimumNumberOfCalls(-2)),
        field("circuitBreaker", "failureRateThreshold: 100.5",
            () -> CircuitBreakerConfig.builder().failureRateThreshold(100.5f)),
        field("circuitBreaker", "slowCallRateThreshold: 0", () -> CircuitBreakerConfig.builder().slowCallRateThreshold(0)),
        field("circuitBreaker", "slowCallDurationThreshold: 0s",
            () -> CircuitBreakerConfig.builder().slowCallDurationThreshold(Duration.ZERO)),
        field("circuitBreaker", "waitDurationInOpenState: 0s",
            () -> CircuitBreakerConfig.builder().waitDurationInOpenState(Duration.ZERO)),
        field("circuitBreaker", "permittedNumberOfCallsInHalfOpenState: 0",
            () -> CircuitBreakerConfig.builder().permittedNumberOfCallsInHalfOpenState(0)),
        field("bulkhead", "maxConcurrentCalls: 0", () -> BulkheadConfig.builder().maxConcurrentCalls(0)),
        field("bulkhead", "initialLimit: 0", () -> AdaptiveLimitConfig.builder(10).initialLimit(0)),
        field("bulkhead", "minLimit: 0", () -> AdaptiveLimitConfig.builder(10).minLimit(0)),
        field("bulkhead", "maxLimit: 0", () -> AdaptiveLimitConfig.builder(10).maxLimit(0)),
        field("bulkhead", "backoffRatio: 1", () -> AdaptiveLimitConfig.builder(10).backoffRatio(1)),
        field("rateLimiter", "{limitForPeriod: 0}", () -> new RateLimiterConfig(0, Duration.ofSeconds(1), Duration.ZERO)),
        field("rateLimiter", "{limitForPeriod: 5, limitRefreshPeriod: 0s}",
            () -> new RateLimiterConfig(5, Duration.ZERO, Duration.ZERO)));
  }

  private static Arguments field(String section, String written, Executable program) {
    return Arguments.of(section, written, program);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("fields")
  void theFileAndTheBuilderRefuseAValueInTheSameWords(String section, String written, Executable program) {
    InvalidValue refused = assertThrows(InvalidValue.class, program);

    List<String> found = problems("http:", "  defaults:", "    " + section + (written.startsWith("{") ? ": " : ": {")
        + written + (written.startsWith("{") ? "" : "}"));

    assertEquals(1, found.size(), found.toString());
    String problem = found.get(0);
    String key = refused.getMessage().substring(0, refused.getMessage().length() - refused.reason().length() - 1);
    String field = key.substring(key.lastIndexOf('.') + 1);
    assertTrue(problem.contains("http.defaults." + section + "." + (written.contains("budget") ? "budget." : "")
        + field + ": "), problem + " names the key " + key);
    assertTrue(problem.endsWith(": " + refused.reason()
        + (refused.suggestion() == null ? "" : "; did you mean '" + refused.suggestion() + "'?")), problem);
  }
}
