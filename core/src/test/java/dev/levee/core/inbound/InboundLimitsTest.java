package dev.levee.core.inbound;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.Clock;
import dev.levee.core.config.ConfigLoader;
import dev.levee.core.config.InboundConfig;
import dev.levee.core.deadline.CurrentDeadline;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InboundLimitsTest {

  private static final long NO_DEADLINE = CurrentDeadline.NONE;

  /** Moves only when a test moves it. */
  private static final class TestClock implements Clock {
    volatile long nanos = 5_000_000_000L;

    @Override
    public long nanoTime() {
      return nanos;
    }

    @Override
    public long currentTimeMillis() {
      return 1_700_000_000_000L + nanos / 1_000_000;
    }
  }

  private static final TestClock FROZEN = new TestClock();

  private static InboundLimits limits(String... lines) throws Exception {
    return limits(FROZEN, lines);
  }

  private static InboundLimits limits(Clock clock, String... lines) throws Exception {
    InboundConfig inbound = ConfigLoader.parse(String.join("\n", lines) + "\n", "resilience.yaml").inbound();
    return new InboundLimits(inbound, clock);
  }

  @Test
  void overTheConcurrencyLimitARequestIsShedWith503AndRetryAfterUntilOneEnds() throws Exception {
    InboundLimits limits = limits("inbound:", "  defaults:", "    concurrency: { maxConcurrentRequests: 2 }");
    InboundAdmission first = limits.admit("/work", NO_DEADLINE);
    InboundAdmission second = limits.admit("/other", NO_DEADLINE);
    assertTrue(first.isAdmitted());
    assertTrue(second.isAdmitted());

    InboundAdmission third = limits.admit("/work", NO_DEADLINE);
    assertFalse(third.isAdmitted());
    assertEquals(503, third.status());
    assertEquals(1, third.retryAfterSeconds());
    assertArrayEquals("levee: over the concurrency limit of this service (2 requests at once); retry later\n"
        .getBytes(StandardCharsets.UTF_8), third.body());

    first.release(false, FROZEN.nanoTime());
    assertTrue(limits.admit("/work", NO_DEADLINE).isAdmitted());
    assertFalse(limits.admit("/work", NO_DEADLINE).isAdmitted());
  }

  private static InboundConfig inbound(String... lines) throws Exception {
    return ConfigLoader.parse(String.join("\n", lines) + "\n", "resilience.yaml").inbound();
  }

  @Test
  void aReloadKeepsTheLimiterOfARuleWhoseSettingsDidNotChangeAndReplacesTheOthers() throws Exception {
    InboundLimits limits = limits("inbound:", "  defaults:", "    concurrency: { maxConcurrentRequests: 1 }",
        "  paths:", "    /api: { concurrency: { maxConcurrentRequests: 1 } }");
    InboundAdmission api = limits.admit("/api/x", NO_DEADLINE);
    InboundAdmission other = limits.admit("/other", NO_DEADLINE);
    assertTrue(api.isAdmitted());
    assertTrue(other.isAdmitted());
    assertFalse(limits.admit("/other", NO_DEADLINE).isAdmitted());

    // the defaults keep their settings, /api is raised to 2
    limits.reconfigure(inbound("inbound:", "  defaults:", "    concurrency: { maxConcurrentRequests: 1 }",
        "  paths:", "    /api: { concurrency: { maxConcurrentRequests: 2 } }"));

    assertFalse(limits.admit("/other", NO_DEADLINE).isAdmitted(), "the kept limiter still holds its request");
    assertEquals(2, limits.shed("defaults", false), "and its count of shed requests, before the reload and after");
    assertTrue(limits.admit("/api/y", NO_DEADLINE).isAdmitted(), "a new limiter of 2 for /api");
    assertTrue(limits.admit("/api/z", NO_DEADLINE).isAdmitted());
    assertFalse(limits.admit("/api/w", NO_DEADLINE).isAdmitted());
    api.release(false, FROZEN.nanoTime()); // given back to the limiter that admitted it, and lost with it
    assertFalse(limits.admit("/api/w", NO_DEADLINE).isAdmitted());
    other.release(false, FROZEN.nanoTime());
    assertTrue(limits.admit("/other", NO_DEADLINE).isAdmitted());

    limits.reconfigure(InboundConfig.none());
    assertFalse(limits.limitsAnything(), "a reload that removes the section turns shedding off");
    limits.reconfigure(inbound("inbound:", "  defaults:", "    concurrency: { maxConcurrentRequests: 1 }"));
    assertTrue(limits.limitsAnything(), "and one that writes it again turns it on");
  }

  @Test
  void exemptPathsPassAndPathRulesCountApartOrShareTheDefaults() throws Exception {
    InboundLimits limits = limits(
        "inbound:",
        "  defaults:",
        "    concurrency: { maxConcurrentRequests: 1 }",
        "  paths:",
        "    \"/health\": { concurrency: none }",
        "    \"/reports\": { concurrency: { maxConcurrentRequests: 1 } }",
        "    \"/search\": { rateLimiter: none }");
    assertTrue(limits.admit("/orders", NO_DEADLINE).isAdmitted());
    assertFalse(limits.admit("/search", NO_DEADLINE).isAdmitted(), "/search inherits the defaults' limiter");
    assertTrue(limits.admit("/reports/1", NO_DEADLINE).isAdmitted(), "/reports has its own");
    assertFalse(limits.admit("/reports/2", NO_DEADLINE).isAdmitted());
    for (int i = 0; i < 100; i++) {
      assertSame(InboundAdmission.UNLIMITED, limits.admit("/health", NO_DEADLINE));
    }
  }

  @Test
  void aWaitEndsAtTheRequestsDeadline() throws Exception {
    InboundLimits limits = limits(Clock.SYSTEM, "inbound:", "  defaults:",
        "    concurrency: { maxConcurrentRequests: 1, maxWaitDuration: 1m }");
    assertTrue(limits.admit("/", NO_DEADLINE).isAdmitted());
    long start = System.nanoTime();
    InboundAdmission late = limits.admit("/", System.currentTimeMillis() + 20);
    long waitedMillis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(503, late.status());
    assertTrue(waitedMillis >= 15 && waitedMillis < 5_000, "waited " + waitedMillis + " ms");
  }

  @Test
  void aDeadlineYearsAwayLeavesTheWaitToMaxWaitDuration() throws Exception {
    InboundLimits limits = limits(Clock.SYSTEM, "inbound:", "  defaults:",
        "    concurrency: { maxConcurrentRequests: 1, maxWaitDuration: 30ms }");
    assertTrue(limits.admit("/", NO_DEADLINE).isAdmitted());
    long start = System.nanoTime();
    InboundAdmission shed = limits.admit("/", System.currentTimeMillis() + 1000L * 365 * 24 * 3600 * 1000);
    long waitedMillis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(503, shed.status());
    assertTrue(waitedMillis >= 25 && waitedMillis < 5_000, "waited " + waitedMillis + " ms, not 0 by an overflow");
  }

  @Test
  void overTheRateLimitARequestIsAnswered429WithTheSecondsToTheNextPermit() throws Exception {
    TestClock clock = new TestClock();
    InboundLimits limits = limits(clock, "inbound:", "  defaults:",
        "    rateLimiter: { limitForPeriod: 2, limitRefreshPeriod: 10s }", "  paths:",
        "    \"/health\": { rateLimiter: none }");
    assertTrue(limits.admit("/a", NO_DEADLINE).isAdmitted());
    clock.nanos += 2_500_000_000L;
    assertTrue(limits.admit("/b", NO_DEADLINE).isAdmitted());
    InboundAdmission third = limits.admit("/a", NO_DEADLINE);
    assertEquals(429, third.status());
    assertEquals(8, third.retryAfterSeconds(), "7.5 s to the next period, rounded up");
    assertArrayEquals("levee: over the rate limit of this service (2 requests per 10 s); retry later\n"
        .getBytes(StandardCharsets.UTF_8), third.body());
    assertTrue(limits.admit("/health", NO_DEADLINE).isAdmitted(), "exempt");
    clock.nanos += 7_500_000_000L;
    assertTrue(limits.admit("/a", NO_DEADLINE).isAdmitted(), "a new period");
  }

  @Test
  void aRequestOverTheRateIsNeverCountedAgainstTheConcurrencyLimit() throws Exception {
    InboundLimits limits = limits(new TestClock(), "inbound:", "  defaults:",
        "    concurrency: { maxConcurrentRequests: 1 }", "    rateLimiter: { limitForPeriod: 1, limitRefreshPeriod: 1m }");
    InboundAdmission first = limits.admit("/", NO_DEADLINE);
    assertTrue(first.isAdmitted());
    assertEquals(429, limits.admit("/", NO_DEADLINE).status(), "the rate is checked first");
    first.release(false, 0);
    assertEquals(429, limits.admit("/", NO_DEADLINE).status());
  }

  @Test
  void anAdaptiveLimitNeverWaitsAndBacksOffOnFailedRequests() throws Exception {
    TestClock clock = new TestClock();
    InboundLimits limits = limits(clock, "inbound:", "  defaults:", "    concurrency: { type: adaptive, "
        + "initialLimit: 2, minLimit: 1, maxLimit: 10, backoffRatio: 0.5, maxWaitDuration: 1m }");
    InboundAdmission a = limits.admit("/", NO_DEADLINE);
    InboundAdmission b = limits.admit("/", NO_DEADLINE);
    long start = System.nanoTime();
    InboundAdmission c = limits.admit("/", NO_DEADLINE);
    assertTrue(System.nanoTime() - start < 1_000_000_000L, "no wait");
    assertEquals(503, c.status());
    assertArrayEquals("levee: over the concurrency limit of this service (2 requests at once); retry later\n"
        .getBytes(StandardCharsets.UTF_8), c.body());
    a.release(true, clock.nanoTime());
    assertEquals(503, limits.admit("/", NO_DEADLINE).status(), "a 5xx halved the limit to 1, and 1 is in flight");
    clock.nanos += 50_000_000L;
    b.release(false, clock.nanoTime());
    assertTrue(limits.admit("/", NO_DEADLINE).isAdmitted(), "a success using the whole limit grew it back to 2");
    assertTrue(limits.admit("/", NO_DEADLINE).isAdmitted());
    assertEquals(503, limits.admit("/", NO_DEADLINE).status());
  }

  @Test
  void nothingWrittenLimitsNothing() throws Exception {
    InboundLimits limits = limits("http: {}");
    assertFalse(limits.limitsAnything());
    assertSame(InboundAdmission.UNLIMITED, limits.admit("/", NO_DEADLINE));
  }

  @Test
  void retryAfterIsWholeSecondsRoundedUp() {
    assertEquals(1, InboundLimits.wholeSecondsAtLeastOne(0));
    assertEquals(1, InboundLimits.wholeSecondsAtLeastOne(1_000_000_000L));
    assertEquals(2, InboundLimits.wholeSecondsAtLeastOne(1_000_000_001L));
  }

  @Test
  void shedRequestsAreCountedByRuleAndReason() throws Exception {
    InboundLimits limits = limits("inbound:", "  defaults:", "    concurrency: { maxConcurrentRequests: 1 }",
        "  paths:", "    \"/reports\": { rateLimiter: { limitForPeriod: 1 } }");
    assertTrue(limits.admit("/", NO_DEADLINE).isAdmitted());
    assertEquals(503, limits.admit("/a", NO_DEADLINE).status());
    assertEquals(503, limits.admit("/reports", NO_DEADLINE).status(), "its rate permit taken, then the shared concurrency");
    assertEquals(429, limits.admit("/reports", NO_DEADLINE).status());
    assertEquals(java.util.List.of("/reports", "defaults"), limits.ruleNames());
    assertEquals(1, limits.shed("defaults", false));
    assertEquals(0, limits.shed("defaults", true));
    assertEquals(1, limits.shed("/reports", false));
    assertEquals(1, limits.shed("/reports", true));
    assertEquals(1, limits.concurrencyLimit("defaults"));
    assertEquals(-1, limits.concurrencyLimit("/reports"), "it shares the defaults' concurrency");
  }
}
