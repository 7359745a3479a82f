package dev.levee.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AdaptiveConcurrencyTest {

  @Test
  void refusesAtTheLimitAndReleasesOnEveryEnding() {
    AdaptiveConcurrency c = new AdaptiveConcurrency(new AimdLimit(2, 1, 10, 0.5));
    assertTrue(c.tryAcquire());
    assertTrue(c.tryAcquire());
    assertFalse(c.tryAcquire());
    assertEquals(2, c.inFlight());
    c.onIgnored();
    assertEquals(1, c.inFlight());
    assertEquals(2, c.limit(), "an ignored call teaches nothing");
    c.onSuccess(1_000_000L); // in flight 1 of 2: half used, grows
    assertEquals(0, c.inFlight());
    assertEquals(3, c.limit());
  }

  @Test
  void aDropBacksTheLimitOff() {
    AdaptiveConcurrency c = new AdaptiveConcurrency(new AimdLimit(10, 1, 10, 0.5));
    assertTrue(c.tryAcquire());
    c.onDropped();
    assertEquals(5, c.limit());
    assertEquals(0, c.inFlight());
  }

  @Test
  void aReleaseWithoutAnAcquireNeverRaisesTheLimitOfCalls() {
    AdaptiveConcurrency c = new AdaptiveConcurrency(new AimdLimit(1, 1, 1, 0.5));
    c.onIgnored();
    assertEquals(0, c.inFlight());
    assertTrue(c.tryAcquire());
    assertFalse(c.tryAcquire());
  }
}
