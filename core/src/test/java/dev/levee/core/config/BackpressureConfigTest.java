package dev.levee.core.config;

import static dev.levee.core.config.ConfigTesting.parse;
import static dev.levee.core.config.ConfigTesting.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.Target;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The outbound backpressure keys: retry.budget, rateLimiter, bulkhead type adaptive. */
class BackpressureConfigTest {

  @Test
  void theRetryBudgetIsOnByDefaultForHttpAndJdbc() throws Exception {
    LeveeConfig config = parse("");
    assertEquals(RetryBudgetConfig.DEFAULT, config.http().defaults().retry().budget().orElseThrow());
    assertEquals(RetryBudgetConfig.DEFAULT, config.jdbc().defaults().retry().budget().orElseThrow());
    assertEquals(0.2, RetryBudgetConfig.DEFAULT.ratio());
    assertEquals(10, RetryBudgetConfig.DEFAULT.minRetriesPerSecond());
    assertEquals(Duration.ofSeconds(10), RetryBudgetConfig.DEFAULT.ttl());
  }

  @Test
  void budgetFieldsMergeFieldByFieldAndNoneTurnsItOff() throws Exception {
    LeveeConfig config = parse(
        "http:",
        "  defaults:",
        "    retry: { budget: { ratio: 0.5 } }",
        "  hosts:",
        "    a.internal: { retry: { budget: { ttl: 30s } } }",
        "    b.internal: { retry: { budget: none } }",
        "jdbc:",
        "  defaults:",
        "    retry: { budget: { minRetriesPerSecond: 0 } }");
    assertEquals(new RetryBudgetConfig(0.5, 10, Duration.ofSeconds(10)),
        config.http().defaults().retry().budget().orElseThrow());
    assertEquals(new RetryBudgetConfig(0.5, 10, Duration.ofSeconds(30)),
        config.http().forTarget(Target.of("a.internal", 80)).retry().budget().orElseThrow());
    assertFalse(config.http().forTarget(Target.of("b.internal", 80)).retry().budget().isPresent());
    assertEquals(new RetryBudgetConfig(0.2, 0, Duration.ofSeconds(10)),
        config.jdbc().defaults().retry().budget().orElseThrow());
  }

  @Test
  void theRateLimiterIsAbsentUnlessConfiguredAndNoneRemovesAnInheritedOne() throws Exception {
    assertFalse(parse("").http().defaults().rateLimiter().isPresent());
    LeveeConfig config = parse(
        "http:",
        "  defaults:",
        "    rateLimiter: { limitForPeriod: 100 }",
        "  hosts:",
        "    a.internal: { rateLimiter: { timeoutDuration: 50ms } }",
        "    b.internal: { rateLimiter: none }",
        "    c.internal: { rateLimiter: { limitForPeriod: 5, limitRefreshPeriod: 100ms } }");
    assertEquals(new RateLimiterConfig(100, Duration.ofSeconds(1), Duration.ZERO),
        config.http().defaults().rateLimiter().orElseThrow());
    assertEquals(new RateLimiterConfig(100, Duration.ofSeconds(1), Duration.ofMillis(50)),
        config.http().forTarget(Target.of("a.internal", 80)).rateLimiter().orElseThrow());
    assertFalse(config.http().forTarget(Target.of("b.internal", 80)).rateLimiter().isPresent());
    assertEquals(new RateLimiterConfig(5, Duration.ofMillis(100), Duration.ZERO),
        config.http().forTarget(Target.of("c.internal", 80)).rateLimiter().orElseThrow());
  }

  @Test
  void aRateLimiterWithEveryFieldCommentedOutIsNone() throws Exception {
    LeveeConfig config = parse("http:", "  defaults:", "    rateLimiter:", "      # limitForPeriod: 100");
    assertFalse(config.http().defaults().rateLimiter().isPresent());
  }

