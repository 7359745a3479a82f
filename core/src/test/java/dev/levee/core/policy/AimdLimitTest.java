package dev.levee.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AimdLimitTest {

  private static final long RTT = 5_000_000L;

  @Test
  void growsByOneOnSuccessWhileAtLeastHalfTheLimitIsInFlight() {
    AimdLimit limit = new AimdLimit(10, 1, 100, 0.9);
    limit.onSample(RTT, 5, false);
    assertEquals(11, limit.limit());
    limit.onSample(RTT, 5, false); // 5 * 2 < 11: app-limited, no growth
    assertEquals(11, limit.limit());
    limit.onSample(RTT, 6, false);
    assertEquals(12, limit.limit());
  }

  @Test
  void aDropMultipliesByTheBackoffRatioRoundedDown() {
    AimdLimit limit = new AimdLimit(20, 1, 100, 0.9);
    limit.onSample(0, 20, true);
    assertEquals(18, limit.limit());
    limit.onSample(0, 1, true); // whatever is in flight
    assertEquals(16, limit.limit()); // floor(16.2)
  }

  @Test
  void staysWithinMinAndMax() {
    AimdLimit limit = new AimdLimit(3, 2, 4, 0.5);
    limit.onSample(0, 3, true);
    assertEquals(2, limit.limit()); // floor(1.5) = 1, raised to minLimit
    limit.onSample(0, 3, true);
    assertEquals(2, limit.limit());
    for (int i = 0; i < 10; i++) {
      limit.onSample(RTT, 4, false);
    }
    assertEquals(4, limit.limit());
    assertEquals(4, new AimdLimit(50, 2, 4, 0.5).limit(), "the initial limit is clamped too");
  }
}
