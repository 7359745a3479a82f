package dev.levee.instrumentation.apache4;

import dev.levee.core.Outcome;
import dev.levee.core.pipeline.HttpFailures;
import dev.levee.core.pipeline.Rejection;
import dev.levee.instrumentation.api.LibraryMethods;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;

/**
 * HttpClient 4's responses and exceptions as pipeline outcomes. HttpClient's exception types are matched by
 * name or through their JDK superclasses: this class must not link against HttpClient.
 */
final class ApacheOutcomes {

  /** An {@code InterruptedIOException}, but means that no connection was made. */
  static final String CONNECT_TIMEOUT = "org.apache.http.conn.ConnectTimeoutException";

  /** Extends ConnectTimeoutException: no pooled connection was free in time, the app's own pool, not the dependency. */
  static final String POOL_WAIT = "org.apache.http.conn.ConnectionPoolTimeoutException";

  /** An IOException HttpClient wraps its {@code HttpException}s in (a protocol error, a circular redirect). */
  static final String PROTOCOL_ERROR = "org.apache.http.client.ClientProtocolException";

  private ApacheOutcomes() {}

  /** The status code of an {@code HttpResponse}. */
  static int code(Object response) throws Throwable {
    return (Integer) LibraryMethods.invoke(LibraryMethods.invoke(response, "getStatusLine"), "getStatusCode");
  }

  static Outcome classify(Throwable error) {
    String name = error.getClass().getName();
    if (name.equals(POOL_WAIT)) {
      return Outcome.LOCAL;
    }
    // HttpHostConnectException is a ConnectException (4.3+)
    if (HttpFailures.noConnectionMade(error, e -> e.getClass().getName().equals(CONNECT_TIMEOUT))) {
      return Outcome.CONNECT_FAILURE;
    }
    if (error instanceof SocketTimeoutException || error instanceof InterruptedIOException) {
      return Outcome.TIMEOUT;
    }
    if (name.equals(PROTOCOL_ERROR)) {
      return Outcome.APPLICATION_ERROR; // as HttpClient 5's HttpException: the exchange itself is not understood
    }
    if (error instanceof IOException) {
      return Outcome.RESET; // NoHttpResponseException, ConnectionClosedException, a reset, a truncated body
    }
    return Outcome.APPLICATION_ERROR;
  }

  /**
   * Whether HttpClient's own exception says more than Levee's timeout would: no connection was made
   * (refused, connect timeout) or none was free in the app's pool.
   */
  static boolean beforeTheExchange(Throwable error) {
    Outcome o = classify(error);
    return o == Outcome.CONNECT_FAILURE || o == Outcome.LOCAL;
  }

  /** Retry-After of a 429 or 503 response; -1 when none. */
  static long retryAfterMillis(Object response, long nowEpochMillis) {
    try {
      return HttpFailures.retryAfterMillis(code(response), ApacheRequests.header(response, "Retry-After"), nowEpochMillis);
    } catch (Throwable t) {
      return -1;
    }
  }

  /**
   * What the app gets when Levee refuses a call: IOExceptions it already handles; an expired deadline is
   * the timeout HttpClient itself throws, a {@code SocketTimeoutException}.
   */
  static Exception rejection(Rejection reason, String message) {
    return HttpFailures.rejection(reason, message, SocketTimeoutException::new);
  }
}
