package dev.levee.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * A value outside its field's range, refused by the field's own setter (or, for the configs built in one step,
 * its constructor): each single-field rule is written once, there, and the readers of resilience.yaml report it
 * at the key it was written under, with {@link #reason()} and {@link #suggestion()}. Rules across fields
 * ({@code maxBackoff} and {@code initialBackoff}, the breaker's window and minimum, adaptive limits) are the
 * config's {@code build()}'s.
 */
public final class InvalidValue extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String reason;
  private final String suggestion;

  /**
   * @param key the field's key path from the section ({@code retry.maxAttempts})
   * @param reason what is wrong, readable after the key ({@code must be at least 1, was 0})
   * @param suggestion a value to write instead, or null
   */
  public InvalidValue(String key, String reason, String suggestion) {
    super(key + " " + reason);
    this.reason = reason;
    this.suggestion = suggestion;
  }

  public String reason() {
    return reason;
  }

  /** A value to write instead, or null. */
  public String suggestion() {
    return suggestion;
  }

  static int atLeast(String key, int min, int v) {
    if (v < min) {
      throw new InvalidValue(key, "must be at least " + min + ", was " + v, null);
    }
    return v;
  }

  /** A duration above zero: a timeout, a backoff, a period. */
  static Duration positive(String key, Duration d) {
    Objects.requireNonNull(d, key);
    if (d.isZero()) {
      throw new InvalidValue(key, "must be longer than 0", null);
    }
    if (d.isNegative()) {
      throw new InvalidValue(key, "must be longer than 0, was " + d, null);
    }
    return d;
  }

  /** A duration of zero or more: a wait, a margin. */
  static Duration notNegative(String key, Duration d) {
    Objects.requireNonNull(d, key);
    if (d.isNegative()) {
      throw new InvalidValue(key, "must not be negative, was " + d, null);
    }
    return d;
  }

  static float percent(String key, float v) {
    if (!(v > 0 && v <= 100)) {
      throw new InvalidValue(key, "a percentage must be above 0 and at most 100, was "
          + (v == Math.rint(v) ? number(v) : Float.toString(v)), null);
    }
    return v;
  }

  /** A number as it would be written: {@code 101}, not {@code 101.0}. */
  static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }
}
