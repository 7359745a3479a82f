package dev.levee.benchmarks;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a hand-off to another thread costs: {@code ThreadPoolExecutor.execute} of empty tasks and a
 * {@code CompletableFuture.supplyAsync().thenApply()} chain, each timed outside any request and inside the
 * handler of an HTTP request that carries a deadline (the only case in which Levee wraps the task). Run
 * with and without the agent by {@link HandOffBenchmark}; prints {@code KEY ns-per-hand-off} lines.
 */
public final class HandOffApp {

  static final int TASKS = 200_000;
  static final int ROUNDS = 7;

  public static void main(String[] args) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    StringBuilder inside = new StringBuilder();
    server.createContext("/", exchange -> {
      try {
        inside.append(measure(pool, "in-request"));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    server.start();
    System.out.print(measure(pool, "no-request"));
    HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"))
            .header("X-Request-Deadline", Long.toString(System.currentTimeMillis() + 600_000)).build(),
        HttpResponse.BodyHandlers.discarding());
    System.out.print(inside);
    System.exit(0);
  }

  /** The best of several rounds (the first ones warm up), in ns per hand-off. */
  static String measure(ExecutorService pool, String where) throws InterruptedException {
    long execute = Long.MAX_VALUE;
    long future = Long.MAX_VALUE;
    for (int round = 0; round < ROUNDS; round++) {
      execute = Math.min(execute, execute(pool));
      future = Math.min(future, completableFuture(pool));
    }
    return where + ".execute " + execute + "\n" + where + ".completableFuture " + future + "\n";
  }

  private static long execute(ExecutorService pool) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(TASKS);
    Runnable task = done::countDown;
    long start = System.nanoTime();
    for (int i = 0; i < TASKS; i++) {
      pool.execute(task);
    }
    done.await();
    return (System.nanoTime() - start) / TASKS;
  }

  private static long completableFuture(ExecutorService pool) {
    AtomicLong sum = new AtomicLong();
    int chains = TASKS / 10;
    long start = System.nanoTime();
    CompletableFuture<?>[] all = new CompletableFuture<?>[chains];
    for (int i = 0; i < chains; i++) {
      int n = i;
      all[i] = CompletableFuture.supplyAsync(() -> n, pool).thenApply(v -> sum.addAndGet(v));
    }
    CompletableFuture.allOf(all).join();
    return (System.nanoTime() - start) / chains;
  }

  private HandOffApp() {}
}
