package dev.levee.instrumentation.jdkhttpserver;

import com.sun.net.httpserver.HttpExchange;
import dev.levee.core.Clock;
import dev.levee.core.config.InboundConfig;
import dev.levee.core.deadline.CurrentDeadline;
import dev.levee.core.deadline.DeadlineHeaders;
import dev.levee.core.inbound.InboundAdmission;
import dev.levee.core.inbound.InboundLimits;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;

/**
 * The door of every exchange, at its outermost filter chain: first the deadline of the work it does, the one
 * its headers carry when its TCP peer is trusted ({@code deadline.inbound}), else none (or the default
 * budget); then its admission ({@code inbound}): over its path rule's rate or concurrency limit it is
 * answered 429 or 503 on the spot and no filter or handler of the app runs for it. An admitted exchange's
 * place is given back when its outermost chain returns: a handler that hands the exchange to a thread of its
 * own and answers later is counted only until it returns.
 */
final class InboundExchanges {

  private final DeadlineHeaders deadlineHeaders;
  private final InboundLimits limits;
  private final Clock clock;
  /** The admission of the exchange this thread's outermost chain runs, and the exchange, until it returns. */
  private final ThreadLocal<Object[]> admitted = new ThreadLocal<>();

  InboundExchanges(DeadlineHeaders deadlineHeaders) {
    this(deadlineHeaders, new InboundLimits(InboundConfig.none(), Clock.SYSTEM), Clock.SYSTEM);
  }

  InboundExchanges(DeadlineHeaders deadlineHeaders, InboundLimits limits, Clock clock) {
    this.deadlineHeaders = deadlineHeaders;
    this.limits = limits;
    this.clock = clock;
  }

  /** Null: the exchange runs on. Non-null: it was shed, answered already, and the chain returns at once. */
  Object enter(Object exchange) {
    boolean outermost = !CurrentDeadline.inInbound();
    // also when the request carries none: the server's pooled threads must not keep an earlier request's
    CurrentDeadline.enterInbound(() -> {
      HttpExchange e = (HttpExchange) exchange;
      return deadlineHeaders.inbound(e.getRequestHeaders()::getFirst, () -> peer(e), System.currentTimeMillis());
    }, "jdk-httpserver.headers");
    if (!outermost || !limits.limitsAnything()) {
      return null;
    }
    HttpExchange e = (HttpExchange) exchange;
    InboundAdmission admission = limits.admit(path(e.getRequestURI()), CurrentDeadline.get());
    if (admission.isAdmitted()) {
      admitted.set(new Object[] {admission, e});
      return null;
    }
    CurrentDeadline.exitInbound();
    answer(e, admission);
    return Boolean.TRUE;
  }

  void exit() {
    CurrentDeadline.exitInbound();
    if (CurrentDeadline.inInbound()) {
      return;
    }
    Object[] held = admitted.get();
    if (held != null) {
      admitted.remove();
      HttpExchange e = (HttpExchange) held[1];
      ((InboundAdmission) held[0]).release(e.getResponseCode() >= 500, clock.nanoTime());
    }
  }

  /** The decoded path, as the app's contexts are matched by it; {@code /} for an odd target such as {@code *}. */
  static String path(URI uri) {
    String path = uri == null ? null : uri.getPath();
    return path == null || path.isEmpty() ? "/" : path;
  }

  /**
   * The shed answer: status, {@code Retry-After}, a one-line body. A client gone meanwhile changes nothing: the
   * exchange is closed all the same and the app's handler still never runs for it.
   */
  static void answer(HttpExchange e, InboundAdmission admission) {
    try {
      byte[] body = admission.body();
      e.getResponseHeaders().set("Retry-After", Long.toString(admission.retryAfterSeconds()));
      e.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      if ("HEAD".equalsIgnoreCase(e.getRequestMethod())) {
        e.sendResponseHeaders(admission.status(), -1); // a HEAD answer has no body; the server warns at a length
        return;
      }
      e.sendResponseHeaders(admission.status(), body.length);
      try (OutputStream out = e.getResponseBody()) {
        out.write(body);
      }
    } catch (IOException | RuntimeException clientGone) {
      // nothing to tell anyone: the client left, or the response had begun (it cannot have: no handler ran)
    } finally {
      e.close();
    }
  }

  /** The TCP peer's IP address as the server reports it; read only when not every peer is trusted. */
  private static String peer(HttpExchange exchange) {
    InetSocketAddress remote = exchange.getRemoteAddress();
    return remote == null || remote.getAddress() == null ? null : remote.getAddress().getHostAddress();
  }
}
