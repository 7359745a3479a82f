package dev.levee.instrumentation.jdkhttpserver;

import com.sun.net.httpserver.HttpExchange;
import dev.levee.core.deadline.CurrentDeadline;
import dev.levee.core.deadline.DeadlineHeaders;

/** Sets the deadline of the work an exchange does, for as long as its outermost filter chain runs. */
final class InboundExchanges {

  private final DeadlineHeaders deadlineHeaders;

  InboundExchanges(DeadlineHeaders deadlineHeaders) {
    this.deadlineHeaders = deadlineHeaders;
  }

  void enter(Object exchange) {
    // also when the request carries none: the server's pooled threads must not keep an earlier request's
    CurrentDeadline.enterInbound(() -> deadlineHeaders.inbound(
        ((HttpExchange) exchange).getRequestHeaders()::getFirst, System.currentTimeMillis()), "jdk-httpserver.headers");
  }

  void exit() {
    CurrentDeadline.exitInbound();
  }
}
