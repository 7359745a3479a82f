package dev.levee.instrumentation.jdkhttp;

import dev.levee.core.Outcome;
import dev.levee.core.pipeline.BulkheadFullException;
import dev.levee.core.pipeline.CircuitOpenException;
import dev.levee.core.pipeline.OutcomeClassifier;
import dev.levee.core.pipeline.Rejection;
import dev.levee.core.policy.RetryAfter;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import javax.net.ssl.SSLHandshakeException;

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
    for (Throwable e = error; e != null; e = e.getCause()) {
      if (e instanceof ConnectException
          || e instanceof UnknownHostException
          || e instanceof NoRouteToHostException
          || e instanceof UnresolvedAddressException
          || e instanceof SSLHandshakeException) {
        return Outcome.CONNECT_FAILURE;
      }
      if (e.getCause() == e) {
        break;
      }
    }
    if (error instanceof IOException) {
      return Outcome.RESET;
    }
    return Outcome.APPLICATION_ERROR;
  }

  @Override
  public long retryAfterMillis(HttpResponse<?> response, long nowEpochMillis) {
    int status = response.statusCode();
    if (status != 429 && status != 503) {
      return -1;
    }
    return response.headers().firstValue("Retry-After").map(v -> RetryAfter.parseDelayMillis(v, nowEpochMillis)).orElse(-1L);
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
    switch (reason) {
      case CIRCUIT_OPEN:
        return new CircuitOpenException(message);
      case BULKHEAD_FULL:
        return new BulkheadFullException(message);
      default:
        return new HttpTimeoutException(message);
    }
  }
}
