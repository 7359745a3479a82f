package dev.levee.core.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as resilience.yaml writes them: a whole amount and a unit such as {@code 250ms} or {@code 2s}. */
public final class Durations {

  /** Longer than any sensible timeout, and far from the overflow of {@link Duration#toNanos()} (292 years). */
  static final Duration MAX = Duration.ofDays(365);

  private static final Pattern WRITTEN = Pattern.compile("(\\d+)(ms|s|m|h)");
  // anything that looks like an amount and a word: to tell what is wrong, and to suggest what was meant
  private static final Pattern LOOSE = Pattern.compile("\\s*(-?)(\\d+(?:\\.\\d+)?)\\s*([A-Za-z]*)\\s*");
  // units as people write them by habit, mapped to the unit they meant; used only for "did you mean"
  private static final Map<String, String> UNIT_SPELLINGS = new HashMap<>();

  static {
    for (String s : new String[] {"ms", "msec", "msecs", "millis", "millisecond", "milliseconds"}) {
      UNIT_SPELLINGS.put(s, "ms");
    }
    for (String s : new String[] {"s", "sec", "secs", "second", "seconds"}) {
      UNIT_SPELLINGS.put(s, "s");
    }
    for (String s : new String[] {"m", "min", "mins", "minute", "minutes"}) {
      UNIT_SPELLINGS.put(s, "m");
    }
    for (String s : new String[] {"h", "hr", "hrs", "hour", "hours"}) {
      UNIT_SPELLINGS.put(s, "h");
    }
  }

  private Durations() {}

  /**
   * Parses {@code 250ms}, {@code 2s}, {@code 1m}, {@code 1h}; throws {@link IllegalArgumentException} with a
   * message fit for an operator otherwise (no unit, a fraction, a negative or too large amount).
   */
  public static Duration parse(String text) {
    Matcher m = WRITTEN.matcher(text);
    if (!m.matches()) {
      Matcher loose = LOOSE.matcher(text);
      if (loose.matches() && !loose.group(1).isEmpty()) {
        throw new IllegalArgumentException("a duration must not be negative, was '" + text + "'");
      }
      if (loose.matches() && loose.group(3).isEmpty()) {
        throw new IllegalArgumentException("a duration needs a unit (ms, s, m or h), such as 2s or 250ms; was '"
            + text + "'");
      }
      if (loose.matches() && loose.group(2).contains(".")) {
        throw new IllegalArgumentException("a duration is a whole number of its unit, was '" + text + "'");
      }
      throw new IllegalArgumentException("'" + text + "' is not a duration; write a whole number and a unit "
          + "(ms, s, m or h), such as 2s or 250ms");
    }
    long amount;
    try {
      amount = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is too long a duration (at most 365 days)");
    }
    Duration d;
    switch (m.group(2)) {
      case "ms":
        d = Duration.ofMillis(amount);
        break;
      case "s":
        d = amount > MAX.getSeconds() ? null : Duration.ofSeconds(amount);
        break;
      case "m":
        d = amount > MAX.toMinutes() ? null : Duration.ofMinutes(amount);
        break;
      default:
        d = amount > MAX.toHours() ? null : Duration.ofHours(amount);
        break;
    }
    if (d == null || d.compareTo(MAX) > 0) {
      throw new IllegalArgumentException("'" + text + "' is too long a duration (at most 365 days)");
    }
    return d;
  }

  /**
   * What an unparsable duration probably meant: {@code 2sec} -> {@code 2s}, {@code 1.5s} -> {@code 1500ms}; or null.
   */
  public static String suggest(String text) {
    Matcher m = LOOSE.matcher(text);
    if (!m.matches() || !m.group(1).isEmpty()) {
      return null;
    }
    String unit = UNIT_SPELLINGS.get(m.group(3).toLowerCase(Locale.ROOT));
    if (unit == null) {
      return null;
    }
    String amount = m.group(2);
    if (!amount.contains(".")) {
      String s = amount + unit;
      return s.equals(text) ? null : s;
    }
    // a fraction: the same length in a smaller unit, when it comes out whole
    double millis = Double.parseDouble(amount) * unitMillis(unit);
    return millis == Math.rint(millis) && millis < MAX.toMillis() ? ((long) millis) + "ms" : null;
  }

  private static long unitMillis(String unit) {
    switch (unit) {
      case "ms":
        return 1;
      case "s":
        return 1_000;
      case "m":
        return 60_000;
      default:
        return 3_600_000;
    }
  }

  /** The shortest way resilience.yaml would write it: {@code 2s}, {@code 1500ms}, {@code 1m}. */
  public static String format(Duration d) {
    long millis = d.toMillis();
    if (millis != 0 && millis % 3_600_000 == 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis != 0 && millis % 60_000 == 0) {
      return millis / 60_000 + "m";
    }
    if (millis != 0 && millis % 1_000 == 0) {
      return millis / 1_000 + "s";
    }
    return millis + "ms";
  }
}
