package dev.levee.instrumentation.servlet;

import dev.levee.core.Clock;
import dev.levee.core.config.InboundConfig;
import dev.levee.core.deadline.CurrentDeadline;
import dev.levee.core.deadline.DeadlineHeaders;
import dev.levee.core.inbound.InboundAdmission;
import dev.levee.core.inbound.InboundLimits;
import java.lang.reflect.UndeclaredThrowableException;

/**
 * One inbound request's handling on one thread, from the first filter (or servlet) the container calls
 * to its return: its deadline, read from the request's headers, is the thread's deadline meanwhile, and
 * what the thread held before comes back after.
 *
 * <p>Only the outermost scoped method reads the headers. The filters behind it, the servlet, and a
 * forward or include (all run inside the outermost one, on the same thread) only count, so the deadline is
 * read once per request and every exit but the outermost's leaves it alone. A request without any
 * deadline header still begins a scope: container threads are pooled, and the deadline of the request
 * the thread served before must not leak into this one.
 *
 * <p>The headers are read only from a trusted peer ({@code deadline.inbound}): from any other, the request
 * counts as carrying none.
 *
 * <p>The outermost method of a request's first dispatch is also the door ({@code inbound}): over its path
 * rule's rate or concurrency limit, the request is answered 429 or 503 there and then, and no filter or
 * servlet of the app runs for it. An admitted request's place is given back when the outermost method
 * returns, or, when the request went async ({@code startAsync}), when its async context completes (the
 * container completes it after a timeout or an error too).
 *
 * <p>Fail open: whatever goes wrong reading the headers, the request runs without a deadline, and one
 * warning is printed; whatever goes wrong at the door, the request runs.
 */
final class InboundRequestScope {

  private final DeadlineHeaders deadlineHeaders;
  private final Clock clock;
  private final InboundLimits limits;
  /** What the outermost method of this thread's request holds until it returns: admission, request, response. */
  private final ThreadLocal<Object[]> admitted = new ThreadLocal<>();

  InboundRequestScope(DeadlineHeaders deadlineHeaders, Clock clock) {
    this(deadlineHeaders, clock, new InboundLimits(InboundConfig.none(), clock));
  }

  InboundRequestScope(DeadlineHeaders deadlineHeaders, Clock clock, InboundLimits limits) {
    this.deadlineHeaders = deadlineHeaders;
    this.clock = clock;
    this.limits = limits;
  }

  /**
   * Entry to {@code service} or {@code doFilter}: {@code args[0]} is the request, {@code args[1]} the response.
   * Null: the method runs, and the woven code calls {@link #exit} on every way out of it. Non-null: the
   * request was shed and answered; the method returns at once, without an exit.
   */
  Object enter(Object handler, Object[] args) {
    boolean outermost = !CurrentDeadline.inInbound();
    CurrentDeadline.enterInbound(() -> deadlineOf(args[0]), "servlet.inbound");
    if (!outermost || !limits.limitsAnything()) {
      return null;
    }
    try {
      return door(args);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new UndeclaredThrowableException(t);
    }
  }

  /** The outermost method of a request: admits it (null), or sheds and answers it (non-null). */
  private Object door(Object[] args) throws Throwable {
    Object request = args[0];
    ServletDoorCalls calls = ServletDoorCalls.of(request.getClass());
    if (!calls.isHttp() || !calls.isRequestDispatch(request)) {
      return null;
    }
    InboundAdmission admission = limits.admit(calls.path(request), CurrentDeadline.get());
    if (admission.isAdmitted()) {
      admitted.set(new Object[] {admission, request, args[1], calls});
      return null;
    }
    CurrentDeadline.exitInbound();
    try {
      calls.answer(args[1], admission.status(), admission.retryAfterSeconds(), admission.body());
    } catch (Throwable clientGoneOrCommitted) {
      // the request is shed all the same: the app's handler must not run past the limit
    }
    return Boolean.TRUE;
  }

  /** Every way out of {@code service} or {@code doFilter}, an exception included. */
  void exit() {
    CurrentDeadline.exitInbound();
    if (CurrentDeadline.inInbound()) {
      return;
    }
    Object[] held = admitted.get();
    if (held == null) {
      return;
    }
    admitted.remove();
    InboundAdmission admission = (InboundAdmission) held[0];
    Object request = held[1];
    Object response = held[2];
    ServletDoorCalls calls = (ServletDoorCalls) held[3];
    try {
      if (calls.isAsyncStarted(request)) {
        calls.whenAsyncCompletes(request, () -> admission.release(failed(calls, response), clock.nanoTime()));
        return;
      }
    } catch (Throwable t) {
      // no way to follow the async request: give its place back now rather than never
    }
    admission.release(failed(calls, response), clock.nanoTime());
  }

  private static boolean failed(ServletDoorCalls calls, Object response) {
    try {
      return calls.status(response) >= 500;
    } catch (Throwable t) {
      return false;
    }
  }

  /** The request's deadline; a request that is not HTTP has no headers and gets the default budget, if any. */
  long deadlineOf(Object request) {
    long now = clock.currentTimeMillis();
    RequestHeaders headers = RequestHeaders.of(request.getClass());
    if (!headers.isHttp()) {
      return deadlineHeaders.inbound(name -> null, now);
    }
    return deadlineHeaders.inbound(name -> headers.read(request, name), () -> headers.remoteAddress(request), now);
  }
}
