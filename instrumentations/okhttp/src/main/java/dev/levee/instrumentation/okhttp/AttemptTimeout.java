package dev.levee.instrumentation.okhttp;

import dev.levee.core.LeveeLog;

/**
 * Bounds one attempt with OkHttp's own call timeout ({@code Call.timeout()}, OkHttp 3.12+), so an attempt
 * that runs out of time fails the way the application already handles: {@code InterruptedIOException("timeout")}.
 *
 * <p>The application's own call timeout (its client's {@code callTimeout}, or a {@code call.timeout()} it set
 * on the call) bounds the whole call, as it would without Levee: it enters the pipeline as the call's
 * deadline (see {@link OkHttpHooks}), so every attempt's timeout already fits inside it.
 *
 * <p>Levee's attempt timeout runs to the end of the response headers (README: timeout.attempt); OkHttp's
 * call timeout would go on running while the application reads the body. So once the headers are in, the
 * attempt's timeout is taken back, and what is left of the application's own call timeout, if it has one,
 * is armed again for the body.
 */
final class AttemptTimeout {

  private final Object timeout;
  private final long appCallDeadlineNanos;

  private AttemptTimeout(Object timeout, long appCallDeadlineNanos) {
    this.timeout = timeout;
    this.appCallDeadlineNanos = appCallDeadlineNanos;
  }

  /**
   * Sets the attempt's timeout on a call not yet started.
   *
   * @param appCallDeadlineNanos when the application's own call timeout ends ({@link System#nanoTime()}), 0 for none
   * @return null when the timeout could not be set
   */
  static AttemptTimeout limit(Object call, long attemptNanos, long appCallDeadlineNanos) {
    try {
      Object timeout = OkHttpApi.callTimeout(call);
      OkHttpApi.setTimeout(timeout, Math.max(attemptNanos, 1_000_000L));
      return new AttemptTimeout(timeout, appCallDeadlineNanos);
    } catch (RuntimeException | Error e) {
      LeveeLog.warnOnce("okhttp.timeout", "could not set the attempt timeout on an OkHttp call (OkHttp before 3.12?); "
          + "its attempts are bounded by OkHttp's own timeouts only", e);
      return null;
    }
  }

  /**
   * The application's own call timeout as a deadline in {@link System#nanoTime()} terms, 0 for none: the
   * call's {@code timeout()} (which OkHttp initialises from the client's callTimeout), and its deadline if set.
   */
  static long appCallDeadlineNanos(Object appCall, long nowNanos) {
    try {
      Object timeout = OkHttpApi.callTimeout(appCall);
      long nanos = ((Number) OkHttpApi.get(timeout, "timeoutNanos")).longValue();
      long deadline = nanos > 0 ? nowNanos + nanos : 0;
      if (Boolean.TRUE.equals(OkHttpApi.get(timeout, "hasDeadline"))) {
        long own = ((Number) OkHttpApi.get(timeout, "deadlineNanoTime")).longValue();
        deadline = deadline == 0 ? own : Math.min(deadline, own);
      }
      return deadline;
    } catch (RuntimeException | Error olderThan312) {
      return 0; // OkHttp before 3.12 had no call timeout
    }
  }

  /** The response headers are in: Levee's bound ends here; the app's own call timeout covers the body. */
  void headersReceived() {
    try {
      OkHttpApi.get(timeout, "exit");
      if (appCallDeadlineNanos != 0) {
        OkHttpApi.setTimeout(timeout, Math.max(appCallDeadlineNanos - System.nanoTime(), 1L));
        OkHttpApi.get(timeout, "enter");
      }
    } catch (RuntimeException | Error e) {
      LeveeLog.warnOnce("okhttp.timeout.exit", "could not end the attempt timeout of an OkHttp call at its headers", e);
    }
  }
}
