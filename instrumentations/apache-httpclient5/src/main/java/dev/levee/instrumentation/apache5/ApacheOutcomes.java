package dev.levee.instrumentation.apache5;

import dev.levee.core.Outcome;
import dev.levee.core.pipeline.HttpFailures;
import dev.levee.core.pipeline.Rejection;
import dev.levee.instrumentation.api.LibraryMethods;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;

/**
 * HttpClient 5's responses and exceptions as pipeline outcomes. HttpClient's exception types are matched by
 * name or through their JDK superclasses: this class must not link against HttpClient.
 */
final class ApacheOutcomes {

  /** Extends SocketTimeoutException, but means that no connection was made. */
  static final String CONNECT_TIMEOUT = "org.apache.hc.client5.http.ConnectTimeoutException";

  /** No pooled connection was free in time: the app's own pool, not the dependency. */
  static final String POOL_WAIT = "org.apache.hc.core5.http.ConnectionRequestTimeoutException";

  private ApacheOutcomes() {}

  /** The status code of an {@code HttpResponse} (classic or async head). */
  static int code(Object response) throws Throwable {
    return (Integer) LibraryMethods.invoke(response, "getCode");
  }

  static Outcome classify(Throwable error) {
    if (error.getClass().getName().equals(POOL_WAIT)) {
      return Outcome.LOCAL;
    }
    // HttpHostConnectException is a ConnectException
    if (HttpFailures.noConnectionMade(error, e -> e.getClass().getName().equals(CONNECT_TIMEOUT))) {
      return Outcome.CONNECT_FAILURE;
    }
    if (error instanceof SocketTimeoutException || error instanceof InterruptedIOException) {
      return Outcome.TIMEOUT;
    }
    if (error instanceof IOException) {
      return Outcome.RESET; // NoHttpResponseException, ConnectionClosedException, a reset, a broken H2 stream
    }
    return Outcome.APPLICATION_ERROR;
  }

  /** Retry-After of a 429 or 503 response head; -1 when none. */
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
