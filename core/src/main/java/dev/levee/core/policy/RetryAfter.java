package dev.levee.core.policy;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * The {@code Retry-After} response header (RFC 9110 §10.2.3): either delay-seconds or an HTTP-date.
 * The pipeline uses it in place of the computed backoff when it is longer, capped by the deadline.
 */
public final class RetryAfter {

  /**
   * The largest delay returned, about 68 years: far past any deadline, so a cap never changes the
   * decision, yet small enough that the caller can convert it to nanoseconds without overflow.
   */
  public static final long MAX_DELAY_MILLIS = Integer.MAX_VALUE * 1000L;

  private static final long INVALID = Long.MIN_VALUE;

  private static final String[] MONTHS = {
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"
  };
  private static final String[] DAYS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  private static final String[] LONG_DAYS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"
  };

  private RetryAfter() {}

  /**
   * The delay a {@code Retry-After} value asks for, in milliseconds from {@code nowEpochMillis}: 0 for a
   * date in the past, at most {@link #MAX_DELAY_MILLIS}, and -1 when the value is absent or unparseable.
   * Accepts delay-seconds ({@code 120}) and the three HTTP-date forms: IMF-fixdate
   * ({@code Sun, 06 Nov 1994 08:49:37 GMT}), RFC 850 ({@code Sunday, 06-Nov-94 08:49:37 GMT}) and
   * asctime ({@code Sun Nov  6 08:49:37 1994}).
   */
  public static long parseDelayMillis(String headerValue, long nowEpochMillis) {
    if (headerValue == null) {
      return -1;
    }
    String value = headerValue.trim();
    if (value.isEmpty()) {
      return -1;
    }
    if (isDigits(value)) {
      return delaySecondsToMillis(value);
    }
    long dateMillis = parseHttpDateMillis(value, nowEpochMillis);
    if (dateMillis == INVALID) {
      return -1;
    }
    if (dateMillis <= nowEpochMillis) {
      return 0;
    }
    long delay = dateMillis - nowEpochMillis;
    // negative only when the subtraction overflowed, i.e. the delay is enormous
    return delay < 0 || delay > MAX_DELAY_MILLIS ? MAX_DELAY_MILLIS : delay;
  }

  private static long delaySecondsToMillis(String digits) {
    long seconds = 0;
    for (int i = 0; i < digits.length(); i++) {
      seconds = seconds * 10 + (digits.charAt(i) - '0');
      if (seconds > MAX_DELAY_MILLIS / 1000) {
        return MAX_DELAY_MILLIS; // any number of digits, no overflow
      }
    }
    return seconds * 1000;
  }

  /** Epoch millis of an HTTP-date, or INVALID. */
  private static long parseHttpDateMillis(String value, long nowEpochMillis) {
    int comma = value.indexOf(',');
    String dayName;
    String rest;
    if (comma >= 0) { // IMF-fixdate or RFC 850: day-name "," ...
      dayName = value.substring(0, comma).trim();
      rest = value.substring(comma + 1);
    } else { // asctime: day-name SP month SP day SP time SP year
      int space = value.indexOf(' ');
      if (space < 0) {
        return INVALID;
      }
      dayName = value.substring(0, space);
      rest = value.substring(space + 1);
    }
    if (!isDayName(dayName.toLowerCase(Locale.ROOT))) {
      return INVALID;
    }
    // asctime pads a one-digit day with a space; RFC 850 joins the date with dashes
    String[] parts = rest.trim().split(comma >= 0 ? "[ \\t-]+" : "[ \\t]+");
    int day;
    int month;
    int year;
    String time;
    if (comma >= 0) {
      if (parts.length != 5 || !(parts[4].equalsIgnoreCase("GMT") || parts[4].equalsIgnoreCase("UTC"))) {
        return INVALID;
      }
      day = smallNumber(parts[0], 2);
      month = monthNumber(parts[1]);
      year = parts[2].length() == 2 ? twoDigitYear(smallNumber(parts[2], 2), nowEpochMillis) : fourDigitYear(parts[2]);
      time = parts[3];
    } else {
      if (parts.length != 4) {
        return INVALID;
      }
      month = monthNumber(parts[0]);
      day = smallNumber(parts[1], 2);
      time = parts[2];
      year = fourDigitYear(parts[3]);
    }
    if (day < 0 || month < 0 || year < 0 || time.length() != 8 || time.charAt(2) != ':' || time.charAt(5) != ':') {
      return INVALID;
    }
    int hour = smallNumber(time.substring(0, 2), 2);
    int minute = smallNumber(time.substring(3, 5), 2);
    int second = smallNumber(time.substring(6, 8), 2);
    if (hour < 0 || minute < 0 || second < 0) {
      return INVALID;
    }
    try {
      // a leap second (60) is legal in HTTP-date; java.time has none
      LocalDateTime t = LocalDateTime.of(year, month, day, hour, minute, Math.min(second, 59));
      return t.toEpochSecond(ZoneOffset.UTC) * 1000;
    } catch (DateTimeException outOfRange) {
      return INVALID;
    }
  }

  /**
   * RFC 9110 §5.6.7: a two-digit year that appears more than 50 years in the future is the most
   * recent past year with the same last two digits.
   */
  private static int twoDigitYear(int yy, long nowEpochMillis) {
    if (yy < 0) {
      return -1;
    }
    int thisYear;
    try {
      thisYear = Instant.ofEpochMilli(nowEpochMillis).atZone(ZoneOffset.UTC).getYear();
    } catch (DateTimeException outOfRange) {
      return -1;
    }
    int year = thisYear - Math.floorMod(thisYear, 100) + yy;
    if (year > thisYear + 50) {
      year -= 100;
    } else if (year + 100 <= thisYear + 50) {
      year += 100;
    }
    return year;
  }

  private static int fourDigitYear(String s) {
    return s.length() == 4 ? smallNumber(s, 4) : -1;
  }

  private static boolean isDayName(String name) {
    for (int i = 0; i < DAYS.length; i++) {
      if (DAYS[i].equals(name) || LONG_DAYS[i].equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static int monthNumber(String name) {
    for (int i = 0; i < MONTHS.length; i++) {
      if (MONTHS[i].equalsIgnoreCase(name)) {
        return i + 1;
      }
    }
    return -1;
  }

  /** The value of 1 to maxDigits ASCII digits, else -1. */
  private static int smallNumber(String s, int maxDigits) {
    if (s.isEmpty() || s.length() > maxDigits || !isDigits(s)) {
      return -1;
    }
    return Integer.parseInt(s);
  }

  private static boolean isDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
