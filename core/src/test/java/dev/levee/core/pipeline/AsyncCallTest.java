package dev.levee.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.Clock;
import dev.levee.core.RandomSource;
import dev.levee.core.config.BulkheadConfig;
import dev.levee.core.config.CircuitBreakerConfig;
import dev.levee.core.config.HostRules;
import dev.levee.core.config.PolicyConfig;
import dev.levee.core.config.RetryConfig;
import dev.levee.core.config.TimeoutConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The non-blocking pipeline: backoffs on the timer, cancellation reaching the attempt, permits returned. */
class AsyncCallTest {

  final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  final CallPipelineTest.TestOutcomes outcomes = new CallPipelineTest.TestOutcomes();

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  CallPipeline pipeline(int maxConcurrentCalls, Duration maxWait) {
    PolicyConfig p = new PolicyConfig(
        TimeoutConfig.builder().build(),
        RetryConfig.builder().initialBackoff(Duration.ofMillis(1)).maxBackoff(Duration.ofMillis(2)).build(),
        CircuitBreakerConfig.builder().build(),
        BulkheadConfig.builder().maxConcurrentCalls(maxConcurrentCalls).maxWaitDuration(maxWait).build());
    return new CallPipeline(HostRules.of(p), Clock.SYSTEM, RandomSource.SYSTEM, timer);
  }

