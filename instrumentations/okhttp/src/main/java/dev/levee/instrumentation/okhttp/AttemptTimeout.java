package dev.levee.instrumentation.okhttp;

import dev.levee.core.LeveeLog;

/**
 * Bounds one attempt with OkHttp's own call timeout ({@code Call.timeout()}, OkHttp 3.12+), so an attempt
 * that runs out of time fails the way the application already handles: {@code InterruptedIOException("timeout")}.
 *
 * <p>Levee's attempt timeout runs to the end of the response headers (README: timeout.attempt); OkHttp's
 * call timeout would go on running while the application reads the body. So once the headers are in, the
 * timeout Levee set is taken back, and the application's own call timeout, if it has one, is armed again
 * for what is left of it.
 */
final class AttemptTimeout {

  private final Object timeout;
  private final long appCallTimeoutNanos;
  private final long startedNanos;

  private AttemptTimeout(Object timeout, long appCallTimeoutNanos) {
    this.timeout = timeout;
    this.appCallTimeoutNanos = appCallTimeoutNanos;
    this.startedNanos = System.nanoTime();
  }

  /**
   * Sets the attempt's timeout on a call not yet started, unless the application's own call timeout is at
   * least as strict. Returns null when nothing was changed.
   */
  static AttemptTimeout limit(Object call, long attemptNanos, long appCallTimeoutNanos) {
    if (appCallTimeoutNanos > 0 && appCallTimeoutNanos <= attemptNanos) {
      return null; // the app's stricter timeout, which the call already carries, stays in force
    }
    try {
      Object timeout = OkHttpApi.callTimeout(call);
      OkHttpApi.setTimeout(timeout, Math.max(attemptNanos, 1_000_000L));
      return new AttemptTimeout(timeout, appCallTimeoutNanos);
    } catch (RuntimeException | Error e) {
      LeveeLog.warnOnce("okhttp.timeout", "could not set the attempt timeout on an OkHttp call (OkHttp before 3.12?); "
          + "its attempts are bounded by OkHttp's own timeouts only", e);
      return null;
    }
  }

  /** The response headers are in: Levee's bound ends here; the app's own call timeout covers the body. */
  void headersReceived() {
    try {
      OkHttpApi.get(timeout, "exit");
      if (appCallTimeoutNanos > 0) {
        long left = appCallTimeoutNanos - (System.nanoTime() - startedNanos);
        OkHttpApi.setTimeout(timeout, Math.max(left, 1L));
        OkHttpApi.get(timeout, "enter");
      }
    } catch (RuntimeException | Error e) {
      LeveeLog.warnOnce("okhttp.timeout.exit", "could not end the attempt timeout of an OkHttp call at its headers", e);
    }
  }
}
