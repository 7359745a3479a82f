package dev.levee.core.inbound;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.Clock;
import dev.levee.core.config.ConfigLoader;
import dev.levee.core.config.InboundConfig;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InboundLimitsTest {

  private static final long NO_DEADLINE = Long.MAX_VALUE;

  private static final Clock FROZEN = new Clock() {
    @Override
    public long nanoTime() {
      return 5_000_000_000L;
    }

    @Override
    public long currentTimeMillis() {
      return 1_700_000_000_000L;
    }
  };

  private static InboundLimits limits(String... lines) throws Exception {
    InboundConfig inbound = ConfigLoader.parse(String.join("\n", lines) + "\n", "resilience.yaml").inbound();
    return new InboundLimits(inbound, FROZEN);
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
    InboundLimits limits = limits("inbound:", "  defaults:",
        "    concurrency: { maxConcurrentRequests: 1, maxWaitDuration: 1m }");
    assertTrue(limits.admit("/", NO_DEADLINE).isAdmitted());
    long start = System.nanoTime();
    InboundAdmission late = limits.admit("/", 20_000_000L);
    long waitedMillis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(503, late.status());
    assertTrue(waitedMillis >= 15 && waitedMillis < 5_000, "waited " + waitedMillis + " ms");
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
}
