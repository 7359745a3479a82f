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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The seed scenario's app: requests arrive at a steady {@code perSecond} for {@code warmUp} seconds not
 * measured, then {@code seconds} measured, and queue for a fixed pool of {@code threads} request threads (the
 * JDK's unbounded queue); each request calls one of three dependencies in turn (a steady mix, a third each)
 * with one JDK HttpClient. One dependency hangs; the app does not know which. Arrivals keep their schedule
 * whatever the app does (an open loop, as users are): a closed loop of threads calling as fast as they can
 * would measure how fast a full bulkhead says no. Modes:
 *
 * <ul>
 *   <li>{@code plain}: the legacy app, no timeout anywhere (run with and without Levee's agent);
 *   <li>{@code resilience4j}: what a developer would write instead of Levee, by hand with Resilience4j, per
 *       host and with the settings of the benchmark's {@code seed-fixed.yaml}: the request's timeout (the JDK
 *       client's own attempt timeout; a TimeLimiter would need a future per call), Retry with full jitter,
 *       CircuitBreaker, semaphore Bulkhead, in Levee's order (retry outermost, bulkhead innermost).
 * </ul>
 *
 * <p>Prints {@code measuring} when the warm-up ends (the benchmark then makes one dependency hang). Latency
 * runs from a request's scheduled arrival (queueing included). At the end, requests still queued or in flight
 * count as failed with the time they had waited so far. Args:
 * {@code mode seconds threads perSecond warmUp url url url}. Prints {@code KEY value} lines per dependency
 * ({@code dep0.ok ... dep2.p99settled}).
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
    int perSecond = Integer.parseInt(args[3]);
    long warmUpNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[4]));
    URI[] targets = {URI.create(args[5]), URI.create(args[6]), URI.create(args[7])};
    boolean handWritten = mode.equals("resilience4j");
    Call call = handWritten ? handWritten(targets) : plain();
    HttpRequest[] requests = new HttpRequest[targets.length];
    for (int i = 0; i < targets.length; i++) {
      HttpRequest.Builder builder = HttpRequest.newBuilder(targets[i]);
      if (handWritten) {
        builder.timeout(ATTEMPT_TIMEOUT);
      }
      requests[i] = builder.build();
    }

    // the app's request threads: a fixed pool with the JDK's unbounded queue, as most apps have
    ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        r -> {
          Thread t = new Thread(r, "worker");
          t.setDaemon(true);
          return t;
        });
    long period = TimeUnit.SECONDS.toNanos(1) / perSecond;
    long start = System.nanoTime() + warmUpNanos;
    Stats stats = new Stats(targets.length, start + SETTLED_AFTER);
    long end = start + runNanos;
    boolean measuring = false;
    for (long n = 0; ; n++) {
      long arrival = start - warmUpNanos + n * period;
      if (arrival >= end) {
        break;
      }
      if (!measuring && arrival >= start) {
        measuring = true;
        System.out.println("measuring");
      }
      long wait = arrival - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      Request request = new Request((int) (n % targets.length), arrival, arrival >= start);
      stats.arrived(request);
      pool.execute(() -> {
        boolean success;
        try {
          success = call.call(request.target, requests[request.target]);
        } catch (Throwable e) {
          success = false;
          if (VERBOSE && ERRORS_SHOWN[request.target].getAndIncrement() < 3) {
            System.err.println("dep" + request.target + ": " + e);
          }
        }
        stats.completed(request, success, System.nanoTime());
      });
    }
    long now = System.nanoTime();
    if (now < end) {
      LockSupport.parkNanos(end - now);
    }
    stats.report(System.nanoTime());
    System.out.println("millis " + TimeUnit.NANOSECONDS.toMillis(runNanos));
    System.exit(0);
  }

  /** One request the app serves: it calls one dependency. */
  static final class Request {
    final int target;
    final long arrival;
    /** False during the warm-up. */
    final boolean measured;

    Request(int target, long arrival, boolean measured) {
      this.target = target;
      this.arrival = arrival;
      this.measured = measured;
    }
  }

  /** The measured part's first seconds: the change from healthy to hanging, and what each policy does about it. */
  static final long SETTLED_AFTER = TimeUnit.SECONDS.toNanos(5);

  /**
   * Per dependency: successes, failures, latencies from arrival (all, and of requests that arrived once the
   * first {@link #SETTLED_AFTER} were over); what has not completed by the end counts too.
   */
  static final class Stats {
    final long[] ok;
    final long[] failed;
    final List<List<Long>> latencies = new ArrayList<>();
    final List<List<Long>> settledLatencies = new ArrayList<>();
    final long settledFrom;
    final Set<Request> outstanding = new HashSet<>();
    boolean closed;

    Stats(int targets, long settledFrom) {
      this.settledFrom = settledFrom;
      ok = new long[targets];
      failed = new long[targets];
      for (int i = 0; i < targets; i++) {
        latencies.add(new ArrayList<>());
        settledLatencies.add(new ArrayList<>());
      }
    }

    private void latency(Request request, long took) {
      latencies.get(request.target).add(took);
      if (request.arrival >= settledFrom) {
        settledLatencies.get(request.target).add(took);
      }
    }

    synchronized void arrived(Request request) {
      if (request.measured) {
        outstanding.add(request);
      }
    }

    synchronized void completed(Request request, boolean success, long now) {
      if (closed || !request.measured) {
        return;
      }
      outstanding.remove(request);
      (success ? ok : failed)[request.target]++;
      latency(request, now - request.arrival);
    }

    /** Requests still queued or waiting count as failed, with the time they had waited so far. */
    synchronized void report(long end) {
      closed = true;
      for (Request r : outstanding) {
        failed[r.target]++;
        latency(r, end - r.arrival);
      }
      for (int d = 0; d < ok.length; d++) {
        List<Long> sorted = latencies.get(d);
        Collections.sort(sorted);
        System.out.println("dep" + d + ".ok " + ok[d]);
        System.out.println("dep" + d + ".failed " + failed[d]);
        System.out.println("dep" + d + ".p50 " + millis(sorted, 0.50));
        System.out.println("dep" + d + ".p99 " + millis(sorted, 0.99));
        List<Long> settled = settledLatencies.get(d);
        Collections.sort(settled);
        System.out.println("dep" + d + ".p99settled " + millis(settled, 0.99));
      }
    }
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

  /** -Dseed.verbose=true: the first few exceptions of each dependency's calls, on stderr. */
  static final boolean VERBOSE = Boolean.getBoolean("seed.verbose");
  static final AtomicLong[] ERRORS_SHOWN = {new AtomicLong(), new AtomicLong(), new AtomicLong()};

  private SeedScenarioApp() {}
}
