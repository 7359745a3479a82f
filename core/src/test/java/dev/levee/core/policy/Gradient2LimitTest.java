package dev.levee.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Gradient2LimitTest {

  private static final long MS = 1_000_000L;

  @Test
  void steadyRttGrowsTheLimitByASmoothedQueueSize() {
    Gradient2Limit limit = new Gradient2Limit(20, 1, 200);
    limit.onSample(10 * MS, 20, false);
    // gradient 1: 20 * 0.8 + (20 + 4) * 0.2 = 20.8
    assertEquals(20, limit.limit());
    limit.onSample(10 * MS, 20, false);
    // 20.8 * 0.8 + 24.8 * 0.2 = 21.6
    assertEquals(21, limit.limit());
  }

  @Test
  void aSlowerRttShrinksTheLimitByAtMostHalfAStep() {
    Gradient2Limit limit = new Gradient2Limit(100, 1, 200);
    for (int i = 0; i < Gradient2Limit.WARMUP_SAMPLES; i++) {
      limit.onSample(10 * MS, 100, false); // longRtt 10 ms
    }
    int before = limit.limit();
    // 30 ms: gradient 1.5 * 10 / 30 = 0.5 (exactly at the floor) after the long average moves a little
    limit.onSample(1_000 * MS, before, false);
    double expected = before * 0.8 + (before * 0.5 + 4) * 0.2;
    assertTrue(Math.abs(limit.limit() - expected) <= 1, limit.limit() + " vs " + expected);
    assertTrue(limit.limit() < before);
  }

  @Test
  void aDropCountsAsTheSlowestSampleWithoutTouchingTheRttAverage() {
    Gradient2Limit limit = new Gradient2Limit(100, 1, 200);
    limit.onSample(10 * MS, 100, false);
    double longRtt = limit.longRttNanos();
    limit.onSample(0, 1, true);
    assertEquals(longRtt, limit.longRttNanos(), "a drop's RTT is not learnt");
    // from 100.8: 100.8 * 0.8 + (100.8 * 0.5) * 0.2 = 90.72 (no queueSize on a drop)
    assertEquals(90, limit.limit());
  }

  @Test
  void anAppLimitedSampleDoesNotMoveTheLimit() {
    Gradient2Limit limit = new Gradient2Limit(40, 1, 200);
    limit.onSample(10 * MS, 19, false);
    assertEquals(40, limit.limit());
  }

  @Test
  void staysWithinMinAndMax() {
    Gradient2Limit limit = new Gradient2Limit(5, 4, 6);
    for (int i = 0; i < 50; i++) {
      limit.onSample(0, 5, true);
    }
    assertEquals(4, limit.limit());
    for (int i = 0; i < 50; i++) {
      limit.onSample(10 * MS, 6, false);
    }
    assertEquals(6, limit.limit());
  }
}
