package dev.levee.benchmarks;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * What handing work to another thread costs the thread that hands it over: {@code ThreadPoolExecutor.execute}
 * into the queue of a pool whose one worker is busy (so only the hand-off itself is timed, not the
 * queue's contention with workers), and creating a {@code CompletableFuture} stage on a future not yet
 * complete; each timed outside any request and inside the handler of an HTTP request that carries a
 * deadline (the only case in which Levee wraps the work). Run with and without the agent by
 * {@link HandOffBenchmark}; prints {@code KEY ns-per-hand-off} lines.
 */
public final class HandOffApp {

  static final int TASKS = 200_000;
  static final int ROUNDS = 9;

  public static void main(String[] args) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    StringBuilder inside = new StringBuilder();
    server.createContext("/", exchange -> {
      try {
        inside.append(measure("in-request"));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    server.start();
    System.out.print(measure("no-request"));
    HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"))
            .header("X-Request-Deadline", Long.toString(System.currentTimeMillis() + 600_000)).build(),
        HttpResponse.BodyHandlers.discarding());
    System.out.print(inside);
    System.exit(0);
  }

  /** The best of several rounds (the first ones warm up), in ns per hand-off. */
  static String measure(String where) throws InterruptedException {
    long execute = Long.MAX_VALUE;
    long stage = Long.MAX_VALUE;
    for (int round = 0; round < ROUNDS; round++) {
      execute = Math.min(execute, execute());
      stage = Math.min(stage, stage());
    }
    return where + ".execute " + execute + "\n" + where + ".thenApply " + stage + "\n";
  }

  private static long execute() throws InterruptedException {
    ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
    CountDownLatch busy = new CountDownLatch(1);
    pool.execute(() -> {
      try {
        busy.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    Runnable task = () -> { };
    long start = System.nanoTime();
    for (int i = 0; i < TASKS; i++) {
      pool.execute(task);
    }
    long took = System.nanoTime() - start;
    busy.countDown();
    pool.shutdown();
    pool.awaitTermination(1, TimeUnit.MINUTES);
    return took / TASKS;
  }

  private static long stage() {
    CompletableFuture<Integer> source = new CompletableFuture<>();
    Function<Integer, Integer> plusOne = v -> v + 1;
    long start = System.nanoTime();
    for (int i = 0; i < TASKS; i++) {
      source.thenApply(plusOne);
    }
    long took = System.nanoTime() - start;
    source.complete(1);
    return took / TASKS;
  }

  private HandOffApp() {}
}
