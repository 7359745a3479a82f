package dev.levee.instrumentation.jdkhttpserver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import dev.levee.core.config.CidrBlock;
import dev.levee.core.config.DeadlineConfig;
import dev.levee.core.deadline.CurrentDeadline;
import dev.levee.core.deadline.DeadlineHeaders;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real server and real exchanges; the hooks are called where the woven {@code Filter.Chain.doFilter}
 * would call them: around the app's handler, twice nested (the server's chain, then the app's).
 */
class InboundExchangesTest {

  InboundExchanges exchanges = new InboundExchanges(
      new DeadlineHeaders(DeadlineConfig.defaults().withReplyMargin(Duration.ofMillis(20))));
  final List<Long> seen = new CopyOnWriteArrayList<>();
  final List<Long> afterwards = new CopyOnWriteArrayList<>();
  HttpServer server;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newSingleThreadExecutor());
    server.createContext("/", exchange -> {
      exchanges.enter(exchange);
      try {
        exchanges.enter(exchange);
        try {
          seen.add(CurrentDeadline.get());
        } finally {
          exchanges.exit();
        }
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
      } finally {
        exchanges.exit();
        afterwards.add(CurrentDeadline.get());
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  void get(String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.discarding());
  }

  @Test
  void theOutermostChainSetsTheRequestsDeadlineLessTheMarginAndRestoresNoneAfter() throws Exception {
    long deadline = System.currentTimeMillis() + 5_000;
    get("X-Request-Deadline", Long.toString(deadline));
    get();
    get("grpc-timeout", "100S");
    assertEquals(deadline - 20, seen.get(0));
    assertEquals(CurrentDeadline.NONE, seen.get(1), "a request without a deadline has none, on the same pooled thread");
    long grpc = seen.get(2) - System.currentTimeMillis();
    assertEquals(true, grpc > 90_000 && grpc <= 100_000, "grpc-timeout 100S: " + grpc + " ms left");
    // the client has its answer before the server's thread leaves the handler: wait for that thread
    long end = System.nanoTime() + 5_000_000_000L;
    while (afterwards.size() < 3 && System.nanoTime() < end) {
      Thread.sleep(5);
    }
    assertEquals(List.of(CurrentDeadline.NONE, CurrentDeadline.NONE, CurrentDeadline.NONE), afterwards);
  }

  /** The exchanges come from 127.0.0.1, the server's report of their TCP peer. */
  @Test
  void onlyATrustedPeersDeadlineIsRead() throws Exception {
    long deadline = System.currentTimeMillis() + 5_000;
    exchanges = new InboundExchanges(new DeadlineHeaders(DeadlineConfig.defaults().withReplyMargin(Duration.ofMillis(20))
        .withTrustedPeers(List.of(CidrBlock.parse("10.0.0.0/8"), CidrBlock.parse("::1")))));
    get("X-Request-Deadline", "0");
    get("X-Request-Deadline", Long.toString(deadline));
    exchanges = new InboundExchanges(new DeadlineHeaders(DeadlineConfig.defaults().withReplyMargin(Duration.ofMillis(20))
        .withTrustedPeers(List.of(CidrBlock.parse("127.0.0.1")))));
    get("X-Request-Deadline", Long.toString(deadline));
    exchanges = new InboundExchanges(new DeadlineHeaders(DeadlineConfig.defaults().withInboundEnabled(false)));
    get("X-Request-Deadline", Long.toString(deadline));
    assertEquals(List.of(CurrentDeadline.NONE, CurrentDeadline.NONE, deadline - 20, CurrentDeadline.NONE), seen);
  }

  @Test
  void aNonExchangeFailsOpenWithNoDeadline() {
    CurrentDeadline.swap(7);
    try {
      exchanges.enter("not an exchange");
      assertEquals(CurrentDeadline.NONE, CurrentDeadline.get());
      exchanges.exit();
      assertEquals(7, CurrentDeadline.get());
    } finally {
      CurrentDeadline.restore(CurrentDeadline.NONE);
    }
  }
}
