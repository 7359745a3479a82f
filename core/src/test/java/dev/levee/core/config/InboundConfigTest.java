package dev.levee.core.config;

import static dev.levee.core.config.ConfigTesting.parse;
import static dev.levee.core.config.ConfigTesting.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class InboundConfigTest {

  @Test
  void withoutAnInboundSectionNothingIsShed() throws Exception {
    LeveeConfig config = parse("http: {}");
    assertFalse(config.inbound().limitsAnything());
    assertNull(config.inbound().ruleFor("/anything").concurrency());
    assertNull(config.inbound().ruleFor("/anything").rateLimiter());
    assertFalse(LeveeConfig.defaults().inbound().limitsAnything());
  }

  @Test
  void eachLimitIsOnOnlyWhereWrittenWithTheDocumentedDefaults() throws Exception {
    InboundConfig inbound = parse("inbound:", "  defaults:", "    concurrency: {}").inbound();
    BulkheadConfig c = inbound.defaults().concurrency();
    assertEquals(BulkheadConfig.Type.FIXED, c.type());
    assertEquals(200, c.maxConcurrentCalls());
    assertEquals(Duration.ZERO, c.maxWaitDuration());
    assertEquals(AdaptiveLimitConfig.Algorithm.AIMD, c.adaptive().algorithm());
    assertEquals(20, c.adaptive().initialLimit());
    assertEquals(1, c.adaptive().minLimit());
    assertEquals(200, c.adaptive().maxLimit());
    assertEquals(0.9, c.adaptive().backoffRatio());
    assertNull(inbound.defaults().rateLimiter());

    RateLimiterConfig r =
        parse("inbound:", "  defaults:", "    rateLimiter: {}").inbound().defaults().rateLimiter();
    assertEquals(1000, r.limitForPeriod());
    assertEquals(Duration.ofSeconds(1), r.limitRefreshPeriod());
  }

  @Test
  void theLongestWholeSegmentPrefixWinsAndUnwrittenLimitsAreTheDefaultsOwn() throws Exception {
    InboundConfig inbound = parse(
        "inbound:",
        "  defaults:",
        "    concurrency: { maxConcurrentRequests: 8, maxWaitDuration: 10ms }",
        "    rateLimiter: { limitForPeriod: 50, limitRefreshPeriod: 1s }",
        "  paths:",
        "    \"/health\": { concurrency: none, rateLimiter: none }",
        "    \"/api\": { concurrency: { maxConcurrentRequests: 4 } }",
        "    \"/api/reports\": { rateLimiter: { limitForPeriod: 2 } }").inbound();
    assertTrue(inbound.limitsAnything());

    assertEquals("defaults", inbound.ruleFor("/").name());
    assertEquals("defaults", inbound.ruleFor("/healthz").name());
    assertEquals("/health", inbound.ruleFor("/health").name());
    assertEquals("/health", inbound.ruleFor("/health/live").name());
    assertNull(inbound.ruleFor("/health").concurrency());
    assertNull(inbound.ruleFor("/health").rateLimiter());

    InboundConfig.Rule api = inbound.ruleFor("/api/users");
    assertEquals("/api", api.name());
    assertEquals(4, api.concurrency().maxConcurrentCalls());
    assertEquals(Duration.ofMillis(10), api.concurrency().maxWaitDuration(), "unwritten fields: the defaults'");
    assertEquals("/api", api.concurrencyOwner());
    assertEquals("defaults", api.rateLimiterOwner(), "an unmentioned limit is the defaults' limiter, shared");

    InboundConfig.Rule reports = inbound.ruleFor("/api/reports/2024");
    assertEquals("/api/reports", reports.name());
    assertEquals(2, reports.rateLimiter().limitForPeriod());
    assertEquals(Duration.ofSeconds(1), reports.rateLimiter().limitRefreshPeriod());
    assertEquals("/api/reports", reports.rateLimiterOwner());
    assertEquals(8, reports.concurrency().maxConcurrentCalls(), "path rules build on the defaults, not on /api");
    assertEquals("defaults", reports.concurrencyOwner());
  }

  @Test
  void aTrailingSlashOrTheRootMatchesWhatItStarts() {
    assertTrue(InboundConfig.matches("/api/", "/api/x"));
    assertFalse(InboundConfig.matches("/api/", "/api"));
    assertTrue(InboundConfig.matches("/", "/anything"));
    assertFalse(InboundConfig.matches("/api", "/apis"));
  }

  @Test
  void problemsNameFileLineKeyAndSuggestion() {
    assertEquals(List.of(
        "resilience.yaml:3:20: inbound.defaults.concurrency.maxConcurrentRequest: unknown key; "
            + "did you mean 'maxConcurrentRequests'?",
        "resilience.yaml:4:36: inbound.defaults.rateLimiter.limitForPeriod: must be at least 1, was 0",
        "resilience.yaml:5:5: inbound.defaults.concurency: unknown key; did you mean 'concurrency'?",
        "resilience.yaml:7:5: inbound.paths.\"health\": a path rule is keyed by a path prefix that starts with /, "
            + "without a query; did you mean '/health'?",
        "resilience.yaml:8:36: inbound.paths.\"/api\".concurrency.type: unknown concurrency type 'adaptiv'; "
            + "expected one of fixed, adaptive; did you mean 'adaptive'?",
        "resilience.yaml:9:31: inbound.paths.\"/slow\".rateLimiter.timeoutDuration: an inbound request never waits "
            + "for a rate permit: over the limit it is answered 429 at once",
        "resilience.yaml:10:3: inbound.path: unknown key; did you mean 'paths'?"),
        problems(
            "inbound:",
            "  defaults:",
            "    concurrency: { maxConcurrentRequest: 8 }",
            "    rateLimiter: { limitForPeriod: 0 }",
            "    concurency: none",
            "  paths:",
            "    health: { concurrency: none }",
            "    \"/api\": { concurrency: { type: adaptiv } }",
            "    \"/slow\": { rateLimiter: { timeoutDuration: 5s } }",
            "  path: {}"));
  }

  @Test
  void impossibleCombinationsPointAtTheSection() {
    assertEquals(List.of(
        "resilience.yaml:3:18: inbound.defaults.concurrency: initialLimit (300) must be within minLimit (1) and "
            + "maxLimit (200)",
        "resilience.yaml:4:40: inbound.defaults.rateLimiter.limitRefreshPeriod: must be longer than 0"),
        problems(
            "inbound:",
            "  defaults:",
            "    concurrency: { type: adaptive, initialLimit: 300 }",
            "    rateLimiter: { limitRefreshPeriod: 0ms }"));
  }

  @Test
  void noneIsTheOneScalarALimitAccepts() throws Exception {
    assertSame(null, parse("inbound:", "  defaults: { concurrency: none }").inbound().defaults().concurrency());
    assertEquals(List.of("resilience.yaml:1:37: inbound.defaults.concurrency: expected a mapping of keys type, "
            + "maxConcurrentRequests, maxWaitDuration, algorithm, initialLimit, minLimit, maxLimit, backoffRatio, "
            + "got 'fixed'"),
        problems("inbound: { defaults: { concurrency: fixed } }"));
  }
}
