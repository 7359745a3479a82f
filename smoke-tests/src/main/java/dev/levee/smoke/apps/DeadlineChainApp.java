package dev.levee.smoke.apps;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/**
 * Three ordinary services of a call chain, knowing nothing of Levee; each runs in its own JVM.
 *
 * <pre>
 *   client --url URL            A: one GET (after a warm-up GET of /warm on the same server, so the timed
 *                                  call is not a cold JVM's first); prints "result status=S ms=M" or
 *                                  "result error=TYPE ms=M"
 *   relay --next URL            B: serves /order?Q by handing the call to C (GET next/work?Q) to a thread
 *                                  pool and waiting for it; 502 when that call fails. Every 100 ms, unrelated
 *                                  work (GET next/ping) goes through the same one-thread pool.
 *   worker --next URL --steps N C: serves /work?mode=sleep by sleeping 5 s (slow work of its own), and
 *           [--db JDBC-URL]        /work?mode=steps&client=okhttp|apache|jdbc by N sequential steps, stopping
 *                                  at the first failure: a GET of next/step with OkHttp or Apache HttpClient 5
 *                                  (classic), or a 300 ms query (PostgreSQL's pg_sleep); serves /ping.
 * </pre>
 *
 * Servers print "listening PORT" once they accept, and "inbound PATH DEADLINE-HEADER-VALUE" per request
 * (X-Request-Deadline or X-Request-Timeout-Ms, whichever came).
 */
public final class DeadlineChainApp {

  private DeadlineChainApp() {}

  public static void main(String[] args) throws Exception {
    String role = args[0];
    String url = args[2];
    switch (role) {
      case "client":
        client(url);
        break;
      case "relay":
        relay(url);
        break;
      default:
        worker(url, Integer.parseInt(args[4]), args.length > 6 ? args[6] : null);
    }
  }

  private static void client(String url) {
    HttpClient client = HttpClient.newHttpClient();
    try {
      URI warm = URI.create(url).resolve("/warm");
      client.send(HttpRequest.newBuilder(warm).build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      System.out.println("warm-up failed: " + e);
    }
    long start = System.nanoTime();
    try {
      int status = client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
          .statusCode();
      System.out.println("result status=" + status + " ms=" + (System.nanoTime() - start) / 1_000_000);
    } catch (Exception e) {
      System.out.println("result error=" + e.getClass().getName() + " ms=" + (System.nanoTime() - start) / 1_000_000);
    }
    System.exit(0);
  }

  private static void relay(String next) throws IOException {
    HttpClient client = HttpClient.newHttpClient();
    ExecutorService pool = Executors.newFixedThreadPool(1);
    HttpServer server = server();
    server.createContext("/order", exchange -> {
      inbound(exchange);
      long start = System.nanoTime();
      String work = next + "/work?" + exchange.getRequestURI().getQuery();
      Future<Integer> call = pool.submit(() -> client.send(
          HttpRequest.newBuilder(URI.create(work)).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
      try {
        int status = call.get();
        ExchangeReplies.reply(exchange, status, "C answered " + status);
      } catch (ExecutionException e) {
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.println("relay gave up on C after " + ms + "ms at=" + System.currentTimeMillis() + ": " + e.getCause());
        ExchangeReplies.reply(exchange, 502, "C failed: " + e.getCause());
      } catch (InterruptedException e) {
        ExchangeReplies.reply(exchange, 500, "interrupted");
      }
    });
    server.createContext("/warm", exchange -> ExchangeReplies.reply(exchange, 204, null));
    ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
    ticks.scheduleAtFixedRate(() -> pool.execute(() -> {
      try {
        client.send(HttpRequest.newBuilder(URI.create(next + "/ping")).build(), HttpResponse.BodyHandlers.discarding());
      } catch (Exception e) {
        System.out.println("ping failed: " + e);
      }
    }), 100, 100, TimeUnit.MILLISECONDS);
    start(server);
  }

  private static void worker(String next, int steps, String db) throws IOException {
    OkHttpClient okHttp = new OkHttpClient();
    CloseableHttpClient apache = HttpClients.createDefault();
    HttpServer server = server();
    server.createContext("/work", exchange -> {
      inbound(exchange);
      long start = System.nanoTime();
      if ("mode=sleep".equals(exchange.getRequestURI().getQuery())) {
        try {
          Thread.sleep(5_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        ExchangeReplies.reply(exchange, 200, "slept");
        return;
      }
      int done = 0;
      String stoppedBy = "nothing";
      String query = exchange.getRequestURI().getQuery();
      String client = query.substring(query.indexOf("client=") + "client=".length());
      for (int i = 0; i < steps; i++) {
        try {
          step(client, next + "/step", okHttp, apache, db);
          done++;
        } catch (Exception e) {
          stoppedBy = e.getClass().getName();
          break;
        }
      }
      System.out.println("worker steps=" + done + " stoppedBy=" + stoppedBy + " ms=" + (System.nanoTime() - start) / 1_000_000);
      ExchangeReplies.reply(exchange, 200, "steps " + done);
    });
    server.createContext("/ping", exchange -> {
      inbound(exchange);
      ExchangeReplies.reply(exchange, 204, null);
    });
    start(server);
  }

  private static void step(String client, String url, OkHttpClient okHttp, CloseableHttpClient apache, String db)
      throws Exception {
    switch (client) {
      case "okhttp":
        try (Response r = okHttp.newCall(new Request.Builder().url(url).build()).execute()) {
          r.body().string();
        }
        break;
      case "apache":
        apache.execute(new HttpGet(url), response -> EntityUtils.toString(response.getEntity()));
        break;
      default:
        try (Connection c = DriverManager.getConnection(db, "postgres", "");
            Statement s = c.createStatement()) {
          s.execute("SELECT pg_sleep(0.3)");
        }
    }
  }

  private static HttpServer server() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    return server;
  }

  private static void start(HttpServer server) {
    server.start();
    System.out.println("listening " + server.getAddress().getPort());
  }

  private static void inbound(HttpExchange exchange) {
    String deadline = exchange.getRequestHeaders().getFirst("X-Request-Deadline");
    String timeout = exchange.getRequestHeaders().getFirst("X-Request-Timeout-Ms");
    System.out.println("inbound " + exchange.getRequestURI().getPath() + " "
        + (deadline != null ? "deadline=" + deadline : "timeout=" + timeout) + " at=" + System.currentTimeMillis());
  }
}
