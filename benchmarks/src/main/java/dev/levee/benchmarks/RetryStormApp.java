package dev.levee.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The retry storm's app, unmodified as a legacy app is: {@code CALLS} GETs over a few threads with the JDK
 * HttpClient to a dependency that fails every one, then the same number to a flaky one (one answer in three
 * a 503), each phase timed. It prints what it saw; what reached the dependency is counted by the server.
 *
 * <p>Args: {@code failingUrl flakyUrl calls threads}. Prints {@code KEY value} lines.
 */
public final class RetryStormApp {

  public static void main(String[] args) throws Exception {
    int calls = Integer.parseInt(args[2]);
    int threads = Integer.parseInt(args[3]);
    HttpClient client = HttpClient.newHttpClient();
    phase("failing", client, URI.create(args[0]), calls, threads);
    phase("flaky", client, URI.create(args[1]), calls, threads);
    System.exit(0);
  }

  private static void phase(String name, HttpClient client, URI uri, int calls, int threads) throws Exception {
    AtomicInteger next = new AtomicInteger();
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      pool.execute(() -> {
        HttpRequest request = HttpRequest.newBuilder(uri).build();
        while (next.getAndIncrement() < calls) {
          try {
            int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            (status == 200 ? ok : failed).incrementAndGet();
          } catch (Exception e) {
            errors.incrementAndGet();
          }
        }
      });
    }
    pool.shutdown();
    pool.awaitTermination(10, TimeUnit.MINUTES);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    System.out.println(name + ".ok " + ok.get());
    System.out.println(name + ".failed " + failed.get());
    System.out.println(name + ".errors " + errors.get());
    System.out.println(name + ".millis " + millis);
  }

  private RetryStormApp() {}
}
