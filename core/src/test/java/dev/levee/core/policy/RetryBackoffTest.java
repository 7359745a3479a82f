package dev.levee.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.config.RetryConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {

  private static final long MS = 1_000_000L;

  private static RetryConfig config(RetryConfig.Jitter jitter) {
    return RetryConfig.builder()
        .initialBackoff(Duration.ofMillis(100))
        .maxBackoff(Duration.ofSeconds(2))
        .backoffMultiplier(2.0)
        .jitter(jitter)
        .build();
  }

  @Test
  void capGrowsByTheMultiplierUntilMaxBackoff() {
    RetryBackoff b = new RetryBackoff(config(RetryConfig.Jitter.NONE), new FixedRandom(0.5));
    assertEquals(100 * MS, b.backoffNanos(1));
    assertEquals(200 * MS, b.backoffNanos(2));
    assertEquals(400 * MS, b.backoffNanos(3));
    assertEquals(800 * MS, b.backoffNanos(4));
    assertEquals(1600 * MS, b.backoffNanos(5));
    assertEquals(2000 * MS, b.backoffNanos(6));
    assertEquals(2000 * MS, b.backoffNanos(7));
  }

  @Test
  void retryNumbersBelowOneCountAsTheFirstRetry() {
    RetryBackoff b = new RetryBackoff(config(RetryConfig.Jitter.NONE), new FixedRandom(0.5));
    assertEquals(100 * MS, b.backoffNanos(0));
    assertEquals(100 * MS, b.backoffNanos(-5));
  }

  @Test
  void hugeRetryNumbersStayAtMaxBackoffWithoutOverflow() {
    RetryBackoff b = new RetryBackoff(config(RetryConfig.Jitter.NONE), new FixedRandom(0.5));
    assertEquals(2000 * MS, b.backoffNanos(64));
    assertEquals(2000 * MS, b.backoffNanos(1_000));
    assertEquals(2000 * MS, b.backoffNanos(Integer.MAX_VALUE));
  }

  @Test
  void absurdDurationsSaturateInsteadOfThrowing() {
    RetryConfig c = RetryConfig.builder()
        .initialBackoff(Duration.ofDays(365L * 1000))
        .maxBackoff(Duration.ofDays(365L * 1000))
        .backoffMultiplier(10)
        .jitter(RetryConfig.Jitter.NONE)
        .build();
    RetryBackoff b = new RetryBackoff(c, new FixedRandom(0.5));
    assertEquals(Long.MAX_VALUE, b.backoffNanos(1));
    assertEquals(Long.MAX_VALUE, b.backoffNanos(50));
  }

  @Test
  void fullJitterIsRandomTimesCap() {
    RetryBackoff b = new RetryBackoff(config(RetryConfig.Jitter.FULL), new FixedRandom(0.0, 0.25, 0.5, 0.999));
    assertEquals(0, b.backoffNanos(3));
    assertEquals(100 * MS, b.backoffNanos(3));
    assertEquals(200 * MS, b.backoffNanos(3));
    assertEquals((long) (0.999 * 400 * MS), b.backoffNanos(3));
  }

  @Test
  void equalJitterIsHalfTheCapPlusRandomTimesHalf() {
    RetryBackoff b = new RetryBackoff(config(RetryConfig.Jitter.EQUAL), new FixedRandom(0.0, 0.5, 0.999));
    assertEquals(200 * MS, b.backoffNanos(3));
    assertEquals(300 * MS, b.backoffNanos(3));
    long top = b.backoffNanos(3);
    assertTrue(top < 400 * MS && top > 399 * MS, "just under the cap: " + top);
  }

  @Test
  void noJitterIgnoresTheRandomSource() {
    RetryBackoff b = new RetryBackoff(config(RetryConfig.Jitter.NONE), () -> {
      throw new AssertionError("random used");
    });
    assertEquals(400 * MS, b.backoffNanos(3));
  }

  @Test
  void aMisbehavingRandomSourceIsClampedToTheCap() {
    RetryBackoff b = new RetryBackoff(config(RetryConfig.Jitter.FULL), new FixedRandom(-1, 7, Double.NaN));
    assertEquals(0, b.backoffNanos(1));
    assertEquals(100 * MS, b.backoffNanos(1));
    assertEquals(0, b.backoffNanos(1));
  }

  @Test
  void fractionalMultiplier() {
    RetryConfig c = config(RetryConfig.Jitter.NONE).toBuilder().backoffMultiplier(1.5).build();
    RetryBackoff b = new RetryBackoff(c, new FixedRandom(0.5));
    assertEquals(100 * MS, b.backoffNanos(1));
    assertEquals(150 * MS, b.backoffNanos(2));
    assertEquals(225 * MS, b.backoffNanos(3));
  }
}
