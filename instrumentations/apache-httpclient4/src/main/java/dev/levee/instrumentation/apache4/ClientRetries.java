package dev.levee.instrumentation.apache4;

import dev.levee.core.LeveeLog;
import dev.levee.instrumentation.api.DeclaredExceptions;
import dev.levee.instrumentation.api.LibraryMethods;

/**
 * Keeps HttpClient 4's own retries out of Levee's attempts, so that the number of requests a server sees is
 * Levee's {@code maxAttempts}, never multiplied. HttpClient 4 retries in three places:
 *
 * <ul>
 *   <li>{@code RetryExec} (every builder client unless {@code disableAutomaticRetries()}): asks the
 *       {@code HttpRequestRetryHandler}, by default {@code DefaultHttpRequestRetryHandler}, which repeats an
 *       idempotent request 3 times after an I/O failure. Inside an attempt the call goes to a twin
 *       {@code RetryExec} over the same next element with {@code new DefaultHttpRequestRetryHandler(0, false)}:
 *       whatever handler the app set, nothing is repeated, and the rest is the library's own code (an
 *       aborted request is not retried, {@code NoHttpResponseException} names the host), so the app sees
 *       exactly the exceptions HttpClient with retries off throws;
 *   <li>{@code ServiceUnavailableRetryExec} (an app's {@code ServiceUnavailableRetryStrategy}): inside an
 *       attempt the call goes straight to the next element, which is what the strategy answering "no" does;
 *   <li>the deprecated {@code AbstractHttpClient} ({@code DefaultHttpClient}): its request director gets the
 *       handler from {@code getHttpRequestRetryHandler()} when a call starts; inside an attempt that answers
 *       the never-retrying handler.
 * </ul>
 *
 * <p>An attempt runs on the caller's thread from start to response head (the classic client has no threads
 * of its own), so a thread-local mark tells these hooks apart from the app's calls outside Levee (Levee off
 * for a call, or failing open), where the app's own retries apply as always.
 */
final class ClientRetries {

  private static final ThreadLocal<boolean[]> IN_ATTEMPT = new ThreadLocal<boolean[]>() {
    @Override
    protected boolean[] initialValue() {
      return new boolean[1];
    }
  };

  private ClientRetries() {}

  /** Marks the thread as running a Levee attempt; returns the mark it had, for {@link #exit}. */
  static boolean enter() {
    boolean[] mark = IN_ATTEMPT.get();
    boolean before = mark[0];
    mark[0] = true;
    return before;
  }

  static void exit(boolean before) {
    IN_ATTEMPT.get()[0] = before;
  }

  /** {@code RetryExec.execute(route, request, context, execAware)}: inside an attempt, its never-retrying twin. */
  static Object retryExec(Object exec, Object[] args) {
    Object twin;
    try {
      if (!IN_ATTEMPT.get()[0]) {
        return null;
      }
      HttpClient4Classes hc = HttpClient4Classes.beside(exec);
      if (LibraryMethods.field(exec, "retryHandler") == hc.neverRetrying) {
        return null; // the twin itself
      }
      Object next = LibraryMethods.field(exec, "requestExecutor");
      twin = next == null ? null : hc.neverRetryingExec(next);
    } catch (Throwable t) {
      LeveeLog.warnOnce("apache-httpclient4.retries", "cannot turn off HttpClient's own retries inside Levee's attempts; "
          + "a server may see more than maxAttempts requests", t);
      return null;
    }
    if (twin == null) {
      return null;
    }
    return next(HttpClient4Classes.beside(exec), twin, args);
  }

  /** {@code ServiceUnavailableRetryExec.execute(route, request, context, execAware)}: inside an attempt, the next element. */
  static Object serviceUnavailableRetryExec(Object exec, Object[] args) {
    if (!IN_ATTEMPT.get()[0]) {
      return null;
    }
    Object next = LibraryMethods.field(exec, "requestExecutor");
    if (next == null) {
      LeveeLog.warnOnce("apache-httpclient4.service-unavailable", "cannot turn off HttpClient's "
          + "ServiceUnavailableRetryStrategy inside Levee's attempts; a server may see more than maxAttempts requests", null);
      return null;
    }
    return next(HttpClient4Classes.beside(exec), next, args);
  }

  /** {@code AbstractHttpClient.getHttpRequestRetryHandler()}: inside an attempt, one that never retries. */
  static Object retryHandler(Object client) {
    return IN_ATTEMPT.get()[0] ? HttpClient4Classes.beside(client).neverRetrying : null;
  }

  private static Object next(HttpClient4Classes hc, Object exec, Object[] args) {
    try {
      return hc.execChainExecute(exec, args);
    } catch (Throwable t) {
      throw DeclaredExceptions.<RuntimeException>rethrow(t);
    }
  }
}
