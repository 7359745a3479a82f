package dev.levee.instrumentation.httpurlconnection;

import java.net.HttpURLConnection;

/**
 * An attempt's timeouts as the JDK connection's own: its connect timeout the strictest of the app's, Levee's
 * {@code timeout.connect} and the attempt's budget; its read timeout (which bounds each wait for bytes, the
 * response head's included) the stricter of the app's and the attempt's budget. The app's own stricter value
 * always wins; 0, the JDK's "none", is never stricter.
 */
final class AttemptTimeouts {

  private AttemptTimeouts() {}

  static void apply(HttpURLConnection real, long attemptNanos, long leveeConnectNanos) {
    int budget = millis(attemptNanos);
    real.setConnectTimeout(stricter(stricter(real.getConnectTimeout(), millis(leveeConnectNanos)), budget));
    real.setReadTimeout(stricter(real.getReadTimeout(), budget));
  }

  /** The stricter of two timeouts in milliseconds, 0 meaning none. */
  static int stricter(int a, int b) {
    if (a <= 0) {
      return b;
    }
    if (b <= 0) {
      return a;
    }
    return Math.min(a, b);
  }

  /** Whole milliseconds, rounded up, at least 1 and at most {@code Integer.MAX_VALUE}. */
  static int millis(long nanos) {
    long ms = (nanos + 999_999) / 1_000_000;
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
  }
}
