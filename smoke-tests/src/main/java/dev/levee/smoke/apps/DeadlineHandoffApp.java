package dev.levee.smoke.apps;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An ordinary service, knowing nothing of Levee, that hands the work of a request to other threads in
 * every usual way; each piece of work calls a backend with {@code java.net.http.HttpClient}.
 *
 * <pre>
 *   --backend URL       each piece of work GETs URL/NAME, NAME being how it was handed over
 *   --deadline MILLIS   the X-Request-Deadline of the one request the app sends itself
 * </pre>
 *
 * The app serves {@code /work} with the JDK's HttpServer, then sends itself one request carrying the
 * deadline (with HttpURLConnection, whose instrumentation the test switches off). The handler hands work
 * over by {@code submit} and {@code execute} of a one-thread pool, {@code schedule} of a one-thread scheduler,
 * {@code submit} to a one-thread ForkJoinPool, {@code supplyAsync}, {@code thenApplyAsync} and
 * {@code thenApply} on a future that a thread of the app's own completes later, and on JDK 21+ a virtual
 * thread and a virtual-thread-per-task executor; it also starts a periodic task. After the reply, the
 * main thread hands unrelated work ({@code after-*}) to the same threads; the periodic task keeps
 * ticking. Prints "handoff NAME status=S" per piece of work, "virtual-threads yes|no", then "done".
 */
public final class DeadlineHandoffApp {

  private final HttpClient client = HttpClient.newHttpClient();
  private final String backend;
  private final ExecutorService pool = Executors.newFixedThreadPool(1);
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
  private final ForkJoinPool forkJoin = new ForkJoinPool(1);
  /** Futures the app's own completer thread completes, later, outside any request. */
  private final BlockingQueue<CompletableFuture<String>> toComplete = new LinkedBlockingQueue<>();
  private final AtomicInteger ticks = new AtomicInteger();

  private DeadlineHandoffApp(String backend) {
    this.backend = backend;
  }

  public static void main(String[] args) throws Exception {
    String backend = args[1];
    long deadline = Long.parseLong(args[3]);
    new DeadlineHandoffApp(backend).run(deadline);
  }

  private void run(long deadline) throws Exception {
    Thread completer = new Thread(() -> {
      try {
        while (true) {
          toComplete.take().complete("go");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "completer");
    completer.setDaemon(true);
    completer.start();

    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.createContext("/work", this::serve);
    server.start();

    HttpURLConnection inbound = (HttpURLConnection)
        new URL("http://127.0.0.1:" + server.getAddress().getPort() + "/work").openConnection();
    inbound.setRequestProperty("X-Request-Deadline", Long.toString(deadline));
    int status = inbound.getResponseCode();
    try (InputStream body = status < 400 ? inbound.getInputStream() : inbound.getErrorStream()) {
      System.out.println("inbound status=" + status + " body=" + new String(body.readAllBytes(), StandardCharsets.UTF_8));
    }

    // unrelated work, handed over by a thread without a deadline to the threads that ran the request's
    report("after-submit", pool.submit(() -> get("after-submit")));
    report("after-schedule", scheduler.schedule(() -> get("after-schedule"), 1, TimeUnit.MILLISECONDS));
    report("after-forkjoin", forkJoin.submit(() -> get("after-forkjoin")));
    CompletableFuture<String> later = new CompletableFuture<>();
    CompletableFuture<Integer> afterCompleter = later.thenApply(x -> get("after-completer"));
    toComplete.put(later);
    report("after-completer", afterCompleter);
    // two more ticks of the periodic task, which the request started
    int seen = ticks.get();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (ticks.get() < seen + 2 && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    System.out.println("done");
    System.out.flush();
    System.exit(0);
  }

  private void serve(HttpExchange exchange) throws IOException {
    Map<String, Future<Integer>> work = new LinkedHashMap<>();
    try {
      work.put("submit", pool.submit(() -> get("submit")));
      CompletableFuture<Integer> executed = new CompletableFuture<>();
      pool.execute(() -> executed.complete(get("execute")));
      work.put("execute", executed);
      work.put("schedule", scheduler.schedule(() -> get("schedule"), 10, TimeUnit.MILLISECONDS));
      work.put("forkjoin", forkJoin.submit(() -> get("forkjoin")));
      work.put("supplyAsync", CompletableFuture.supplyAsync(() -> get("supplyAsync")));
      CompletableFuture<String> source = new CompletableFuture<>();
      work.put("thenApplyAsync", source.thenApplyAsync(x -> get("thenApplyAsync")));
      work.put("thenApply", source.thenApply(x -> get("thenApply")));
      toComplete.put(source);
      virtualThreads(work);
      // started by the request, outlives it: ticks on the scheduler's thread
      scheduler.scheduleAtFixedRate(() -> {
        get("periodic");
        ticks.incrementAndGet();
      }, 0, 100, TimeUnit.MILLISECONDS);

      StringBuilder body = new StringBuilder();
      for (Map.Entry<String, Future<Integer>> w : work.entrySet()) {
        body.append(w.getKey()).append('=').append(report(w.getKey(), w.getValue())).append(' ');
      }
      ExchangeReplies.reply(exchange, 200, body.toString().trim());
    } catch (Exception e) {
      ExchangeReplies.reply(exchange, 500, e.toString());
    }
  }

  /** JDK 21+ only, by reflection: the app is compiled for an older Java. */
  private void virtualThreads(Map<String, Future<Integer>> work) throws Exception {
    Method start;
    try {
      start = Thread.class.getMethod("startVirtualThread", Runnable.class);
    } catch (NoSuchMethodException e) {
      System.out.println("virtual-threads no");
      return;
    }
    System.out.println("virtual-threads yes");
    CompletableFuture<Integer> onVirtual = new CompletableFuture<>();
    start.invoke(null, (Runnable) () -> onVirtual.complete(get("virtual-thread")));
    work.put("virtual-thread", onVirtual);
    ExecutorService perTask = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    work.put("virtual-executor", perTask.submit(() -> get("virtual-executor")));
    perTask.shutdown();
  }

  /** GET backend/NAME; the status, or -1 when the call failed. */
  private int get(String name) {
    try {
      return client.send(HttpRequest.newBuilder(URI.create(backend + "/" + name)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      System.out.println("call " + name + " failed: " + e);
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static int report(String name, Future<Integer> result) {
    int status;
    try {
      status = result.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.out.println("handoff " + name + " failed: " + e);
      return -1;
    }
    System.out.println("handoff " + name + " status=" + status);
    return status;
  }
}
