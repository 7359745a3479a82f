package dev.levee.benchmarks;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The seed scenario's app: {@code THREADS} worker threads, each calling three dependencies in turn (a steady
 * mix, a third each) with one JDK HttpClient, for {@code SECONDS}. One dependency hangs; the app does not know
 * which. Modes:
 *
 * <ul>
 *   <li>{@code plain}: the legacy app, no timeout anywhere (run with and without Levee's agent);
 *   <li>{@code resilience4j}: what a developer would write instead of Levee, by hand with Resilience4j, per
 *       host and with Levee's settings of the benchmark's {@code seed-fixed.yaml}: the request's timeout (the JDK
 *       client's own attempt timeout; a TimeLimiter would need a future per call), Retry with full jitter,
 *       CircuitBreaker, semaphore Bulkhead, in Levee's order (retry outermost, bulkhead innermost).
 * </ul>
 *
 * <p>At the end, calls still in flight count as failed with the time they had waited so far. Args:
 * {@code mode seconds threads url url url}. Prints {@code KEY value} lines per dependency
 * ({@code dep0.ok ... dep2.p99}).
 */
public final class SeedScenarioApp {

  // the benchmark's settings, as in benchmarks/backpressure/seed-fixed.yaml
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
  static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(1);
  static final int MAX_ATTEMPTS = 3;
  static final long INITIAL_BACKOFF_MILLIS = 100;
  static final long MAX_BACKOFF_MILLIS = 1000;
  static final int MAX_CONCURRENT_CALLS = 8;

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    long runNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[1]));
    int threads = Integer.parseInt(args[2]);
    URI[] targets = {URI.create(args[3]), URI.create(args[4]), URI.create(args[5])};
    boolean handWritten = mode.equals("resilience4j");
    Call call = handWritten ? handWritten(targets) : plain();

    AtomicLong turn = new AtomicLong();
    Worker[] workers = new Worker[threads];
    long start = System.nanoTime();
    for (int i = 0; i < threads; i++) {
      workers[i] = new Worker(call, targets, handWritten, turn);
      Thread t = new Thread(workers[i], "worker-" + i);
      t.setDaemon(true);
      t.start();
    }
    Thread.sleep(TimeUnit.NANOSECONDS.toMillis(runNanos));
    long end = System.nanoTime();
    for (Worker w : workers) {
      w.stop = true;
    }
    for (int d = 0; d < targets.length; d++) {
      long ok = 0;
      long failed = 0;
      List<Long> latencies = new ArrayList<>();
      for (Worker w : workers) {
        synchronized (w) {
          ok += w.ok[d];
          failed += w.failed[d];
          latencies.addAll(w.latencies.get(d));
          if (w.current == d) {
            failed++;
            latencies.add(end - w.currentStart);
          }
        }
      }
      Collections.sort(latencies);
      System.out.println("dep" + d + ".ok " + ok);
      System.out.println("dep" + d + ".failed " + failed);
      System.out.println("dep" + d + ".p50 " + millis(latencies, 0.50));
      System.out.println("dep" + d + ".p99 " + millis(latencies, 0.99));
    }
    System.out.println("millis " + TimeUnit.NANOSECONDS.toMillis(end - start));
    System.exit(0);
  }

  private static long millis(List<Long> sorted, double quantile) {
    if (sorted.isEmpty()) {
      return -1;
    }
    return TimeUnit.NANOSECONDS.toMillis(sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(quantile * sorted.size()) - 1)));
  }

  /** One call to a dependency; true when it answered 200. */
  interface Call {
    boolean call(int target, HttpRequest request) throws Throwable;
  }

  static Call plain() {
    HttpClient client = HttpClient.newHttpClient();
    return (target, request) -> client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
  }

  /** Levee's full jitter: random(0, min(maxBackoff, initialBackoff * 2^(n-1))), at least 1 ms. */
  static final IntervalFunction FULL_JITTER = attempt -> Math.max(1, (long) (ThreadLocalRandom.current().nextDouble()
      * Math.min(MAX_BACKOFF_MILLIS, INITIAL_BACKOFF_MILLIS << Math.min(20, attempt - 1))));

  /** Resilience4j by hand, one set of instances per host, as its documentation shows. */
  static Call handWritten(URI[] targets) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    List<CheckedCall> perTarget = new ArrayList<>();
    for (URI target : targets) {
      String host = target.getAuthority();
      Retry retry = Retry.of(host, RetryConfig.<HttpResponse<String>>custom()
          .maxAttempts(MAX_ATTEMPTS)
          // full jitter, as Levee's: random(0, min(maxBackoff, initialBackoff * 2^(n-1)))
          .intervalFunction(FULL_JITTER)
          .retryExceptions(IOException.class)
          .retryOnResult(response -> response.statusCode() >= 502 && response.statusCode() <= 504)
          .build());
      CircuitBreaker breaker = CircuitBreaker.of(host, CircuitBreakerConfig.custom()
          .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
          .slidingWindowSize(100)
          .minimumNumberOfCalls(20)
          .failureRateThreshold(50)
          .slowCallDurationThreshold(Duration.ofSeconds(5))
          .slowCallRateThreshold(100)
          .waitDurationInOpenState(Duration.ofSeconds(5))
          .permittedNumberOfCallsInHalfOpenState(3)
          .recordExceptions(IOException.class)
          .ignoreExceptions(BulkheadFullException.class)
          .recordResult(response -> response instanceof HttpResponse && ((HttpResponse<?>) response).statusCode() >= 500)
          .build());
      Bulkhead bulkhead = Bulkhead.of(host, BulkheadConfig.custom()
          .maxConcurrentCalls(MAX_CONCURRENT_CALLS)
          .maxWaitDuration(Duration.ZERO)
          .build());
      perTarget.add(request -> Retry.decorateCheckedSupplier(retry,
          CircuitBreaker.decorateCheckedSupplier(breaker,
              Bulkhead.decorateCheckedSupplier(bulkhead,
                  () -> client.send(request, HttpResponse.BodyHandlers.ofString())))).get());
    }
    return (target, request) -> perTarget.get(target).call(request).statusCode() == 200;
  }

  interface CheckedCall {
    HttpResponse<String> call(HttpRequest request) throws Throwable;
  }

  static final class Worker implements Runnable {
    final Call call;
    final HttpRequest[] requests;
    final AtomicLong turn;
    final long[] ok = new long[3];
    final long[] failed = new long[3];
    final List<List<Long>> latencies = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    int current = -1;
    long currentStart;
    volatile boolean stop;

    Worker(Call call, URI[] targets, boolean attemptTimeout, AtomicLong turn) {
      this.call = call;
      this.turn = turn;
      this.requests = new HttpRequest[targets.length];
      for (int i = 0; i < targets.length; i++) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(targets[i]);
        if (attemptTimeout) {
          builder.timeout(ATTEMPT_TIMEOUT);
        }
        requests[i] = builder.build();
      }
    }

    @Override
    public void run() {
      while (!stop) {
        int target = (int) (turn.getAndIncrement() % requests.length);
        long start = System.nanoTime();
        synchronized (this) {
          current = target;
          currentStart = start;
        }
        boolean success;
        try {
          success = call.call(target, requests[target]);
        } catch (Throwable e) {
          success = false;
        }
        long took = System.nanoTime() - start;
        synchronized (this) {
          current = -1;
          if (stop) {
            return;
          }
          (success ? ok : failed)[target]++;
          latencies.get(target).add(took);
        }
      }
    }
  }

  private SeedScenarioApp() {}
}
