package dev.levee.instrumentation.jdkhttpserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.levee.core.Clock;
import dev.levee.core.config.ConfigLoader;
import dev.levee.core.config.DeadlineConfig;
import dev.levee.core.deadline.DeadlineHeaders;
import dev.levee.core.inbound.InboundLimits;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real server whose handler calls the hooks where the woven outermost {@code Filter.Chain.doFilter} would,
 * returning at once when the entry answers: what a shed exchange's client sees, and that the handler never
 * ran for it.
 */
class InboundSheddingTest {

  final CountDownLatch release = new CountDownLatch(1);
  final CountDownLatch busy = new CountDownLatch(1);
  final AtomicInteger handled = new AtomicInteger();
  final ExecutorService workers = Executors.newFixedThreadPool(4);
  final HttpClient client = HttpClient.newHttpClient();
  HttpServer server;

  void start(String... yaml) throws Exception {
    InboundLimits limits = new InboundLimits(
        ConfigLoader.parse(String.join("\n", yaml) + "\n", "resilience.yaml").inbound(), Clock.SYSTEM);
    InboundExchanges exchanges =
        new InboundExchanges(new DeadlineHeaders(DeadlineConfig.defaults()), limits, Clock.SYSTEM);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(workers);
    server.createContext("/", exchange -> {
      if (exchanges.enter(exchange) != null) {
        return;
      }
      try {
        handled.incrementAndGet();
        if (exchange.getRequestURI().getPath().equals("/slow")) {
          busy.countDown();
          release.await(10, TimeUnit.SECONDS);
        }
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        exchanges.exit();
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
    workers.shutdownNow();
  }

  HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void overTheLimitTheClientGets503WithRetryAfterAndTheHandlerNeverRuns() throws Exception {
    start("inbound:", "  defaults:", "    concurrency: { maxConcurrentRequests: 1 }", "  paths:",
        "    \"/health\": { concurrency: none }");
    CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> {
      try {
        return get("/slow");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertTrue(busy.await(10, TimeUnit.SECONDS));

    HttpResponse<String> shed = get("/work?x=1");
    assertEquals(503, shed.statusCode());
    assertEquals("1", shed.headers().firstValue("Retry-After").orElse(null));
    assertEquals("levee: over the concurrency limit of this service (1 requests at once); retry later\n", shed.body());
    HttpResponse<String> head = client.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/work")).method("HEAD",
        HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(503, head.statusCode());
    assertEquals("1", head.headers().firstValue("Retry-After").orElse(null));
    assertEquals(204, get("/health").statusCode(), "exempt");
    assertEquals(2, handled.get(), "/slow and /health only");

    release.countDown();
    assertEquals(204, slow.get(10, TimeUnit.SECONDS).statusCode());
    assertEquals(204, get("/work").statusCode(), "the place came back when the slow exchange ended");
    assertEquals(3, handled.get());
  }

  @Test
  void withoutAnInboundSectionEveryExchangeRuns() throws Exception {
    start("http: {}");
    release.countDown();
    for (int i = 0; i < 5; i++) {
      assertEquals(204, get("/slow").statusCode());
    }
    assertEquals(5, handled.get());
  }
}
