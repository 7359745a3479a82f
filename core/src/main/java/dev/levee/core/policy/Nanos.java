package dev.levee.core.policy;

import java.time.Duration;

/** Durations as nanoseconds for the policies' arithmetic. */
final class Nanos {

  private Nanos() {}

  /**
   * The duration in nanoseconds, saturated: {@link Duration#toNanos()} throws past ~292 years, and a
   * config value like {@code maxBackoff: 1000000d} must not crash a policy.
   */
  static long of(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException tooLarge) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }
}
