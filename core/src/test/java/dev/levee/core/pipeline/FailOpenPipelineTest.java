package dev.levee.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.levee.core.Faults;
import dev.levee.core.config.BulkheadConfig;
import dev.levee.core.config.CircuitBreakerConfig;
import dev.levee.core.config.HostRules;
import dev.levee.core.config.PolicyConfig;
import dev.levee.core.config.RetryConfig;
import dev.levee.core.config.TimeoutConfig;
import dev.levee.core.policy.CircuitBreaker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every step of the pipeline's own fails in turn ({@link Faults}), in each way it can, blocking and
 * non-blocking: the caller gets what one of its attempts returned or threw (never an exception of Levee's),
 * the bulkhead permit is given back, and a breaker whose probe could not be judged lets the next call probe.
 */
class FailOpenPipelineTest {

  final CallPipelineTest.ManualClock clock = new CallPipelineTest.ManualClock();
  final CallPipelineTest.TestOutcomes outcomes = new CallPipelineTest.TestOutcomes();
  final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void clear() {
    Faults.clear();
    timer.shutdownNow();
  }

  /** The steps a call takes once Levee has started it: the steps of a library's reading and building are its own. */
  static Stream<Arguments> pipelineSteps() {
    List<Arguments> all = new ArrayList<>();
    for (Faults.Step step : List.of(Faults.Step.CLASSIFY, Faults.Step.RECORD, Faults.Step.RELEASE, Faults.Step.SCHEDULE,
        Faults.Step.LIMIT)) {
      for (Faults.Kind kind : Faults.Kind.values()) {
        for (boolean async : List.of(false, true)) {
          all.add(Arguments.of(step, kind, async));
        }
      }
    }
    return all.stream();
  }

  /** A breaker that opens after two failures of two; {@code quiet}: one no run of these tests fills. */
  CallPipeline pipeline(boolean quiet) {
    PolicyConfig policy = new PolicyConfig(
        TimeoutConfig.builder().build(),
        RetryConfig.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(1)).maxBackoff(Duration.ofMillis(2)).build(),
        CircuitBreakerConfig.builder().slidingWindowSize(quiet ? 100 : 2).minimumNumberOfCalls(quiet ? 100 : 2)
            .failureRateThreshold(50).waitDurationInOpenState(Duration.ofSeconds(1))
            .permittedNumberOfCallsInHalfOpenState(1).build(),
        BulkheadConfig.builder().maxConcurrentCalls(1).maxWaitDuration(Duration.ZERO).build());
    return new CallPipeline(HostRules.of(policy), clock, () -> 0.5, timer);
  }

  /** One call whose attempts answer {@code answers} in turn (an Integer status, or an exception thrown). */
  Object call(CallPipeline pipeline, boolean async, Object... answers) throws Exception {
    int[] n = {0};
    if (!async) {
      try {
        return pipeline.execute(CallPipelineTest.get(), a -> answer(answers[Math.min(n[0]++, answers.length - 1)]), outcomes);
      } catch (Exception e) {
        return e;
      }
    }
    CompletableFuture<Integer> result = pipeline.executeAsync(CallPipelineTest.get(), a -> {
      CompletableFuture<Integer> f = new CompletableFuture<>();
      try {
        f.complete(answer(answers[Math.min(n[0]++, answers.length - 1)]));
      } catch (Exception e) {
        f.completeExceptionally(e);
      }
      return f;
    }, outcomes);
    try {
      return result.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  private static Integer answer(Object answer) throws Exception {
    if (answer instanceof Exception) {
      throw (Exception) answer;
    }
    return (Integer) answer;
  }

  @ParameterizedTest(name = "{0} {1} async={2}")
  @MethodSource("pipelineSteps")
  void theCallerGetsOneOfItsAttemptsOwnAnswersAndThePermitIsGivenBack(Faults.Step step, Faults.Kind kind, boolean async)
      throws Exception {
    CallPipeline pipeline = pipeline(true);
    IOException reset = new IOException("connection reset");
    Faults.inject(step, kind);
    Object first = call(pipeline, async, 503, 200);
    Object second = call(pipeline, async, reset, 200);
    Faults.clear();

    assertTrue(first.equals(503) || first.equals(200), "an attempt's own answer: " + first);
    assertTrue(second == reset || second.equals(200), "an attempt's own exception, the same instance: " + second);
    assertEquals(0, pipeline.policies(CallPipelineTest.TARGET).bulkhead.inFlight(), "no permit stays taken");
    assertEquals(200, call(pipeline, async, 200), "the next call is admitted");
  }

  @ParameterizedTest(name = "{0} {1} async={2}")
  @MethodSource("pipelineSteps")
  void aProbeThatCannotBeJudgedLetsTheNextCallProbe(Faults.Step step, Faults.Kind kind, boolean async) throws Exception {
    CallPipeline pipeline = pipeline(false);
    CircuitBreaker breaker = pipeline.policies(CallPipelineTest.TARGET).breaker;
    call(pipeline, async, new java.net.ConnectException("refused"));
    call(pipeline, async, new java.net.ConnectException("refused"));
    assertEquals(CircuitBreaker.State.OPEN, breaker.state(), "two failures of two open it");
    clock.advanceNanos(Duration.ofSeconds(2).toNanos());

    Faults.inject(step, kind);
    call(pipeline, async, 200);
    Faults.clear();

    assertEquals(200, call(pipeline, async, 200), "the next call probes (or the breaker closed already)");
    assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
    assertEquals(0, pipeline.policies(CallPipelineTest.TARGET).bulkhead.inFlight());
  }

  /** Looking up the target's policies fails: nothing has started, and the seam runs the call untouched. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Faults.Kind.class)
  void aFaultBeforeTheCallStartsIsALeveeFaultAndNothingRuns(Faults.Kind kind) {
    CallPipeline pipeline = pipeline(true);
    Faults.inject(Faults.Step.CONFIG, kind);
    LeveeFault sync = assertThrows(LeveeFault.class,
        () -> pipeline.execute(CallPipelineTest.get(), a -> fail("no attempt runs"), outcomes));
    LeveeFault async = assertThrows(LeveeFault.class,
        () -> pipeline.executeAsync(CallPipelineTest.get(), a -> fail("no attempt runs"), outcomes));
    assertTrue(sync.getCause().getMessage().contains("levee test fault at config"), String.valueOf(sync.getCause()));
    assertSame(sync.getCause().getClass(), async.getCause().getClass());
  }
}
