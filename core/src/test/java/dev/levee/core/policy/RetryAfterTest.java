package dev.levee.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterTest {

  /** Sun, 06 Nov 1994 08:49:37 GMT, the RFC's example. */
  private static final long EXAMPLE = ZonedDateTime.of(1994, 11, 6, 8, 49, 37, 0, ZoneOffset.UTC).toEpochSecond() * 1000;

  private static final long NOW = EXAMPLE - 120_000; // two minutes before it

  @Test
  void deltaSeconds() {
    assertEquals(0, RetryAfter.parseDelayMillis("0", NOW));
    assertEquals(120_000, RetryAfter.parseDelayMillis("120", NOW));
    assertEquals(5_000, RetryAfter.parseDelayMillis("  5 ", NOW));
    assertEquals(7_000, RetryAfter.parseDelayMillis("007", NOW));
  }

  @Test
  void absurdDeltaSecondsAreCappedWithoutOverflow() {
    assertEquals(RetryAfter.MAX_DELAY_MILLIS, RetryAfter.parseDelayMillis("99999999999999999999999999999", NOW));
    assertEquals(RetryAfter.MAX_DELAY_MILLIS, RetryAfter.parseDelayMillis(Long.toString(Long.MAX_VALUE), NOW));
    assertEquals(2147483647000L, RetryAfter.parseDelayMillis("2147483647", NOW));
    assertEquals(RetryAfter.MAX_DELAY_MILLIS, RetryAfter.parseDelayMillis("2147483648", NOW));
  }

  @Test
  void imfFixdate() {
    assertEquals(120_000, RetryAfter.parseDelayMillis("Sun, 06 Nov 1994 08:49:37 GMT", NOW));
  }

  @Test
  void rfc850Date() {
    assertEquals(120_000, RetryAfter.parseDelayMillis("Sunday, 06-Nov-94 08:49:37 GMT", NOW));
  }

  @Test
  void rfc850TwoDigitYearMoreThanFiftyYearsAheadIsInThePast() {
    long now2030 = ZonedDateTime.of(2030, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).toEpochSecond() * 1000;
    // 94 would be 2094, 64 years ahead: it means 1994, long past
    assertEquals(0, RetryAfter.parseDelayMillis("Sunday, 06-Nov-94 08:49:37 GMT", now2030));
    // 31 is 2031: ahead
    long expected = ZonedDateTime.of(2031, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).toEpochSecond() * 1000 - now2030;
    assertEquals(expected, RetryAfter.parseDelayMillis("Wednesday, 01-Jan-31 00:00:00 GMT", now2030));
  }

  @Test
  void asctimeDate() {
    assertEquals(120_000, RetryAfter.parseDelayMillis("Sun Nov  6 08:49:37 1994", NOW));
    assertEquals(120_000, RetryAfter.parseDelayMillis("Sun Nov 06 08:49:37 1994", NOW));
  }

  @Test
  void namesAreCaseInsensitive() {
    assertEquals(120_000, RetryAfter.parseDelayMillis("SUN, 06 NOV 1994 08:49:37 gmt", NOW));
  }

  @Test
  void aPastDateIsNoDelay() {
    assertEquals(0, RetryAfter.parseDelayMillis("Sun, 06 Nov 1994 08:49:37 GMT", EXAMPLE + 1));
    assertEquals(0, RetryAfter.parseDelayMillis("Sun, 06 Nov 1994 08:49:37 GMT", EXAMPLE));
  }

  @Test
  void aFarFutureDateIsCapped() {
    assertEquals(RetryAfter.MAX_DELAY_MILLIS, RetryAfter.parseDelayMillis("Fri, 31 Dec 9999 23:59:59 GMT", NOW));
    assertEquals(RetryAfter.MAX_DELAY_MILLIS, RetryAfter.parseDelayMillis("Fri, 31 Dec 9999 23:59:59 GMT", Long.MIN_VALUE));
  }

  @Test
  void aLeapSecondIsTolerated() {
    assertEquals(
        ZonedDateTime.of(2016, 12, 31, 23, 59, 59, 0, ZoneOffset.UTC).toEpochSecond() * 1000 - NOW,
        RetryAfter.parseDelayMillis("Sat, 31 Dec 2016 23:59:60 GMT", NOW));
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {
    "", "   ", "-1", "+5", "1.5", "5s", "soon", "0x10",
    "Sun, 06 Nov 1994 08:49:37",          // no zone
    "Sun, 06 Nov 1994 08:49:37 PST",      // not GMT
    "Sun, 06 Nov 1994 8:49:37 GMT",       // one-digit hour
    "Sun, 31 Feb 1994 08:49:37 GMT",      // no such day
    "Sun, 06 Foo 1994 08:49:37 GMT",
    "Sun, 06 Nov 994 08:49:37 GMT",
    "Xyz, 06 Nov 1994 08:49:37 GMT",
    "Sun, 06 Nov 1994 25:49:37 GMT",
    "Sun Nov  6 08:49:37",
    "Sun, 06 Nov 1994 08:49:37 GMT extra",
  })
  void unparseableIsMinusOne(String value) {
    assertEquals(-1, RetryAfter.parseDelayMillis(value, NOW));
  }
}
