package dev.levee.core.pipeline;

import dev.levee.core.policy.RetryAfter;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.net.ssl.SSLHandshakeException;

/** What every HTTP client library's {@link OutcomeClassifier} shares. */
public final class HttpFailures {

  private HttpFailures() {}

  /**
   * True when an exception in the cause chain shows that no connection was made, so nothing was sent:
   * refused, unresolvable, unroutable, a failed TLS handshake, or what {@code alsoNoConnection} says (a
   * library's own connect-timeout type).
   */
  public static boolean noConnectionMade(Throwable error, Predicate<Throwable> alsoNoConnection) {
    for (Throwable e = error; e != null; e = e.getCause()) {
      if (e instanceof ConnectException
          || e instanceof UnknownHostException
          || e instanceof NoRouteToHostException
          || e instanceof UnresolvedAddressException
          || e instanceof SSLHandshakeException
          || alsoNoConnection.test(e)) {
        return true;
      }
      if (e.getCause() == e) {
        break;
      }
    }
    return false;
  }

  /**
   * Levee's refusal as an exception the application already handles: {@link CircuitOpenException},
   * {@link BulkheadFullException} and {@link RateLimitedException} are IOExceptions; an expired deadline is the
   * client's own timeout type.
   */
  public static Exception rejection(Rejection reason, String message, Function<String, Exception> clientTimeout) {
    switch (reason) {
      case CIRCUIT_OPEN:
        return new CircuitOpenException(message);
      case BULKHEAD_FULL:
        return new BulkheadFullException(message);
      case RATE_LIMITED:
        return new RateLimitedException(message);
      default:
        return clientTimeout.apply(message);
    }
  }

  /** Retry-After is read on 429 and 503 only. */
  public static boolean mayCarryRetryAfter(int status) {
    return status == 429 || status == 503;
  }

  /**
   * The delay a response asks for with its {@code Retry-After} value (seconds or an HTTP date), in
   * milliseconds; -1 when it carries none, or its status is not one that may carry one.
   */
  public static long retryAfterMillis(int status, String retryAfter, long nowEpochMillis) {
    return retryAfter == null || !mayCarryRetryAfter(status) ? -1 : RetryAfter.parseDelayMillis(retryAfter, nowEpochMillis);
  }
}
