package dev.levee.core.policy;

import dev.levee.core.RandomSource;
import dev.levee.core.config.RetryConfig;
import java.util.Objects;

/**
 * The sleep before a retry, as gRPC A6 defines it (DESIGN.md §4): for retry n (n = 1 for the first
 * retry), {@code cap = min(maxBackoff, initialBackoff * backoffMultiplier^(n-1))}; full jitter sleeps
 * {@code random(0, cap)}, equal jitter {@code cap/2 + random(0, cap/2)}, none sleeps {@code cap}.
 *
 * <p>Allocates nothing per call; thread-safe when the random source is. Retry-After and the deadline
 * are the pipeline's to apply on top.
 */
public final class RetryBackoff {

  private final long initialNanos;
  private final long maxNanos;
  private final double multiplier;
  private final RetryConfig.Jitter jitter;
  private final RandomSource random;

  public RetryBackoff(RetryConfig config, RandomSource random) {
    this.initialNanos = Nanos.of(config.initialBackoff());
    this.maxNanos = Nanos.of(config.maxBackoff());
    this.multiplier = config.backoffMultiplier();
    this.jitter = config.jitter();
    this.random = Objects.requireNonNull(random, "random");
  }

  /** The jittered sleep before retry {@code retryNumber} (1 = the first retry; smaller counts as 1). */
  public long backoffNanos(int retryNumber) {
    long cap = capNanos(retryNumber);
    switch (jitter) {
      case NONE:
        return cap;
      case EQUAL:
        long half = cap / 2;
        return half + (long) (unitRandom() * (cap - half));
      case FULL:
      default:
        return (long) (unitRandom() * cap);
    }
  }

  /** The ceiling for retry {@code retryNumber} before jitter: the exponential growth capped by maxBackoff. */
  public long capNanos(int retryNumber) {
    int exponent = Math.max(retryNumber, 1) - 1;
    // multiplier >= 1 (validated), so pow grows to +Infinity for large n, never NaN; the comparison
    // then picks maxNanos, and the cast below only ever sees values under maxNanos.
    double grown = initialNanos * Math.pow(multiplier, exponent);
    return grown >= maxNanos ? maxNanos : (long) grown;
  }

  private double unitRandom() {
    double r = random.nextDouble();
    // a misbehaving source must not produce a negative sleep or one past the cap
    if (!(r > 0)) {
      return 0;
    }
    return r > 1 ? 1 : r;
  }
}
