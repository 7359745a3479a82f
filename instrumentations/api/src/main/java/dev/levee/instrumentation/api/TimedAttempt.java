package dev.levee.instrumentation.api;

import dev.levee.core.Faults;
import dev.levee.core.LeveeLog;
import dev.levee.core.pipeline.AttemptContext;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One attempt of a blocking Apache HttpClient call (4.x and 5.x classic alike): the request copy Levee
 * sends, the response it got, and a timer of Levee's that ends the exchange on time. HttpClient's own
 * response timeout is a socket timeout, renewed by every byte: a server that trickles its status line or its
 * body never trips it. Levee's timer cancels the copy instead (5.x {@code HttpUriRequestBase.cancel()}, 4.x
 * {@code HttpRequestBase.abort()}), which makes HttpClient close the connection at once; what the exchange
 * then throws reaches the caller as the {@code SocketTimeoutException} HttpClient throws for a read that ran
 * out of time.
 *
 * <ul>
 *   <li>until the response head is in: {@code timeout.attempt} (and what is left of the deadline);
 *   <li>the answer's body: the call's deadline, if it has one ({@link BoundedEntity});
 *   <li>a retried response's body, which Levee reads to the end so its connection can be reused: the
 *       attempt's budget again, and the deadline.
 * </ul>
 *
 * <p>Both lines name the same methods for what is used here ({@code getEntity}, {@code setEntity},
 * {@code getContent}, {@code close}), so one class serves both, reaching them by name.
 */
public final class TimedAttempt {

  final Object copy;
  final AttemptContext attempt;
  private final String cancelMethod;
  private final String library;
  private final ScheduledExecutorService timer;
  private final String target;
  private volatile Object response;
  private volatile ScheduledFuture<?> limit;
  /** What the exchange ended with when Levee's timer ended it; null while it has not. */
  private volatile Exception expired;

  private TimedAttempt(Object copy, String cancelMethod, String library, AttemptContext attempt,
      ScheduledExecutorService timer, String target) {
    this.copy = copy;
    this.cancelMethod = cancelMethod;
    this.library = library;
    this.attempt = attempt;
    this.timer = timer;
    this.target = target;
  }

  /**
   * Arms the attempt's limit: it runs to the response head.
   *
   * @param copy the request Levee sends, or null when it could not make one (the app's own goes, and without
   *     a copy of its own to cancel, Levee's timer stays off: HttpClient's own timeouts bound the attempt)
   * @param cancelMethod the copy's no-argument method that ends its exchange ({@code cancel}, {@code abort})
   * @param library the instrumentation's name, for its warnings
   * @param headTimeout what the exchange ends with when the head is late (HttpClient's own type for the phase)
   */
  public static TimedAttempt start(Object copy, String cancelMethod, String library, AttemptContext attempt,
      ScheduledExecutorService timer, String target, Supplier<Exception> headTimeout) {
    TimedAttempt a = new TimedAttempt(copy, cancelMethod, library, attempt, timer, target);
    a.arm(attempt.timeoutNanos(), headTimeout);
    return a;
  }

  public Object response() {
    return response;
  }

  /** The head is in: the attempt's limit ends here. */
  public void headersIn(Object response) {
    this.response = response;
    disarm();
  }

  /**
   * What the caller gets for an exception the exchange ended with: HttpClient's own timeout type when
   * Levee's timer ended it, else the exception itself.
   */
  public Throwable failure(Throwable thrown) {
    return BoundedStream.<Throwable>expiredOr(expired, thrown);
  }

  /** The answer's body must be read before the call's deadline, when it has one. */
  /** @param httpEntity HttpClient's {@code HttpEntity} interface, as the app's loader loaded it */
  public void boundBody(Class<?> httpEntity) throws Throwable {
    long left = attempt.nanosLeft();
    if (left == Long.MAX_VALUE || response == null) {
      return;
    }
    Object entity = LibraryMethods.invoke(response, "getEntity");
    if (entity != null) {
      LibraryMethods.invoke(response, "setEntity", BoundedEntity.wrap(httpEntity, entity, this));
      arm(left, () -> new SocketTimeoutException("levee: the response body from " + target
          + " was not complete within the call's deadline (" + left / 1_000_000 + "ms after its headers)"));
    }
  }

  /**
   * A response the call is retried after: its body is read to the end (bounded by the attempt's budget
   * and the deadline), so that its connection goes back to the pool, then it is closed.
   */
  public void discard() {
    Object r = response;
    if (r == null) {
      return;
    }
    arm(Math.min(attempt.timeoutNanos(), attempt.nanosLeft()),
        () -> new SocketTimeoutException("levee: discarding a retried response took too long"));
    try {
      Object entity = LibraryMethods.invoke(r, "getEntity");
      if (entity != null) {
        try (InputStream in = (InputStream) LibraryMethods.invoke(entity, "getContent")) {
          if (in != null) {
            byte[] sink = new byte[8192];
            while (in.read(sink) >= 0) {
              // drained for the connection's sake
            }
          }
        }
      }
    } catch (Throwable t) {
      // cut short (the connection is closed instead), or broken: the retry goes on either way
    } finally {
      disarm();
      try {
        LibraryMethods.invoke(r, "close");
      } catch (Throwable ignored) {
        // being dropped for a retry; nothing to tell the app
      }
    }
  }

  /** What the exchange ended with when Levee's timer ended it, or null. */
  public Exception expired() {
    return expired;
  }

  /** The body was read to its end or closed: no need to end it on time any more. */
  public void disarm() {
    ScheduledFuture<?> armed = limit;
    if (armed != null) {
      armed.cancel(false);
    }
  }

  /** Levee's timer for the next phase; should it fail to arm, HttpClient's own timeouts bound the phase. */
  private void arm(long nanos, Supplier<Exception> why) {
    disarm();
    if (copy == null) {
      return;
    }
    try {
      Faults.at(Faults.Step.SCHEDULE);
      limit = timer.schedule(() -> expire(why), Math.max(nanos, 0), TimeUnit.NANOSECONDS);
    } catch (Throwable t) {
      LeveeLog.warnOnce(library + ".timer", "could not arm Levee's timer for an HttpClient exchange; "
          + "HttpClient's own timeouts bound it", t);
    }
  }

  /** The phase is read before the cancel: cancelling discards the exchange's connection. */
  private void expire(Supplier<Exception> why) {
    expired = why.get();
    try {
      LibraryMethods.invoke(copy, cancelMethod);
    } catch (Throwable ignored) {
      // nothing more Levee can do; HttpClient's own timeouts still apply
    }
  }
}
