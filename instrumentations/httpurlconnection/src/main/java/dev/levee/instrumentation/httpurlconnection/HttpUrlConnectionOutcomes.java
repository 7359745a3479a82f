package dev.levee.instrumentation.httpurlconnection;

import dev.levee.core.Outcome;
import dev.levee.core.pipeline.HttpFailures;
import dev.levee.core.pipeline.OutcomeClassifier;
import dev.levee.core.pipeline.Rejection;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/** A JDK connection's response head, or what its exchange threw, as pipeline outcomes; one per call. */
final class HttpUrlConnectionOutcomes implements OutcomeClassifier<UrlConnectionCall.Exchange> {

  private final BooleanSupplier disconnectedByTheApp;

  /** @param disconnectedByTheApp whether the app called {@code disconnect()}: what the attempt then throws is the app's */
  HttpUrlConnectionOutcomes(BooleanSupplier disconnectedByTheApp) {
    this.disconnectedByTheApp = disconnectedByTheApp;
  }

  @Override
  public Outcome classify(UrlConnectionCall.Exchange exchange) {
    try {
      return Outcome.status(exchange.connection.getResponseCode());
    } catch (IOException e) {
      return classify(e);
    }
  }

  @Override
  public Outcome classify(Throwable error) {
    if (disconnectedByTheApp.getAsBoolean()) {
      return Outcome.LOCAL; // neither a failure of the server nor to be retried
    }
    if (error instanceof SocketTimeoutException) {
      // the JDK says "connect timed out" (17) or "Connect timed out" (25) when no connection was made
      String message = error.getMessage();
      return message != null && message.toLowerCase(Locale.ROOT).contains("connect timed out")
          ? Outcome.CONNECT_FAILURE
          : Outcome.TIMEOUT;
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
  public long retryAfterMillis(UrlConnectionCall.Exchange exchange, long nowEpochMillis) {
    try {
      return HttpFailures.retryAfterMillis(exchange.connection.getResponseCode(),
          exchange.connection.getHeaderField("Retry-After"), nowEpochMillis);
    } catch (IOException e) {
      return -1;
    }
  }

  /** A response the call is retried after: its connection is closed, never handed to the app or the cache. */
  @Override
  public void discard(UrlConnectionCall.Exchange exchange) {
    if (exchange != null) {
      exchange.connection.disconnect();
    }
  }

  @Override
  public Exception rejection(Rejection reason, String message) {
    return HttpFailures.rejection(reason, message, SocketTimeoutException::new);
  }
}
