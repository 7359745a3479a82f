package dev.levee.demo;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The demo's second "legacy app": a checkout service in the middle of a call chain. For each
 * {@code /checkout} it hands a stock reservation (GET inventory {@code /reserve}) to its worker pool and
 * waits for it, with no timeout of its own. It knows nothing of Levee or of its caller's deadline.
 *
 * <p>Prints "listening PORT" once it accepts, then per request {@code SERVED status=S ms=M}: how long it
 * worked on the request.
 */
public final class CheckoutService {

  public static void main(String[] args) throws Exception {
    String inventory = args[0];
    HttpClient client = HttpClient.newHttpClient();
    ExecutorService workers = Executors.newFixedThreadPool(4);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.createContext("/checkout", exchange -> {
      long start = System.nanoTime();
      Future<Integer> reservation = workers.submit(() -> client.send(
          HttpRequest.newBuilder(URI.create(inventory + "/reserve")).build(), HttpResponse.BodyHandlers.ofString())
          .statusCode());
      int status;
      String body;
      try {
        status = reservation.get() == 200 ? 200 : 502;
        body = "reserved";
      } catch (ExecutionException e) {
        status = 502;
        body = "inventory failed: " + e.getCause();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        status = 500;
        body = "interrupted";
      }
      System.out.println("SERVED status=" + status + " ms=" + (System.nanoTime() - start) / 1_000_000);
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      try {
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
      } catch (java.io.IOException callerGone) {
        // the caller stopped waiting long ago
      }
      exchange.close();
    });
    server.start();
    System.out.println("listening " + server.getAddress().getPort());
  }

  private CheckoutService() {}
}
