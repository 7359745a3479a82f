package dev.levee.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The example service, as an operator would find it: a JDK HttpServer with 16 worker threads and the
 * JDK's unbounded queue ({@code Executors.newFixedThreadPool(16)}), 200 ms of work per request at {@code /work}.
 * Capacity: 16 / 0.2 s = 80 requests a second. Prints "listening PORT", then serves until killed.
 */
public final class OverloadedServiceApp {

  private OverloadedServiceApp() {}

  public static void main(String[] args) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4096);
    server.setExecutor(Executors.newFixedThreadPool(16));
    server.createContext("/work", exchange -> {
      try {
        Thread.sleep(200);
        reply(exchange, 200, "done");
      } catch (InterruptedException e) {
        reply(exchange, 500, "interrupted");
      }
    });
    server.start();
    System.out.println("listening " + server.getAddress().getPort());
    System.out.flush();
    Thread.currentThread().join();
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