  @Test
  void anAdaptiveBulkheadReadsItsAlgorithmAndLimits() throws Exception {
    LeveeConfig config = parse(
        "jdbc:",
        "  defaults:",
        "    bulkhead: { type: adaptive, algorithm: gradient2, initialLimit: 10, minLimit: 2, maxLimit: 50 }",
        "http:",
        "  hosts:",
        "    a.internal: { bulkhead: { type: adaptive, backoffRatio: 0.5 } }");
    BulkheadConfig jdbc = config.jdbc().defaults().bulkhead();
    assertEquals(BulkheadConfig.Type.ADAPTIVE, jdbc.type());
    AdaptiveLimitConfig jdbcLimit = jdbc.adaptive();
    assertEquals(AdaptiveLimitConfig.Algorithm.GRADIENT2, jdbcLimit.algorithm());
    assertEquals(List.of(10, 2, 50), List.of(jdbcLimit.initialLimit(), jdbcLimit.minLimit(), jdbcLimit.maxLimit()));
    AdaptiveLimitConfig a = config.http().forTarget(Target.of("a.internal", 80)).bulkhead().adaptive();
    assertEquals(AdaptiveLimitConfig.Algorithm.AIMD, a.algorithm());
    assertEquals(0.5, a.backoffRatio());
    assertEquals(List.of(20, 1, 1024), List.of(a.initialLimit(), a.minLimit(), a.maxLimit()));
    assertEquals(BulkheadConfig.Type.FIXED, config.http().defaults().bulkhead().type(), "fixed stays the default");
  }

  @Test
  void mistakesNameFileLineKeyAndSuggestion() {
    assertEquals(List.of(
            "resilience.yaml:3:24: http.defaults.retry.budget.rato: unknown key; did you mean 'ratio'?",
            "resilience.yaml:4:18: http.defaults.rateLimiter: a rate limiter needs limitForPeriod (calls per "
                + "limitRefreshPeriod, 1s unless written); write 'none' for no rate limit",
            "resilience.yaml:5:23: http.defaults.bulkhead.type: unknown bulkhead type 'adaptiv'; expected one of "
                + "fixed, adaptive; did you mean 'adaptive'?",
            "resilience.yaml:7:34: http.hosts.\"a\".retry.budget.ttl: must be within 1s and 60s, was 500ms; "
                + "did you mean '1s'?",
            "resilience.yaml:8:50: http.hosts.\"b\".retry.budget.minRetriesPerSecond: must be at least 0, was -1",
            "resilience.yaml:11:31: jdbc.defaults.bulkhead.backoffRatio: must be above 0 and below 1 (0.9: a drop "
                + "takes a tenth off the limit), was 1.5",
            "resilience.yaml:13:33: jdbc.hosts.\"a\".bulkhead.algorithm: unknown adaptive algorithm 'gradient'; "
                + "expected one of aimd, gradient2; did you mean 'gradient2'?",
            "resilience.yaml:14:20: jdbc.hosts.\"b\".bulkhead: initialLimit (50) must be within minLimit (1) "
                + "and maxLimit (10)"),
        problems(
            "http:",
            "  defaults:",
            "    retry: { budget: { rato: 0.1 } }",
            "    rateLimiter: { timeoutDuration: 10ms }",
            "    bulkhead: { type: adaptiv }",
            "  hosts:",
            "    a: { retry: { budget: { ttl: 500ms } } }",
            "    b: { retry: { budget: { minRetriesPerSecond: -1 } } }",
            "jdbc:",
            "  defaults:",
            "    bulkhead: { backoffRatio: 1.5 }",
            "  hosts:",
            "    a: { bulkhead: { algorithm: gradient } }",
            "    b: { bulkhead: { type: adaptive, initialLimit: 50, maxLimit: 10 } }"));
  }

  @Test
  void aRateLimiterFieldOfTheWrongTypeIsReported() {
    List<String> printed = problems(
        "http:",
        "  hosts:",
        "    a.internal: { rateLimiter: { limitForPeriod: 0, limitRefreshPeriod: 1 } }");
    assertEquals(2, printed.size(), printed.toString());
    assertTrue(printed.get(0).contains("http.hosts.\"a.internal\".rateLimiter.limitForPeriod: must be at least 1"),
        printed.get(0));
    assertTrue(printed.get(1).contains("rateLimiter.limitRefreshPeriod"), printed.get(1));
  }

  @Test
  void aFieldWrittenOneLevelTooHighPointsIntoItsSection() {
    List<String> printed = problems("http:", "  defaults:", "    limitForPeriod: 10");
    assertEquals(List.of("resilience.yaml:3:5: http.defaults.limitForPeriod: unknown key; fields go inside a section "
        + "(timeout, retry, circuitBreaker, rateLimiter, bulkhead); did you mean 'rateLimiter.limitForPeriod'?"),
        printed);
  }
}
