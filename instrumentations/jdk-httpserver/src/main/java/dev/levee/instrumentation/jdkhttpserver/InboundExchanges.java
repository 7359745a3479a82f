package dev.levee.instrumentation.jdkhttpserver;

import com.sun.net.httpserver.HttpExchange;
import dev.levee.core.deadline.CurrentDeadline;
import dev.levee.core.deadline.DeadlineHeaders;
import java.net.InetSocketAddress;

/**
 * Sets the deadline of the work an exchange does, for as long as its outermost filter chain runs: the one
 * its headers carry when its TCP peer is trusted ({@code deadline.inbound}), else none (or the default budget).
 */
final class InboundExchanges {

  private final DeadlineHeaders deadlineHeaders;

  InboundExchanges(DeadlineHeaders deadlineHeaders) {
    this.deadlineHeaders = deadlineHeaders;
  }

  /** Always null: the exchange runs on; only the thread's deadline changes. */
  Object enter(Object exchange) {
    // also when the request carries none: the server's pooled threads must not keep an earlier request's
    CurrentDeadline.enterInbound(() -> {
      HttpExchange e = (HttpExchange) exchange;
      return deadlineHeaders.inbound(e.getRequestHeaders()::getFirst, () -> peer(e), System.currentTimeMillis());
    }, "jdk-httpserver.headers");
    return null;
  }

  /** The TCP peer's IP address as the server reports it; read only when not every peer is trusted. */
  private static String peer(HttpExchange exchange) {
    InetSocketAddress remote = exchange.getRemoteAddress();
    return remote == null || remote.getAddress() == null ? null : remote.getAddress().getHostAddress();
  }

  void exit() {
    CurrentDeadline.exitInbound();
  }
}
