package dev.levee.instrumentation.okhttp;

import dev.levee.core.Outcome;
import dev.levee.core.pipeline.HttpFailures;
import dev.levee.core.pipeline.OutcomeClassifier;
import dev.levee.core.pipeline.Rejection;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.Locale;

/**
 * OkHttp's results ({@code okhttp3.Response}, seen as an Object) and exceptions as pipeline outcomes.
 *
 * <p>OkHttp reports an expired call timeout as {@code InterruptedIOException("timeout")}, a read or write
 * timeout as {@code SocketTimeoutException} (a subclass), a refused or unreachable connect as
 * {@code ConnectException} ({@code "Failed to connect to ..."}, the socket's exception as its cause), and a
 * connect timeout as {@code SocketTimeoutException("connect timed out")}.
 */
final class OkHttpOutcomes implements OutcomeClassifier<Object> {

  static final OkHttpOutcomes INSTANCE = new OkHttpOutcomes();

  @Override
  public Outcome classify(Object response) {
    return Outcome.status(code(response));
  }

  @Override
  public Outcome classify(Throwable error) {
    if (HttpFailures.noConnectionMade(error, OkHttpOutcomes::isConnectTimeout)) {
      return Outcome.CONNECT_FAILURE;
    }
    if (error instanceof InterruptedIOException) {
      return Outcome.TIMEOUT;
    }
    if (error instanceof IOException) {
      return Outcome.RESET;
    }
    return Outcome.APPLICATION_ERROR;
  }

  private static boolean isConnectTimeout(Throwable e) {
    if (!(e instanceof SocketTimeoutException) || e.getMessage() == null) {
      return false;
    }
    String message = e.getMessage().toLowerCase(Locale.ROOT);
    return message.contains("connect timed out") || message.startsWith("failed to connect");
  }

  @Override
  public long retryAfterMillis(Object response, long nowEpochMillis) {
    Object value = OkHttpApi.get(response, "header", "Retry-After");
    return HttpFailures.retryAfterMillis(code(response), value == null ? null : value.toString(), nowEpochMillis);
  }

  /** Closing the response returns its connection to the pool (a small unread body is discarded first). */
  @Override
  public void discard(Object response) {
    if (response == null) {
      return;
    }
    try {
      OkHttpApi.call(response, "close");
    } catch (Exception | Error ignored) {
      // the response is being dropped for a retry; nothing to tell the app
    }
  }

  @Override
  public Exception rejection(Rejection reason, String message) {
    // OkHttp's own type for a call that ran out of time
    return HttpFailures.rejection(reason, message, InterruptedIOException::new);
  }

  static int code(Object response) {
    return ((Number) OkHttpApi.get(response, "code")).intValue();
  }
}
