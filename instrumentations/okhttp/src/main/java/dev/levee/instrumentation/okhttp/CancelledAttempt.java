package dev.levee.instrumentation.okhttp;

import java.io.IOException;
import java.util.concurrent.CancellationException;

/**
 * An attempt ended because its call was cancelled (by the application's {@code Call.cancel()}, or by
 * {@code Dispatcher.cancelAll()}), not because the dependency failed. A {@link CancellationException}, so the
 * pipeline neither records nor retries it; the application gets OkHttp's own exception, the cause.
 */
final class CancelledAttempt extends CancellationException {

  private static final long serialVersionUID = 1L;

  private final IOException okHttpException;

  CancelledAttempt(IOException okHttpException) {
    super(okHttpException.getMessage());
    this.okHttpException = okHttpException;
    initCause(okHttpException);
  }

  /** What OkHttp threw or reported for the cancelled call, e.g. {@code IOException("Canceled")}. */
  IOException okHttpException() {
    return okHttpException;
  }

  /** Whether an attempt's failure is its call having been cancelled; a call timeout cancels too, but is a timeout. */
  static boolean isCancellation(Object attemptCall, IOException e) {
    return !(e instanceof java.io.InterruptedIOException) && OkHttpApi.isCanceled(attemptCall);
  }
}
