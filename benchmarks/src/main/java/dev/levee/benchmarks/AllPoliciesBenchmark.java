package dev.levee.benchmarks;

import dev.levee.core.Clock;
import dev.levee.core.RandomSource;
import dev.levee.core.Target;
import dev.levee.core.config.ConfigLoader;
import dev.levee.core.pipeline.Attempt;
import dev.levee.core.pipeline.CallPipeline;
import dev.levee.core.pipeline.CallSpec;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.functions.CheckedSupplier;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 13 (d): what the pipeline adds to one call with every policy on, backpressure included (deadline,
 * retry with its budget, breaker, rate limiter with a limit it never reaches, adaptive bulkhead), around an
 * attempt that costs nothing (a healthy 200); beside it, the same call wrapped by hand in Resilience4j
 * (Retry, CircuitBreaker, RateLimiter, semaphore Bulkhead, with SeedScenarioApp's settings, decorated per call
 * as a call site that has a request to send does). The configuration is read from YAML like the agent's, so
 * {@code policies=before13} measures the same pipeline with only the policies before issue 13
 * ({@code -p policies=all} runs only the first).
 *
 * <p>Run: {@code java -jar benchmarks/target/levee-benchmarks.jar AllPoliciesBenchmark -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AllPoliciesBenchmark {

  /** Every policy: a deadline (timeout.total), the default budget, a rate limit never reached, AIMD. */
  static final String ALL = String.join("\n",
      "http:",
      "  defaults:",
      "    timeout: { total: 30s }",
      "    retry: { budget: { ratio: 0.2, minRetriesPerSecond: 10, ttl: 10s } }",
      "    rateLimiter: { limitForPeriod: 1000000000, limitRefreshPeriod: 1s, timeoutDuration: 0ms }",
      "    bulkhead: { type: adaptive }",
      "");
  /** The policies before issue 13: PipelineBenchmark's. */
  static final String BEFORE_13 = String.join("\n",
      "http:",
      "  defaults:",
      "    timeout: { total: 30s }",
      "");

  static final Integer OK = 200;

  /** Levee's pipeline; its parameter applies to Levee's benchmarks only. */
  @State(Scope.Benchmark)
  public static class Levee {
    @Param({"all", "before13"})
    public String policies;

    CallPipeline pipeline;
    ScheduledExecutorService timer;
    final CallSpec call = new CallSpec(Target.of("api.example.com", 443), "GET", false, true, CallSpec.NO_DEADLINE);
    final Attempt<Integer> healthy = attempt -> OK;
    final PipelineBenchmark.StatusOutcomes outcomes = new PipelineBenchmark.StatusOutcomes();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      timer = Executors.newSingleThreadScheduledExecutor();
      String yaml = policies.equals("all") ? ALL : policies.equals("before13") ? BEFORE_13 : null;
      if (yaml == null) {
        throw new IllegalArgumentException("policies: all or before13, not " + policies);
      }
      pipeline = new CallPipeline(ConfigLoader.parse(yaml, "AllPoliciesBenchmark " + policies).http(), Clock.SYSTEM,
          RandomSource.SYSTEM, timer);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      timer.shutdownNow();
    }
  }

  /** Resilience4j by hand, with SeedScenarioApp's settings and Levee's order. */
  @State(Scope.Benchmark)
  public static class HandWritten {
    Retry retry;
    CircuitBreaker breaker;
    RateLimiter rateLimiter;
    Bulkhead bulkhead;
    final CheckedSupplier<Integer> send = () -> OK;

    @Setup(Level.Trial)
    public void setUp() {
      retry = Retry.of("api.example.com", RetryConfig.<Integer>custom()
          .maxAttempts(3)
          .intervalFunction(SeedScenarioApp.FULL_JITTER)
          .retryExceptions(IOException.class)
          .retryOnResult(status -> status >= 502 && status <= 504)
          .build());
      breaker = CircuitBreaker.of("api.example.com", CircuitBreakerConfig.custom()
          .slidingWindowSize(100)
          .minimumNumberOfCalls(20)
          .failureRateThreshold(50)
          .slowCallDurationThreshold(Duration.ofSeconds(5))
          .waitDurationInOpenState(Duration.ofSeconds(30))
          .recordExceptions(IOException.class)
          .ignoreExceptions(BulkheadFullException.class)
          .recordResult(status -> status instanceof Integer && (Integer) status >= 500)
          .build());
      rateLimiter = RateLimiter.of("api.example.com", RateLimiterConfig.custom()
          .limitForPeriod(1_000_000_000)
          .limitRefreshPeriod(Duration.ofSeconds(1))
          .timeoutDuration(Duration.ZERO)
          .build());
      bulkhead = Bulkhead.of("api.example.com", BulkheadConfig.custom()
          .maxConcurrentCalls(64)
          .maxWaitDuration(Duration.ZERO)
          .build());
    }

    /** Resilience4j's recommended order, Levee's too: retry outermost, then breaker, rate limiter, bulkhead. */
    Integer call() throws Throwable {
      return Retry.decorateCheckedSupplier(retry,
          CircuitBreaker.decorateCheckedSupplier(breaker,
              RateLimiter.decorateCheckedSupplier(rateLimiter,
                  Bulkhead.decorateCheckedSupplier(bulkhead, send)))).get();
    }
  }

  @Benchmark
  @Threads(1)
  public Integer levee(Levee levee) throws Exception {
    return levee.pipeline.execute(levee.call, levee.healthy, levee.outcomes);
  }

  @Benchmark
  @Threads(2)
  public Integer leveeTwoThreadsOneHost(Levee levee) throws Exception {
    return levee.pipeline.execute(levee.call, levee.healthy, levee.outcomes);
  }

  @Benchmark
  @Threads(1)
  public Integer resilience4j(HandWritten handWritten) throws Throwable {
    return handWritten.call();
  }

  @Benchmark
  @Threads(2)
  public Integer resilience4jTwoThreadsOneHost(HandWritten handWritten) throws Throwable {
    return handWritten.call();
  }
}
