package dev.levee.instrumentation.servlet;

import dev.levee.core.Clock;
import dev.levee.core.deadline.CurrentDeadline;
import dev.levee.core.deadline.DeadlineHeaders;

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
 * <p>Fail open: whatever goes wrong reading the headers, the request runs without a deadline, and one
 * warning is printed.
 */
final class InboundRequestScope {

  private final DeadlineHeaders deadlineHeaders;
  private final Clock clock;

  InboundRequestScope(DeadlineHeaders deadlineHeaders, Clock clock) {
    this.deadlineHeaders = deadlineHeaders;
    this.clock = clock;
  }

  /**
   * Entry to {@code service} or {@code doFilter}: {@code args[0]} is the request. Always counts, since the
   * woven code calls {@link #exit} on every way out whatever this does.
   */
  Object enter(Object handler, Object[] args) {
    CurrentDeadline.enterInbound(() -> deadlineOf(args[0]), "servlet.inbound");
    return null;
  }

  /** Every way out of {@code service} or {@code doFilter}, an exception included. */
  void exit() {
    CurrentDeadline.exitInbound();
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
