package dev.levee.instrumentation.jdkhttp;

import dev.levee.core.Outcome;
import dev.levee.core.pipeline.HttpFailures;
import dev.levee.core.pipeline.OutcomeClassifier;
import dev.levee.core.pipeline.Rejection;
import java.io.IOException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;

/** The JDK HttpClient's results and exceptions as pipeline outcomes. */
final class JdkHttpOutcomes implements OutcomeClassifier<HttpResponse<?>> {

  static final JdkHttpOutcomes INSTANCE = new JdkHttpOutcomes();

  @Override
  public Outcome classify(HttpResponse<?> response) {
    return Outcome.status(response.statusCode());
  }

  @Override
  public Outcome classify(Throwable error) {
    if (error instanceof HttpConnectTimeoutException) {
      return Outcome.CONNECT_FAILURE;
    }
    if (error instanceof HttpTimeoutException) {
      return Outcome.TIMEOUT;
    }
    if (HttpFailures.noConnectionMade(error, e -> false)) {
      return Outcome.CONNECT_FAILURE;
    }
    if (error instanceof IOException) {
      return Outcome.RESET;
    }
    return Outcome.APPLICATION_ERROR;
  }

  @Override
  public long retryAfterMillis(HttpResponse<?> response, long nowEpochMillis) {
    return HttpFailures.retryAfterMillis(
        response.statusCode(), response.headers().firstValue("Retry-After").orElse(null), nowEpochMillis);
  }

  @Override
  public void discard(HttpResponse<?> response) {
    if (response == null) {
      return;
    }
    Object body = response.body();
    if (body instanceof AutoCloseable) {
      try {
        ((AutoCloseable) body).close();
      } catch (Exception ignored) {
        // the response is being dropped for a retry; nothing to tell the app
      }
    }
  }

  @Override
  public Exception rejection(Rejection reason, String message) {
    return HttpFailures.rejection(reason, message, HttpTimeoutException::new);
  }
}