  @Test
  void flakyCallRecoversWithoutBlockingTheCaller() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    List<String> threads = new ArrayList<>();
    CompletableFuture<Integer> result = pipeline(10, Duration.ZERO).executeAsync(CallPipelineTest.get(), a -> {
      attempts.incrementAndGet();
      synchronized (threads) {
        threads.add(Thread.currentThread().getName());
      }
      return CompletableFuture.completedFuture(a.number() < 3 ? 503 : 200);
    }, outcomes);
    assertEquals(200, result.get(5, TimeUnit.SECONDS));
    assertEquals(3, attempts.get());
    assertEquals(Thread.currentThread().getName(), threads.get(0), "the first attempt starts on the caller's thread");
  }

  @Test
  void exhaustedFailsWithTheLastExceptionItself() throws Exception {
    IOException last = new IOException("third");
    AtomicInteger attempts = new AtomicInteger();
    CompletableFuture<Integer> result = pipeline(10, Duration.ZERO).executeAsync(CallPipelineTest.get(), a -> {
      attempts.incrementAndGet();
      CompletableFuture<Integer> f = new CompletableFuture<>();
      f.completeExceptionally(a.number() == 3 ? last : new IOException("earlier"));
      return f;
    }, outcomes);
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> result.get(5, TimeUnit.SECONDS));
    assertSame(last, e.getCause());
    assertEquals(3, attempts.get());
  }

  @Test
  void cancellingTheCallCancelsTheAttemptAndReturnsThePermit() throws Exception {
    CallPipeline pipeline = pipeline(1, Duration.ZERO);
    CompletableFuture<Integer> inFlight = new CompletableFuture<>();
    CompletableFuture<Integer> result = pipeline.executeAsync(CallPipelineTest.get(), a -> inFlight, outcomes);
    assertEquals(1, pipeline.policies(CallPipelineTest.TARGET).bulkhead.inFlight());
    assertTrue(result.cancel(true));
    assertTrue(inFlight.isCancelled(), "the attempt in flight is cancelled too");
    assertEquals(0, pipeline.policies(CallPipelineTest.TARGET).bulkhead.inFlight());
    CompletableFuture<Integer> next = pipeline.executeAsync(CallPipelineTest.get(), a -> CompletableFuture.completedFuture(200), outcomes);
    assertEquals(200, next.get(5, TimeUnit.SECONDS));
  }

  @Test
  void aFullBulkheadFailsTheFutureFastAndTheOtherCallIsUntouched() throws Exception {
    CallPipeline pipeline = pipeline(1, Duration.ZERO);
    CompletableFuture<Integer> slow = new CompletableFuture<>();
    CompletableFuture<Integer> first = pipeline.executeAsync(CallPipelineTest.get(), a -> slow, outcomes);
    CompletableFuture<Integer> second = pipeline.executeAsync(CallPipelineTest.get(), a -> CompletableFuture.completedFuture(200), outcomes);
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> second.get(5, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof BulkheadFullException, String.valueOf(e.getCause()));
    assertFalse(first.isDone());
    slow.complete(200);
    assertEquals(200, first.get(5, TimeUnit.SECONDS));
    assertEquals(0, pipeline.policies(CallPipelineTest.TARGET).bulkhead.inFlight());
  }

  @Test
  void aWaitingCallGetsThePermitWhenOneIsReleased() throws Exception {
    CallPipeline pipeline = pipeline(1, Duration.ofSeconds(5));
    CompletableFuture<Integer> slow = new CompletableFuture<>();
    CompletableFuture<Integer> first = pipeline.executeAsync(CallPipelineTest.get(), a -> slow, outcomes);
    CompletableFuture<Integer> second = pipeline.executeAsync(CallPipelineTest.get(), a -> CompletableFuture.completedFuture(201), outcomes);
    assertFalse(second.isDone(), "waits for a permit without blocking the caller");
    slow.complete(200);
    assertEquals(200, first.get(5, TimeUnit.SECONDS));
    assertEquals(201, second.get(5, TimeUnit.SECONDS));
    assertEquals(0, pipeline.policies(CallPipelineTest.TARGET).bulkhead.inFlight());
  }

  @Test
  void aHeadJudgedForRetryIsRecordedOnceAndTheNextAttemptFollows() throws Exception {
    CallPipeline pipeline = pipeline(10, Duration.ZERO);
    List<Boolean> verdicts = new ArrayList<>();
    CompletableFuture<Integer> result = pipeline.executeAsync(CallPipelineTest.get(), a -> {
      int status = a.number() < 2 ? 503 : 200;
      verdicts.add(a.isRetried(dev.levee.core.Outcome.status(status), -1));
      return CompletableFuture.completedFuture(status);
    }, outcomes);
    assertEquals(200, result.get(5, TimeUnit.SECONDS));
    assertEquals(List.of(true, false), verdicts);
    assertEquals(2, pipeline.policies(CallPipelineTest.TARGET).breaker.snapshot().totalCalls(), "once per attempt");
  }

  @Test
  void cancellingAfterTheHeadWasJudgedGivesTheBreakerPermissionBackOnlyOnce() throws Exception {
    CallPipelineTest.ManualClock clock = new CallPipelineTest.ManualClock();
    CallPipeline pipeline = new CallPipeline(HostRules.of(new PolicyConfig(
        TimeoutConfig.builder().build(),
        RetryConfig.builder().maxAttempts(1).build(),
        CircuitBreakerConfig.builder().slidingWindowSize(2).minimumNumberOfCalls(2)
            .waitDurationInOpenState(Duration.ofSeconds(1)).permittedNumberOfCallsInHalfOpenState(1).build(),
        BulkheadConfig.builder().build())), clock, RandomSource.SYSTEM, timer);
    for (int i = 0; i < 2; i++) {
      assertEquals(500, pipeline.executeAsync(CallPipelineTest.get(), a -> CompletableFuture.completedFuture(500), outcomes)
          .get(5, TimeUnit.SECONDS));
    }
    clock.advanceNanos(Duration.ofSeconds(2).toNanos()); // past the open state's wait: the next call is the one probe
    CompletableFuture<Integer> body = new CompletableFuture<>();
    CompletableFuture<Integer> probe = pipeline.executeAsync(CallPipelineTest.get(), a -> {
      a.isRetried(dev.levee.core.Outcome.status(500), -1); // the probe's outcome is recorded at its head
      return body;
    }, outcomes);
    assertTrue(probe.cancel(true));
    CompletableFuture<Integer> next = pipeline.executeAsync(CallPipelineTest.get(), a -> CompletableFuture.completedFuture(200), outcomes);
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> next.get(5, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof CircuitOpenException, "the failed probe opened it again, and no second "
        + "release of the probe's permission let another call through: " + e.getCause());
  }

  @Test
  void aSynchronousThrowOfTheFirstAttemptStaysSynchronous() {
    CallPipeline pipeline = pipeline(1, Duration.ZERO);
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> pipeline.executeAsync(
        CallPipelineTest.get(), a -> {
          throw new IllegalArgumentException("bad request");
        }, outcomes));
    assertEquals(0, pipeline.policies(CallPipelineTest.TARGET).bulkhead.inFlight());
  }
}
