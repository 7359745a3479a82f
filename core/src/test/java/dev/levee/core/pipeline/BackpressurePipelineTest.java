package dev.levee.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.Faults;
import dev.levee.core.OutcomeSet;
import dev.levee.core.RandomSource;
import dev.levee.core.config.AdaptiveLimitConfig;
import dev.levee.core.config.BulkheadConfig;
import dev.levee.core.config.CircuitBreakerConfig;
import dev.levee.core.config.HostRules;
import dev.levee.core.config.PolicyConfig;
import dev.levee.core.config.RateLimiterConfig;
import dev.levee.core.config.RetryBudgetConfig;
import dev.levee.core.config.RetryConfig;
import dev.levee.core.config.TimeoutConfig;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pipeline's backpressure steps: rate limiter, retry budget, adaptive bulkhead; blocking and not. */
class BackpressurePipelineTest {

  static final long MS = 1_000_000L;

  final CallPipelineTest.ManualClock clock = new CallPipelineTest.ManualClock();
  final CallPipelineTest.TestOutcomes outcomes = new CallPipelineTest.TestOutcomes();
  final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    Faults.clear();
    timer.shutdownNow();
  }

  static RetryConfig.Builder retry() {
    return RetryConfig.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(1)).maxBackoff(Duration.ofMillis(2));
  }

  /** The breaker records connect failures only: a storm of 503s must reach the budget, not open it. */
  static PolicyConfig policy(RetryConfig retry, BulkheadConfig bulkhead, RateLimiterConfig rate) {
    return new PolicyConfig(TimeoutConfig.builder().total(Duration.ofSeconds(30)).build(), retry,
        CircuitBreakerConfig.builder().recordOn(OutcomeSet.of("connect-failure")).build(), bulkhead, true, rate);
  }

  CallPipeline pipeline(PolicyConfig policy) {
    return new CallPipeline(HostRules.of(policy), clock, () -> 0.5, timer);
  }

  /** A count of attempts, each answering {@code status}. */
  static final class Always implements Attempt<Integer> {
    final int status;
    int attempts;

    Always(int status) {
      this.status = status;
    }

    @Override
    public Integer run(AttemptContext attempt) {
      attempts++;
      return status;
    }
  }

  // ---- retry budget

  @Test
  void theDefaultBudgetHoldsTheRetryStormToThirteenHundredRequests() throws Exception {
    CallPipeline pipeline = pipeline(policy(retry().build(), BulkheadConfig.builder().build(), null));
    Always failing = new Always(503);
    for (int i = 0; i < 1000; i++) {
      assertEquals(503, pipeline.execute(CallPipelineTest.get(), failing, outcomes));
    }
    // 1,000 requests, 0.2 * 1,000 + 10/s * 10 s retries
    assertEquals(1300, failing.attempts);
  }

  @Test
  void withoutABudgetEveryCallMakesMaxAttempts() throws Exception {
    CallPipeline pipeline = pipeline(policy(retry().budget(null).build(), BulkheadConfig.builder().build(), null));
    Always failing = new Always(503);
    for (int i = 0; i < 1000; i++) {
      pipeline.execute(CallPipelineTest.get(), failing, outcomes);
    }
    assertEquals(3000, failing.attempts);
  }

  /** Plays back statuses (Integer) and exceptions, one per attempt; the last one repeats. */
  final class Steps implements Attempt<Integer> {
    final Object[] steps;
    int attempts;
    long takesNanos;

    Steps(Object... steps) {
      this.steps = steps;
    }

    @Override
    public Integer run(AttemptContext attempt) throws Exception {
      Object step = steps[Math.min(attempts++, steps.length - 1)];
      clock.advanceNanos(takesNanos);
      if (step instanceof Exception) {
        throw (Exception) step;
      }
      return (Integer) step;
    }
  }

  @Test
  void aRetryTheBudgetRefusesEndsTheCallWithTheLastOutcome() throws Exception {
    RetryConfig retry = retry().budget(new RetryBudgetConfig(0.5, 0, Duration.ofSeconds(10))).build();
    CallPipeline pipeline = pipeline(policy(retry, BulkheadConfig.builder().build(), null));
    IOException reset = new IOException("reset");
    Steps first = new Steps(reset);
    // half a retry in the budget: none to take; the app gets the attempt's own exception, nothing of Levee's
    IOException thrown = assertThrows(IOException.class, () -> pipeline.execute(CallPipelineTest.get(), first, outcomes));
    assertEquals(reset, thrown);
    assertEquals(1, first.attempts);
    // a second request makes it a whole retry: one, then refused again with the retry's own outcome
    Steps second = new Steps(503, 502);
    assertEquals(502, pipeline.execute(CallPipelineTest.get(), second, outcomes));
    assertEquals(2, second.attempts);
    assertEquals(List.of(503), outcomes.discarded);
    assertEquals(null, outcomes.lastRejection, "not a rejection of Levee's");
  }

  @Test
  void aFlakyGetStillRecoversUnderTheDefaultBudget() throws Exception {
    CallPipeline pipeline = pipeline(policy(retry().build(), BulkheadConfig.builder().build(), null));
    // one call in five fails once: as many retries as the ratio allows, and the reserve on top
    for (int i = 0; i < 1000; i++) {
      Steps call = i % 5 == 0 ? new Steps(503, 200) : new Steps(200);
      assertEquals(200, pipeline.execute(CallPipelineTest.get(), call, outcomes), "call " + i);
    }
  }

  @Test
  void depositsExpireWithTheTtl() throws Exception {
    RetryConfig retry = retry().budget(new RetryBudgetConfig(1.0, 0, Duration.ofSeconds(10))).build();
    CallPipeline pipeline = pipeline(policy(retry, BulkheadConfig.builder().build(), null));
    pipeline.execute(CallPipelineTest.get(), new Steps(200), outcomes); // deposits one retry
    clock.advance(Duration.ofSeconds(11));
    Steps failing = new Steps(503);
    pipeline.execute(CallPipelineTest.get(), failing, outcomes);
    assertEquals(2, failing.attempts, "its own deposit only: the earlier one has expired");
  }

  @Test
  void asyncRetriesTakeFromTheSameBudget() throws Exception {
    RetryConfig retry = retry().budget(new RetryBudgetConfig(0.5, 0, Duration.ofSeconds(10))).build();
    CallPipeline pipeline = new CallPipeline(HostRules.of(policy(retry, BulkheadConfig.builder().build(), null)),
        dev.levee.core.Clock.SYSTEM, RandomSource.SYSTEM, timer);
    AtomicInteger attempts = new AtomicInteger();
    for (int i = 0; i < 2; i++) {
      CompletableFuture<Integer> call = pipeline.executeAsync(CallPipelineTest.get(), a -> {
        attempts.incrementAndGet();
        return CompletableFuture.completedFuture(503);
      }, outcomes);
      assertEquals(503, call.get(5, TimeUnit.SECONDS));
    }
    assertEquals(3, attempts.get(), "two requests, one retry between them");
  }

  // ---- rate limiter

  @Test
  void overTheRateTheCallIsRefusedWithNothingSent() throws Exception {
    CallPipeline pipeline = pipeline(policy(retry().build(), BulkheadConfig.builder().build(),
        new RateLimiterConfig(2, Duration.ofSeconds(1), Duration.ZERO)));
    Steps ok = new Steps(200);
    pipeline.execute(CallPipelineTest.get(), ok, outcomes);
    pipeline.execute(CallPipelineTest.get(), ok, outcomes);
    assertThrows(SocketTimeoutException.class, () -> pipeline.execute(CallPipelineTest.get(), ok, outcomes));
    assertEquals(Rejection.RATE_LIMITED, outcomes.lastRejection);
    assertEquals(2, ok.attempts);
    TargetPolicies p = pipeline.policies(CallPipelineTest.TARGET);
    assertEquals(2, p.breaker.snapshot().totalCalls(), "the refusal is not recorded in the breaker");
    assertEquals(0, p.bulkhead.inFlight());
    clock.advance(Duration.ofSeconds(1));
    assertEquals(200, pipeline.execute(CallPipelineTest.get(), ok, outcomes));
  }

  @Test
  void everyAttemptTakesAPermitRetriesIncluded() throws Exception {
    CallPipeline pipeline = pipeline(policy(retry().build(), BulkheadConfig.builder().build(),
        new RateLimiterConfig(2, Duration.ofSeconds(1), Duration.ZERO)));
    Steps failing = new Steps(503);
    assertThrows(SocketTimeoutException.class, () -> pipeline.execute(CallPipelineTest.get(), failing, outcomes));
    assertEquals(2, failing.attempts, "the third attempt found no permit");
  }

  @Test
  void aCallWaitsForTheNextPeriodWithinTimeoutDuration() throws Exception {
    CallPipeline pipeline = pipeline(policy(retry().build(), BulkheadConfig.builder().build(),
        new RateLimiterConfig(1, Duration.ofSeconds(1), Duration.ofSeconds(2))));
    Steps ok = new Steps(200);
    pipeline.execute(CallPipelineTest.get(), ok, outcomes);
    clock.advance(Duration.ofMillis(300));
    assertEquals(200, pipeline.execute(CallPipelineTest.get(), ok, outcomes));
    assertEquals(List.of(700 * MS), clock.sleeps, "slept to the next period, then sent");
  }

  @Test
  void theRateLimitWaitNeverRunsToTheDeadline() throws Exception {
    CallPipeline pipeline = pipeline(policy(retry().build(), BulkheadConfig.builder().build(),
        new RateLimiterConfig(1, Duration.ofSeconds(1), Duration.ofSeconds(5))));
    Steps ok = new Steps(200);
    pipeline.execute(CallPipelineTest.get(), ok, outcomes);
    // the caller has 500 ms left; the next permit is 1 s away
    CallSpec bounded = new CallSpec(CallPipelineTest.TARGET, "GET", false, true,
        clock.currentTimeMillis() + 500);
    assertThrows(SocketTimeoutException.class, () -> pipeline.execute(bounded, ok, outcomes));
    assertEquals(Rejection.RATE_LIMITED, outcomes.lastRejection);
    assertEquals(List.of(), clock.sleeps, "refused at once, not after waiting");
    assertEquals(1, ok.attempts);
  }

  @Test
  void asyncRateLimitWaitsOnTheTimerAndRefusesOverTheRate() throws Exception {
    CallPipeline pipeline = new CallPipeline(HostRules.of(policy(retry().build(), BulkheadConfig.builder().build(),
        new RateLimiterConfig(1, Duration.ofMillis(200), Duration.ofMillis(500)))),
        dev.levee.core.Clock.SYSTEM, RandomSource.SYSTEM, timer);
    AsyncAttempt<Integer> ok = a -> CompletableFuture.completedFuture(200);
    long started = System.nanoTime();
    assertEquals(200, pipeline.executeAsync(CallPipelineTest.get(), ok, outcomes).get(5, TimeUnit.SECONDS));
    CompletableFuture<Integer> second = pipeline.executeAsync(CallPipelineTest.get(), ok, outcomes);
    CompletableFuture<Integer> third = pipeline.executeAsync(CallPipelineTest.get(), ok, outcomes);
    CompletableFuture<Integer> fourth = pipeline.executeAsync(CallPipelineTest.get(), ok, outcomes);
    assertEquals(200, second.get(5, TimeUnit.SECONDS));
    assertEquals(200, third.get(5, TimeUnit.SECONDS));
    ExecutionException refused = assertThrows(ExecutionException.class, () -> fourth.get(5, TimeUnit.SECONDS));
    assertTrue(refused.getCause().getMessage().contains("rate limit reached"), refused.getCause().getMessage());
    assertTrue(System.nanoTime() - started >= 150 * MS, "the third waited for the period after next");
  }

  @Test
  void cancellingDuringAnAsyncRateWaitSendsNothingAndGivesTheProbeBack() throws Exception {
    // a breaker that opens on one connect failure and lets one probe through a millisecond later
    CircuitBreakerConfig breaker = CircuitBreakerConfig.builder().recordOn(OutcomeSet.of("connect-failure"))
        .slidingWindowSize(1).minimumNumberOfCalls(1).waitDurationInOpenState(Duration.ofMillis(1))
        .permittedNumberOfCallsInHalfOpenState(1).build();
    PolicyConfig policy = new PolicyConfig(TimeoutConfig.builder().build(), retry().maxAttempts(1).build(), breaker,
        BulkheadConfig.builder().build(), true, new RateLimiterConfig(1, Duration.ofMillis(200), Duration.ofSeconds(1)));
    CallPipeline pipeline = new CallPipeline(HostRules.of(policy), dev.levee.core.Clock.SYSTEM, RandomSource.SYSTEM, timer);
    AtomicInteger attempts = new AtomicInteger();
    AsyncAttempt<Integer> refused = a -> {
      attempts.incrementAndGet();
      return CompletableFuture.failedFuture(new java.net.ConnectException("refused"));
    };
    AsyncAttempt<Integer> ok = a -> {
      attempts.incrementAndGet();
      return CompletableFuture.completedFuture(200);
    };
    assertThrows(ExecutionException.class,
        () -> pipeline.executeAsync(CallPipelineTest.get(), refused, outcomes).get(5, TimeUnit.SECONDS));
    Thread.sleep(5);
    // the probe's permission is taken, then the call waits for the next period's permit
    CompletableFuture<Integer> waiting = pipeline.executeAsync(CallPipelineTest.get(), ok, outcomes);
    assertTrue(waiting.cancel(true));
    Thread.sleep(300);
    assertEquals(1, attempts.get(), "nothing sent once the permit came due");
    // a probe permission kept by the cancelled call would refuse this one: circuit open
    assertEquals(200, pipeline.executeAsync(CallPipelineTest.get(), ok, outcomes).get(5, TimeUnit.SECONDS));
  }

  // ---- adaptive bulkhead

  static BulkheadConfig adaptive(int initial) {
    return BulkheadConfig.builder().type(BulkheadConfig.Type.ADAPTIVE)
        .adaptive(AdaptiveLimitConfig.builder(100).initialLimit(initial).minLimit(1).backoffRatio(0.5).build()).build();
  }

  @Test
  void theAdaptiveLimitGrowsOnSuccessAndBacksOffOnFailureAndTimeout() throws Exception {
    CallPipeline pipeline = pipeline(policy(retry().maxAttempts(1).build(), adaptive(2), null));
    TargetPolicies p = pipeline.policies(CallPipelineTest.TARGET);
    pipeline.execute(CallPipelineTest.get(), new Steps(200), outcomes);
    assertEquals(3, p.adaptive.limit(), "1 in flight of 2: half used, +1");
    pipeline.execute(CallPipelineTest.get(), new Steps(404), outcomes);
    assertEquals(3, p.adaptive.limit(), "a 404 is an answer, but 1 of 3 in flight is under half: no growth");
    assertThrows(java.net.ConnectException.class, () -> pipeline.execute(CallPipelineTest.get(),
        new Steps(new java.net.ConnectException("refused")), outcomes));
    assertEquals(1, p.adaptive.limit(), "a failure the breaker records: x0.5");
    pipeline.execute(CallPipelineTest.get(), new Steps(200), outcomes);
    pipeline.execute(CallPipelineTest.get(), new Steps(200), outcomes);
    pipeline.execute(CallPipelineTest.get(), new Steps(200), outcomes);
    assertEquals(3, p.adaptive.limit(), "one call at a time grows it while it is at least half the limit");
    assertThrows(SocketTimeoutException.class,
        () -> pipeline.execute(CallPipelineTest.get(), new Steps(new SocketTimeoutException("slow")), outcomes));
    assertEquals(1, p.adaptive.limit(), "a timeout is a drop");
    pipeline.execute(CallPipelineTest.get(), new Steps(200), outcomes);
    assertEquals(2, p.adaptive.limit());
    pipeline.execute(CallPipelineTest.get(), new Steps(429), outcomes);
    assertEquals(1, p.adaptive.limit(), "the dependency's own refusal is a drop");
    assertEquals(0, p.adaptive.inFlight());
  }

  @Test
  void overTheAdaptiveLimitACallIsRefusedAtOnceAndTeachesNothing() throws Exception {
    CallPipeline pipeline = pipeline(policy(retry().build(), adaptive(2), null));
    TargetPolicies p = pipeline.policies(CallPipelineTest.TARGET);
    assertTrue(p.adaptive.tryAcquire());
    assertTrue(p.adaptive.tryAcquire());
    Steps ok = new Steps(200);
    IOException refused = assertThrows(IOException.class, () -> pipeline.execute(CallPipelineTest.get(), ok, outcomes));
    assertEquals(Rejection.BULKHEAD_FULL, outcomes.lastRejection);
    assertTrue(refused.getMessage().contains("adaptive concurrency limit reached"), refused.getMessage());
    assertEquals(0, ok.attempts);
    assertEquals(2, p.adaptive.limit(), "a refusal is neither a sample nor a drop");
    assertEquals(List.of(), clock.sleeps, "never waits");
  }

  @Test
  void aCancelledOrLocalAttemptTeachesTheLimitNothing() throws Exception {
    CallPipeline pipeline = pipeline(policy(retry().maxAttempts(1).build(), adaptive(10), null));
    TargetPolicies p = pipeline.policies(CallPipelineTest.TARGET);
    assertThrows(InterruptedException.class,
        () -> pipeline.execute(CallPipelineTest.get(), new Steps(new InterruptedException()), outcomes));
    outcomes.local = true;
    assertThrows(IOException.class,
        () -> pipeline.execute(CallPipelineTest.get(), new Steps(new IOException("pool exhausted")), outcomes));
    assertEquals(10, p.adaptive.limit());
    assertEquals(0, p.adaptive.inFlight());
  }

  @Test
  void asyncAttemptsShareTheAdaptiveLimit() throws Exception {
    CallPipeline pipeline = new CallPipeline(HostRules.of(policy(retry().maxAttempts(1).build(), adaptive(1), null)),
        dev.levee.core.Clock.SYSTEM, RandomSource.SYSTEM, timer);
    CompletableFuture<Integer> held = new CompletableFuture<>();
    CompletableFuture<Integer> first = pipeline.executeAsync(CallPipelineTest.get(), a -> held, outcomes);
    CompletableFuture<Integer> second = pipeline.executeAsync(CallPipelineTest.get(),
        a -> CompletableFuture.completedFuture(200), outcomes);
    ExecutionException refused = assertThrows(ExecutionException.class, () -> second.get(5, TimeUnit.SECONDS));
    assertTrue(refused.getCause() instanceof BulkheadFullException, refused.getCause().toString());
    held.complete(200);
    assertEquals(200, first.get(5, TimeUnit.SECONDS));
    TargetPolicies p = pipeline.policies(CallPipelineTest.TARGET);
    assertEquals(2, p.adaptive.limit());
    assertEquals(0, p.adaptive.inFlight());
  }

  // ---- fail open

  @Test
  void aFaultInABackpressureStepLeavesTheCallAsWithoutThem() throws Exception {
    CallPipeline pipeline = pipeline(policy(retry().budget(new RetryBudgetConfig(0, 0, Duration.ofSeconds(10))).build(),
        adaptive(1), new RateLimiterConfig(1, Duration.ofSeconds(1), Duration.ZERO)));
    Faults.inject(Faults.Step.LIMIT, Faults.Kind.LINKAGE);
    Steps flaky = new Steps(503, 503, 200);
    assertEquals(200, pipeline.execute(CallPipelineTest.get(), flaky, outcomes), "no rate limit, no budget");
    assertEquals(3, flaky.attempts);
    TargetPolicies p = pipeline.policies(CallPipelineTest.TARGET);
    assertEquals(0, p.adaptive.inFlight(), "the slot went back");
    assertEquals(1, p.adaptive.limit(), "nothing learnt");
  }

  @Test
  void aFaultInABackpressureStepLeavesAnAsyncCallAsWithoutThem() throws Exception {
    CallPipeline pipeline = new CallPipeline(HostRules.of(policy(
        retry().budget(new RetryBudgetConfig(0, 0, Duration.ofSeconds(10))).build(), adaptive(1),
        new RateLimiterConfig(1, Duration.ofSeconds(1), Duration.ZERO))), dev.levee.core.Clock.SYSTEM,
        RandomSource.SYSTEM, timer);
    Faults.inject(Faults.Step.LIMIT, Faults.Kind.RUNTIME);
    for (int i = 0; i < 2; i++) {
      AtomicInteger attempts = new AtomicInteger();
      CompletableFuture<Integer> call = pipeline.executeAsync(CallPipelineTest.get(),
          a -> CompletableFuture.completedFuture(attempts.incrementAndGet() < 3 ? 503 : 200), outcomes);
      assertEquals(200, call.get(5, TimeUnit.SECONDS), "no rate limit, no budget: call " + i);
      assertEquals(3, attempts.get());
    }
    assertEquals(0, pipeline.policies(CallPipelineTest.TARGET).adaptive.inFlight(), "the slot went back");
  }
}
