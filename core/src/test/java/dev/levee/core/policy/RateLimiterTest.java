package dev.levee.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.levee.core.config.RateLimiterConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  private static final long MS = 1_000_000L;

  private final ManualClock clock = new ManualClock();

  @Test
  void givesLimitForPeriodPermitsPerCycleThenRefuses() {
    RateLimiter limiter = new RateLimiter(new RateLimiterConfig(3, Duration.ofSeconds(1), Duration.ZERO), clock);
    assertEquals(3, limiter.availablePermissions());
    assertEquals(0, limiter.reserveNanos(0));
    assertEquals(0, limiter.reserveNanos(0));
    assertEquals(0, limiter.reserveNanos(0));
    assertEquals(0, limiter.availablePermissions());
    assertEquals(-1, limiter.reserveNanos(0));
    assertEquals(0, limiter.availablePermissions(), "a refusal takes nothing");
  }

  @Test
  void cyclesAreAlignedToCreationNotToTheFirstCall() {
    RateLimiter limiter = new RateLimiter(new RateLimiterConfig(1, Duration.ofSeconds(1), Duration.ZERO), clock);
    clock.advance(Duration.ofMillis(700));
    assertEquals(0, limiter.reserveNanos(0));
    // the next cycle starts 1 s after creation: 300 ms from now, not 1 s
    assertEquals(-1, limiter.reserveNanos(299 * MS));
    clock.advance(Duration.ofMillis(300));
    assertEquals(0, limiter.reserveNanos(0));
  }

  @Test
  void unusedPermitsDoNotAccumulateBeyondLimitForPeriod() {
    RateLimiter limiter = new RateLimiter(new RateLimiterConfig(2, Duration.ofMillis(100), Duration.ZERO), clock);
    clock.advance(Duration.ofSeconds(10)); // 100 idle cycles
    assertEquals(2, limiter.availablePermissions());
    assertEquals(0, limiter.reserveNanos(0));
    assertEquals(0, limiter.reserveNanos(0));
    assertEquals(-1, limiter.reserveNanos(0));
  }

  @Test
  void reservesAPermitInALaterCycleWithinTheTimeout() {
    RateLimiter limiter = new RateLimiter(new RateLimiterConfig(2, Duration.ofSeconds(1), Duration.ZERO), clock);
    clock.advance(Duration.ofMillis(400));
    limiter.reserveNanos(0);
    limiter.reserveNanos(0);
    assertEquals(600 * MS, limiter.reserveNanos(600 * MS), "the next cycle's first permit");
    assertEquals(600 * MS, limiter.reserveNanos(5_000 * MS), "its second");
    assertEquals(1_600 * MS, limiter.reserveNanos(5_000 * MS), "the cycle after");
    assertEquals(1_600 * MS, limiter.reserveNanos(5_000 * MS), "its second");
    assertEquals(-4, limiter.availablePermissions());
    assertEquals(-1, limiter.reserveNanos(2_599 * MS), "three cycles ahead is 2600 ms away");
    assertEquals(2_600 * MS, limiter.reserveNanos(2_600 * MS));
    clock.advance(Duration.ofMillis(600));
    assertEquals(-3, limiter.availablePermissions(), "the new cycle's two went to those who reserved them");
    assertEquals(-1, limiter.reserveNanos(0));
  }

  @Test
  void tellsHowLongUntilTheNextPermitWithoutTakingIt() {
    RateLimiter limiter = new RateLimiter(new RateLimiterConfig(1, Duration.ofSeconds(1), Duration.ZERO), clock);
    assertEquals(0, limiter.nanosToNextPermit());
    clock.advance(Duration.ofMillis(250));
    limiter.reserveNanos(0);
    assertEquals(750 * MS, limiter.nanosToNextPermit());
    assertEquals(750 * MS, limiter.nanosToNextPermit(), "asking takes nothing");
    limiter.reserveNanos(Long.MAX_VALUE);
    assertEquals(1_750 * MS, limiter.nanosToNextPermit());
  }

  @Test
  void aTimeoutShorterThanTheWaitTakesNothing() {
    RateLimiter limiter = new RateLimiter(new RateLimiterConfig(1, Duration.ofSeconds(1), Duration.ZERO), clock);
    limiter.reserveNanos(0);
    assertEquals(-1, limiter.reserveNanos(999 * MS));
    assertEquals(0, limiter.availablePermissions());
    assertEquals(1_000 * MS, limiter.reserveNanos(1_000 * MS));
  }

  @Test
  void concurrentCallersNeverGetMoreThanTheLimit() throws Exception {
    RateLimiter limiter = new RateLimiter(new RateLimiterConfig(1000, Duration.ofSeconds(1), Duration.ZERO), clock);
    AtomicInteger granted = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 1000; i++) {
          if (limiter.reserveNanos(0) == 0) {
            granted.incrementAndGet();
          }
        }
      });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertEquals(1000, granted.get());
  }

  @Test
  void aHugePeriodNeverOverflowsIntoAnImmediatePermit() {
    RateLimiter limiter = new RateLimiter(new RateLimiterConfig(1, Duration.ofDays(100_000), Duration.ZERO), clock);
    limiter.reserveNanos(0);
    for (int i = 0; i < 3; i++) {
      limiter.reserveNanos(Long.MAX_VALUE);
    }
    assertEquals(-1, limiter.reserveNanos(Long.MAX_VALUE - 1));
    assertEquals(-1, limiter.reserveNanos(0));
  }

  @Test
  void refusesNonsense() {
    assertThrows(IllegalArgumentException.class,
        () -> new RateLimiter(new RateLimiterConfig(0, Duration.ofSeconds(1), Duration.ZERO), clock));
    assertThrows(IllegalArgumentException.class,
        () -> new RateLimiter(new RateLimiterConfig(1, Duration.ZERO, Duration.ZERO), clock));
  }
}
