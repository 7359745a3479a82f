package dev.levee.instrumentation.okhttp;

import dev.levee.core.LeveeLog;
import dev.levee.core.pipeline.AttemptContext;

/**
 * Bounds one attempt with OkHttp's own call timeout ({@code Call.timeout()}, OkHttp 3.12+), so an attempt
 * that runs out of time fails the way the application already handles: {@code InterruptedIOException("timeout")}.
 *
 * <p>The application's own call timeout (its client's {@code callTimeout}, or a {@code call.timeout()} it set
 * on the call) bounds the whole call, as it would without Levee: it enters the pipeline as the call's
 * deadline (see {@link OkHttpHooks}), so every attempt's timeout already fits inside it.
 *
 * <p>Levee's attempt timeout runs to the end of the response headers (README: timeout.attempt). Once the
 * headers are in, the attempt's timeout is taken back, and the call timeout is armed again with what is
 * left of the call's deadline (timeout.total, an inherited deadline, the application's own call timeout),
 * if it has one: OkHttp's call timeout covers reading the body too, so a body that trickles past the
 * deadline fails in the application's hands with OkHttp's own {@code InterruptedIOException("timeout")},
 * and OkHttp closes its connection. Without a deadline the body is the application's to read for as long
 * as it takes.
 */
final class AttemptTimeout {

  private final Object timeout;
  private final AttemptContext attempt;

  private AttemptTimeout(Object timeout, AttemptContext attempt) {
    this.timeout = timeout;
    this.attempt = attempt;
  }

  /**
   * Sets the attempt's timeout on a call not yet started.
   *
   * @return null when the timeout could not be set
   */
  static AttemptTimeout limit(Object call, AttemptContext attempt) {
    try {
      Object timeout = OkHttpApi.callTimeout(call);
      OkHttpApi.setTimeout(timeout, Math.max(attempt.timeoutNanos(), 1_000_000L));
      return new AttemptTimeout(timeout, attempt);
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

  /** The response headers are in: the attempt's bound ends here; the call's deadline, if any, covers the body. */
  void headersReceived() {
    try {
      OkHttpApi.get(timeout, "exit");
      long left = attempt.nanosLeft();
      if (left != Long.MAX_VALUE) {
        OkHttpApi.setTimeout(timeout, Math.max(left, 1L));
        OkHttpApi.get(timeout, "enter");
      }
    } catch (RuntimeException | Error e) {
      LeveeLog.warnOnce("okhttp.timeout.exit", "could not end the attempt timeout of an OkHttp call at its headers", e);
    }
  }
}
