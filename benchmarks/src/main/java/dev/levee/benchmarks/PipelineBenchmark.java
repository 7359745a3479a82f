package dev.levee.benchmarks;

import dev.levee.core.Clock;
import dev.levee.core.Outcome;
import dev.levee.core.RandomSource;
import dev.levee.core.Target;
import dev.levee.core.config.HostRules;
import dev.levee.core.config.PolicyConfig;
import dev.levee.core.pipeline.Attempt;
import dev.levee.core.pipeline.CallPipeline;
import dev.levee.core.pipeline.CallSpec;
import dev.levee.core.pipeline.OutcomeClassifier;
import dev.levee.core.pipeline.Rejection;
import java.io.IOException;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the pipeline adds to one call, every policy on (deadline, retry bookkeeping, breaker, bulkhead),
 * around an attempt that costs nothing: a healthy 200. One thread, and two threads on one host (the
 * breaker's window and the bulkhead's counter contended).
 *
 * <p>Run: {@code java -jar benchmarks/target/levee-benchmarks.jar PipelineBenchmark -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PipelineBenchmark {

  static final Integer OK = 200;

  CallPipeline pipeline;
  /** The same policies without the retry budget (on by default since issue 13): what the pipeline did before it. */
  CallPipeline withoutBudget;
  ScheduledExecutorService timer;
  final CallSpec call = new CallSpec(Target.of("api.example.com", 443), "GET", false, true, CallSpec.NO_DEADLINE);
  final Attempt<Integer> healthy = attempt -> OK;
  final OutcomeClassifier<Integer> outcomes = new StatusOutcomes();

  @Setup(Level.Trial)
  public void setUp() {
    timer = Executors.newSingleThreadScheduledExecutor();
    // every policy on: a deadline (timeout.total) besides the defaults' breaker, bulkhead and retry
    PolicyConfig defaults = PolicyConfig.httpDefaults();
    PolicyConfig withTotal = new PolicyConfig(
        defaults.timeout().toBuilder().total(java.time.Duration.ofSeconds(30)).build(),
        defaults.retry(), defaults.circuitBreaker(), defaults.bulkhead());
    pipeline = new CallPipeline(HostRules.of(withTotal), Clock.SYSTEM, RandomSource.SYSTEM, timer);
    PolicyConfig noBudget = new PolicyConfig(withTotal.timeout(), withTotal.retry().toBuilder().budget(null).build(),
        withTotal.circuitBreaker(), withTotal.bulkhead());
    withoutBudget = new CallPipeline(HostRules.of(noBudget), Clock.SYSTEM, RandomSource.SYSTEM, timer);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    timer.shutdownNow();
  }

  @Benchmark
  @Threads(1)
  public Integer oneThread() throws Exception {
    return pipeline.execute(call, healthy, outcomes);
  }

  @Benchmark
  @Threads(1)
  public Integer oneThreadWithoutRetryBudget() throws Exception {
    return withoutBudget.execute(call, healthy, outcomes);
  }

  @Benchmark
  @Threads(2)
  public Integer twoThreadsOneHost() throws Exception {
    return pipeline.execute(call, healthy, outcomes);
  }

  /** The attempt alone, for the baseline of the harness. */
  @Benchmark
  @Threads(1)
  public Integer baselineAttemptOnly() throws Throwable {
    return healthy.run(null);
  }

  static final class StatusOutcomes implements OutcomeClassifier<Integer> {
    @Override
    public Outcome classify(Integer result) {
      return Outcome.status(result);
    }

    @Override
    public Outcome classify(Throwable error) {
      return Outcome.RESET;
    }

    @Override
    public long retryAfterMillis(Integer result, long nowEpochMillis) {
      return -1;
    }

    @Override
    public void discard(Integer result) {}

    @Override
    public Exception rejection(Rejection reason, String message) {
      return new IOException(message);
    }
  }
}
