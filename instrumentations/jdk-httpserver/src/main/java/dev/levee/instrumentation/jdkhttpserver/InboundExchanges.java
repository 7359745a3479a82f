package dev.levee.instrumentation.jdkhttpserver;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.levee.core.LeveeLog;
import dev.levee.core.deadline.CurrentDeadline;
import dev.levee.core.deadline.DeadlineHeaders;

/** Sets the deadline of the work an exchange does, for as long as its outermost filter chain runs. */
final class InboundExchanges {

  private final DeadlineHeaders deadlineHeaders;

  InboundExchanges(DeadlineHeaders deadlineHeaders) {
    this.deadlineHeaders = deadlineHeaders;
  }

  void enter(Object exchange) {
    if (!CurrentDeadline.enterInbound()) {
      return;
    }
    long deadline = CurrentDeadline.NONE;
    try {
      Headers headers = ((HttpExchange) exchange).getRequestHeaders();
      deadline = deadlineHeaders.inbound(headers::getFirst, System.currentTimeMillis());
    } catch (RuntimeException | LinkageError e) {
      LeveeLog.warnOnce("jdk-httpserver.headers", "could not read an inbound request's deadline; its work runs without one", e);
    }
    // also when the request carries none: the server's pooled threads must not keep an earlier request's
    CurrentDeadline.beginInbound(deadline);
  }

  void exit() {
    CurrentDeadline.exitInbound();
  }
}
