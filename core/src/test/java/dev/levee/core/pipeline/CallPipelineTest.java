package dev.levee.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.Clock;
import dev.levee.core.Outcome;
import dev.levee.core.Target;
import dev.levee.core.config.BulkheadConfig;
import dev.levee.core.config.CircuitBreakerConfig;
import dev.levee.core.config.HostRules;
import dev.levee.core.config.PolicyConfig;
import dev.levee.core.config.RetryConfig;
import dev.levee.core.config.TimeoutConfig;
import dev.levee.core.policy.CircuitBreaker;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The synchronous pipeline, exact: a manual clock, a fixed random source, no real sleeps. */
class CallPipelineTest {

  static final Target TARGET = Target.of("api.example.com", 443);

  final ManualClock clock = new ManualClock();
  final TestOutcomes outcomes = new TestOutcomes();

  static PolicyConfig policy(RetryConfig retry, TimeoutConfig timeout, CircuitBreakerConfig breaker, BulkheadConfig bulkhead) {
    return new PolicyConfig(timeout, retry, breaker, bulkhead);
  }

  static RetryConfig.Builder retry() {
    return RetryConfig.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(1));
  }

  CallPipeline pipeline(PolicyConfig policy) {
    return new CallPipeline(HostRules.of(policy), clock, () -> 0.5, null);
  }

  CallPipeline pipeline(RetryConfig retry) {
    return pipeline(policy(retry, TimeoutConfig.builder().build(), CircuitBreakerConfig.builder().build(), BulkheadConfig.builder().build()));
  }

  static CallSpec get() {
    return new CallSpec(TARGET, "GET", false, true, CallSpec.NO_DEADLINE);
  }

  static CallSpec post() {
    return new CallSpec(TARGET, "POST", false, true, CallSpec.NO_DEADLINE);
  }

  /** Plays back results (Integer statuses) and exceptions, one per attempt, recording each attempt's timeout. */
  final class Script implements Attempt<Integer> {
    final Deque<Object> steps;
    final List<Long> timeouts = new ArrayList<>();
    final List<Long> deadlines = new ArrayList<>();  // null: the call had none
    long attemptTakesNanos;

    Script(Object... steps) {
      this.steps = new ArrayDeque<>(Arrays.asList(steps));
    }

    @Override
    public Integer run(AttemptContext attempt) throws Exception {
      timeouts.add(attempt.timeoutNanos());
      deadlines.add(attempt.hasDeadline() ? attempt.deadlineMillis() : null);
      clock.advanceNanos(attemptTakesNanos);
      Object step = steps.size() > 1 ? steps.poll() : steps.peek();
      if (step instanceof Head) {
        return ((Head) step).play(attempt);
      }
      if (step instanceof Exception) {
        throw (Exception) step;
      }
      return (Integer) step;
    }

    int attempts() {
      return timeouts.size();
    }
  }

  /**
   * An attempt whose client reads the body inside the call: it asks for the verdict when the head is in,
   * then reads the body (taking {@code bodyNanos}), which may fail.
   */
  final class Head {
    final int status;
    final long retryAfterMillis;
    final long bodyNanos;
    final Exception bodyFails;
    Boolean verdict;

    Head(int status, long retryAfterMillis, long bodyNanos, Exception bodyFails) {
      this.status = status;
      this.retryAfterMillis = retryAfterMillis;
      this.bodyNanos = bodyNanos;
      this.bodyFails = bodyFails;
    }

    Integer play(AttemptContext attempt) throws Exception {
      verdict = attempt.isRetried(Outcome.status(status), retryAfterMillis);
      assertEquals(verdict, attempt.isRetried(Outcome.status(500), -1), "asked again: the same verdict");
      clock.advanceNanos(bodyNanos);
      if (bodyFails != null) {
        throw bodyFails;
      }
      return status;
    }
  }

  Head head(int status) {
    return new Head(status, -1, 0, null);
  }

  @Test
  void successOnFirstTry() throws Exception {
    Script script = new Script(200);
    assertEquals(200, pipeline(retry().build()).execute(get(), script, outcomes));
    assertEquals(1, script.attempts());
    assertEquals(List.of(), clock.sleeps);
  }

  @Test
  void flakyGetRecoversWithJitteredBackoff() throws Exception {
    Script script = new Script(503, 503, 200);
    assertEquals(200, pipeline(retry().build()).execute(get(), script, outcomes));
    assertEquals(3, script.attempts());
    // full jitter with random 0.5: 0.5 * 100ms, then 0.5 * 200ms
    assertEquals(List.of(50_000_000L, 100_000_000L), clock.sleeps);
    assertEquals(List.of(503, 503), outcomes.discarded);
  }

  @Test
  void exhaustedReturnsTheLastResponseUnchanged() throws Exception {
    Script script = new Script(503);
    assertEquals(503, pipeline(retry().build()).execute(get(), script, outcomes));
    assertEquals(3, script.attempts());
    assertEquals(2, outcomes.discarded.size(), "the last response reaches the app, not discarded");
  }

  @Test
  void exhaustedRethrowsTheLastExceptionItself() {
    SocketTimeoutException last = new SocketTimeoutException("third");
    Script script = new Script(new SocketTimeoutException("first"), new SocketTimeoutException("second"), last);
    Exception thrown = assertThrows(Exception.class, () -> pipeline(retry().build()).execute(get(), script, outcomes));
    assertSame(last, thrown);
    assertEquals(3, script.attempts());
  }

  @Test
  void postIsNeverRetriedOnAStatusOrAReset() throws Exception {
    assertEquals(503, pipeline(retry().build()).execute(post(), new Script(503, 200), outcomes));
    Script reset = new Script(new IOException("reset"), 200);
    assertThrows(IOException.class, () -> pipeline(retry().build()).execute(post(), reset, outcomes));
    assertEquals(1, reset.attempts());
  }

  @Test
  void postWithIdempotencyKeyIsRetried() throws Exception {
    CallSpec keyed = new CallSpec(TARGET, "POST", true, true, CallSpec.NO_DEADLINE);
    Script script = new Script(503, 200);
    assertEquals(200, pipeline(retry().build()).execute(keyed, script, outcomes));
    assertEquals(2, script.attempts());
  }

  @Test
  void connectFailureIsRetriedForAnyMethodButNotWithAOneShotBody() throws Exception {
    Script script = new Script(new ConnectException("refused"), 201);
    assertEquals(201, pipeline(retry().build()).execute(post(), script, outcomes));
    assertEquals(2, script.attempts());

    CallSpec oneShot = new CallSpec(TARGET, "GET", false, false, CallSpec.NO_DEADLINE);
    Script once = new Script(new ConnectException("refused"), 200);
    assertThrows(ConnectException.class, () -> pipeline(retry().build()).execute(oneShot, once, outcomes));
    assertEquals(1, once.attempts());
  }

  @Test
  void statusNotInRetryOnIsNotRetried() throws Exception {
    Script script = new Script(404, 200);
    assertEquals(404, pipeline(retry().build()).execute(get(), script, outcomes));
    assertEquals(1, script.attempts());
  }

  @Test
  void maxAttemptsOneTurnsRetriesOff() throws Exception {
    Script script = new Script(503, 200);
    assertEquals(503, pipeline(retry().maxAttempts(1).build()).execute(get(), script, outcomes));
    assertEquals(1, script.attempts());
  }

  @Test
  void retryAfterLongerThanTheBackoffReplacesIt() throws Exception {
    outcomes.retryAfterMillis = 700;
    Script script = new Script(503, 200);
    assertEquals(200, pipeline(retry().build()).execute(get(), script, outcomes));
    assertEquals(List.of(700_000_000L), clock.sleeps);
  }

  @Test
  void retryAfterIgnoredWhenRespectRetryAfterIsOff() throws Exception {
    outcomes.retryAfterMillis = 700;
    Script script = new Script(503, 200);
    pipeline(retry().respectRetryAfter(false).build()).execute(get(), script, outcomes);
    assertEquals(List.of(50_000_000L), clock.sleeps);
  }

  @Test
  void retryAfterPastTheDeadlineEndsTheCallWithTheLastResponse() throws Exception {
    outcomes.retryAfterMillis = 120_000;
    Script script = new Script(503, 200);
    PolicyConfig p = policy(retry().build(), TimeoutConfig.builder().total(Duration.ofSeconds(60)).build(),
        CircuitBreakerConfig.builder().build(), BulkheadConfig.builder().build());
    assertEquals(503, pipeline(p).execute(get(), script, outcomes));
    assertEquals(1, script.attempts());
    assertEquals(List.of(), clock.sleeps);
  }

  @Test
  void eachAttemptIsBoundedByTheAttemptTimeoutAndWhatIsLeftOfTheTotal() throws Exception {
    PolicyConfig p = policy(
        retry().initialBackoff(Duration.ofMillis(100)).maxBackoff(Duration.ofMillis(100)).jitter(RetryConfig.Jitter.NONE).build(),
        TimeoutConfig.builder().attempt(Duration.ofMillis(400)).total(Duration.ofMillis(1000)).build(),
        CircuitBreakerConfig.builder().build(), BulkheadConfig.builder().build());
    Script script = new Script(new SocketTimeoutException("slow"));
    script.attemptTakesNanos = 400_000_000L;
    assertThrows(SocketTimeoutException.class, () -> pipeline(p).execute(get(), script, outcomes));
    // 0: 400 (ends at 400), sleep 100, 500: 400 (ends at 900), sleep 100 would leave 0: stop
    assertEquals(List.of(400_000_000L, 400_000_000L), script.timeouts);
    assertEquals(List.of(100_000_000L), clock.sleeps);
  }

  @Test
  void theLastAttemptGetsOnlyWhatIsLeft() throws Exception {
    PolicyConfig p = policy(
        retry().initialBackoff(Duration.ofMillis(100)).maxBackoff(Duration.ofMillis(100)).jitter(RetryConfig.Jitter.NONE).build(),
        TimeoutConfig.builder().attempt(Duration.ofMillis(600)).total(Duration.ofMillis(1000)).build(),
        CircuitBreakerConfig.builder().build(), BulkheadConfig.builder().build());
    Script script = new Script(new SocketTimeoutException("slow"));
    script.attemptTakesNanos = 300_000_000L;
    assertThrows(SocketTimeoutException.class, () -> pipeline(p).execute(get(), script, outcomes));
    // 0: 600 (ends 300), sleep 100, 400: 600 (ends 700), sleep 100, 800: min(600, 200)
    assertEquals(List.of(600_000_000L, 600_000_000L, 200_000_000L), script.timeouts);
  }

  @Test
  void theDeadlineHeaderValueIsStartPlusTotal() throws Exception {
    PolicyConfig p = policy(retry().build(), TimeoutConfig.builder().total(Duration.ofSeconds(60)).build(),
        CircuitBreakerConfig.builder().build(), BulkheadConfig.builder().build());
    Script script = new Script(503, 200);
    pipeline(p).execute(get(), script, outcomes);
    long expected = ManualClock.START_MILLIS + 60_000;
    assertEquals(List.of(expected, expected), script.deadlines, "one deadline for the whole call");
  }

  @Test
  void withoutATotalOrAnInheritedDeadlineTheCallHasNone() throws Exception {
    Script script = new Script(new SocketTimeoutException("slow"), 200);
    script.attemptTakesNanos = 30_000_000_000L;
    assertEquals(200, pipeline(retry().build()).execute(get(), script, outcomes));
    assertEquals(Arrays.asList(null, null), script.deadlines, "no deadline header to send");
    assertEquals(List.of(30_000_000_000L, 30_000_000_000L), script.timeouts, "each attempt bounded by timeout.attempt only");
  }

  // ---- the verdict at the response head ----

  @Test
  void aHeadJudgedForRetryIsRecordedOnceAndRetried() throws Exception {
    CallPipeline pipeline = pipeline(retry().build());
    Head first = head(503);
    Script script = new Script(first, head(200));
    assertEquals(200, pipeline.execute(get(), script, outcomes));
    assertEquals(Boolean.TRUE, first.verdict);
    assertEquals(2, script.attempts());
    assertEquals(2, pipeline.policies(TARGET).breaker.snapshot().totalCalls(), "one outcome recorded per attempt");
    assertEquals(List.of(50_000_000L), clock.sleeps, "the backoff decided at the head");
  }

  @Test
  void aHeadJudgedTheAnswerStaysTheAnswerWhateverItsBodyDoes() {
    CallPipeline pipeline = pipeline(retry().build());
    IOException broken = new IOException("the body broke off");
    Head answer = new Head(503, -1, 0, broken);
    Script script = new Script(new Head(503, -1, 0, null), new Head(503, -1, 0, null), answer, head(200));
    IOException thrown = assertThrows(IOException.class, () -> pipeline.execute(get(), script, outcomes));
    assertSame(broken, thrown, "the app's handling of its answer failed: that is what it gets");
    assertEquals(Boolean.FALSE, answer.verdict, "the last attempt's 503 is the answer");
    assertEquals(3, script.attempts());
    assertEquals(3, pipeline.policies(TARGET).breaker.snapshot().totalCalls());
  }

  @Test
  void aHeadJudgedForRetryIsRetriedEvenWhenDiscardingItsBodyFails() throws Exception {
    Script script = new Script(new Head(503, -1, 0, new IOException("reset while discarding")), head(200));
    assertEquals(200, pipeline(retry().build()).execute(get(), script, outcomes));
    assertEquals(2, script.attempts());
  }

  @Test
  void theHeadVerdictHonoursRetryAfterAndTheDeadline() throws Exception {
    PolicyConfig p = policy(retry().build(), TimeoutConfig.builder().total(Duration.ofSeconds(2)).build(),
        CircuitBreakerConfig.builder().build(), BulkheadConfig.builder().build());
    Head busy = new Head(503, 1_000, 0, null);
    Script script = new Script(busy, head(200));
    assertEquals(200, pipeline(p).execute(get(), script, outcomes));
    assertEquals(List.of(1_000_000_000L), clock.sleeps, "Retry-After: 1 replaces the backoff");
    Head tooLong = new Head(503, 5_000, 0, null);
    Script late = new Script(tooLong, head(200));
    assertEquals(503, pipeline(p).execute(get(), late, outcomes));
    assertEquals(Boolean.FALSE, tooLong.verdict, "a wait past the deadline: the 503 is the answer");
  }

  @Test
  void aLocalEndIsNeitherRetriedNorRecorded() {
    CallPipeline pipeline = pipeline(retry().retryOn(dev.levee.core.OutcomeSet.of("connect-failure", "reset", "timeout", "5xx")).build());
    outcomes.local = true;
    Script script = new Script(new IOException("no pooled connection in time"), 200);
    assertThrows(IOException.class, () -> pipeline.execute(get(), script, outcomes));
    assertEquals(1, script.attempts());
    assertEquals(0, pipeline.policies(TARGET).breaker.snapshot().totalCalls());
  }

  @Test
  void anInheritedEarlierDeadlineWins() throws Exception {
    long inherited = ManualClock.START_MILLIS + 1500;
    Script script = new Script(200);
    pipeline(retry().build()).execute(new CallSpec(TARGET, "GET", false, true, inherited), script, outcomes);
    assertEquals(List.of(inherited), script.deadlines);
    assertEquals(List.of(1_500_000_000L), script.timeouts);
  }

  @Test
  void anExpiredDeadlineFailsBeforeAnythingIsSent() {
    Script script = new Script(200);
    CallSpec expired = new CallSpec(TARGET, "GET", false, true, ManualClock.START_MILLIS - 5);
    Exception e = assertThrows(Exception.class, () -> pipeline(retry().build()).execute(expired, script, outcomes));
    assertEquals(Rejection.DEADLINE_EXPIRED, outcomes.lastRejection);
    assertTrue(e.getMessage().startsWith("levee: deadline expired for api.example.com:443"), e.getMessage());
    assertEquals(0, script.attempts());
  }

  @Test
  void timeoutsCutShortByTheCallersDeadlineNeverOpenTheBreaker() throws Exception {
    PolicyConfig p = policy(retry().maxAttempts(1).build(), TimeoutConfig.builder().build(),
        CircuitBreakerConfig.builder().slidingWindowSize(4).minimumNumberOfCalls(4).build(), BulkheadConfig.builder().build());
    CallPipeline pipeline = pipeline(p);
    for (int i = 0; i < 6; i++) {
      CallSpec impatient = new CallSpec(TARGET, "GET", false, true, clock.currentTimeMillis() + 200);
      Script cut = new Script(new SocketTimeoutException("cut at the caller's deadline"));
      assertThrows(SocketTimeoutException.class, () -> pipeline.execute(impatient, cut, outcomes));
      assertEquals(List.of(200_000_000L), cut.timeouts);
    }
    assertEquals(200, pipeline.execute(get(), new Script(200), outcomes), "the breaker is still closed");
    for (int i = 0; i < 3; i++) {
      Script own = new Script(new SocketTimeoutException("timeout.attempt ran out"));
      assertThrows(SocketTimeoutException.class, () -> pipeline.execute(get(), own, outcomes));
    }
    assertThrows(CircuitOpenException.class, () -> pipeline.execute(get(), new Script(200), outcomes),
        "the dependency's own timeouts do count: 3 of 4 calls failed");
  }

  @Test
  void aConnectStillUnfinishedAtTheCallersDeadlineIsNotHeldAgainstTheTarget() throws Exception {
    PolicyConfig p = policy(retry().maxAttempts(1).build(), TimeoutConfig.builder().build(),
        CircuitBreakerConfig.builder().slidingWindowSize(4).minimumNumberOfCalls(4).build(), BulkheadConfig.builder().build());
    CallPipeline pipeline = pipeline(p);
    for (int i = 0; i < 6; i++) {
      CallSpec impatient = new CallSpec(TARGET, "GET", false, true, clock.currentTimeMillis() + 200);
      Script unfinished = new Script(new ConnectException("connect did not complete in time"));
      unfinished.attemptTakesNanos = 200_000_000L;
      assertThrows(ConnectException.class, () -> pipeline.execute(impatient, unfinished, outcomes));
    }
    assertEquals(200, pipeline.execute(get(), new Script(200), outcomes), "the breaker is still closed");
    for (int i = 0; i < 3; i++) {
      CallSpec impatient = new CallSpec(TARGET, "GET", false, true, clock.currentTimeMillis() + 200);
      Script refused = new Script(new ConnectException("refused at once"));
      assertThrows(ConnectException.class, () -> pipeline.execute(impatient, refused, outcomes));
    }
    assertThrows(CircuitOpenException.class, () -> pipeline.execute(get(), new Script(200), outcomes),
        "a refused connect is the dependency's failure, deadline or not");
  }

  @Test
  void anOpenBreakerFailsFastWithoutAnAttempt() throws Exception {
    PolicyConfig p = policy(retry().maxAttempts(1).build(), TimeoutConfig.builder().build(),
        CircuitBreakerConfig.builder().slidingWindowSize(4).minimumNumberOfCalls(4).build(), BulkheadConfig.builder().build());
    CallPipeline pipeline = pipeline(p);
    for (int i = 0; i < 4; i++) {
      assertEquals(500, pipeline.execute(get(), new Script(500), outcomes));
    }
    Script script = new Script(200);
    Exception e = assertThrows(CircuitOpenException.class, () -> pipeline.execute(get(), script, outcomes));
    assertTrue(e.getMessage().startsWith("levee: circuit open for api.example.com:443"), e.getMessage());
    assertEquals(0, script.attempts());
  }

  @Test
  void retriesStopWhenTheBreakerWouldRefuseTheNextAttempt() throws Exception {
    PolicyConfig p = policy(retry().maxAttempts(5).build(), TimeoutConfig.builder().build(),
        CircuitBreakerConfig.builder().slidingWindowSize(2).minimumNumberOfCalls(2).build(), BulkheadConfig.builder().build());
    Script script = new Script(503);
    assertEquals(503, pipeline(p).execute(get(), script, outcomes));
    assertEquals(2, script.attempts(), "the second failure opened the breaker; the app gets that 503");
    assertEquals(1, outcomes.discarded.size());
  }

  @Test
  void aFullBulkheadRejectsAndEveryPermitComesBack() throws Exception {
    PolicyConfig p = policy(retry().maxAttempts(1).build(), TimeoutConfig.builder().build(),
        CircuitBreakerConfig.builder().build(), BulkheadConfig.builder().maxConcurrentCalls(1).build());
    CallPipeline pipeline = pipeline(p);
    Exception[] inner = new Exception[1];
    Integer result = pipeline.execute(get(), attempt -> {
      try {
        pipeline.execute(get(), new Script(200), outcomes);
      } catch (Exception e) {
        inner[0] = e;
      }
      return 200;
    }, outcomes);
    assertEquals(200, result);
    assertTrue(inner[0] instanceof BulkheadFullException, String.valueOf(inner[0]));
    assertTrue(inner[0].getMessage().startsWith("levee: bulkhead full for api.example.com:443"), inner[0].getMessage());
    assertEquals(0, pipeline.policies(TARGET).bulkhead.inFlight());
    assertThrows(IOException.class, () -> pipeline.execute(get(), new Script(new IOException("x")), outcomes));
    assertEquals(0, pipeline.policies(TARGET).bulkhead.inFlight());
  }

  @Test
  void anInterruptedAttemptIsNotRetriedNorRecorded() {
    CallPipeline pipeline = pipeline(retry().build());
    Script script = new Script(new InterruptedException(), 200);
    assertThrows(InterruptedException.class, () -> pipeline.execute(get(), script, outcomes));
    assertEquals(1, script.attempts());
    assertEquals(0, pipeline.policies(TARGET).breaker.snapshot().totalCalls());
  }

  @Test
  void aProbeWhoseAnswerIsLostIsGivenUpAfterTheBulkheadWaitAndTheAttemptTimeoutPlusASecond() throws Exception {
    CallPipeline pipeline = pipeline(policy(retry().maxAttempts(1).build(),
        TimeoutConfig.builder().attempt(Duration.ofSeconds(2)).build(),
        CircuitBreakerConfig.builder().slidingWindowSize(1).minimumNumberOfCalls(1)
            .waitDurationInOpenState(Duration.ofSeconds(10)).permittedNumberOfCallsInHalfOpenState(1).build(),
        BulkheadConfig.builder().maxWaitDuration(Duration.ofMillis(500)).build()));
    assertThrows(ConnectException.class, () -> pipeline.execute(get(), new Script(new ConnectException("x")), outcomes));
    CircuitBreaker breaker = pipeline.policies(TARGET).breaker;
    assertEquals(CircuitBreaker.State.OPEN, breaker.state());
    clock.advance(Duration.ofSeconds(10));
    assertTrue(breaker.tryAcquirePermission()); // a probe whose outcome never comes back

    clock.advance(Duration.ofMillis(3_500).minusNanos(1));
    assertThrows(CircuitOpenException.class, () -> pipeline.execute(get(), new Script(200), outcomes));
    assertEquals(CircuitBreaker.State.HALF_OPEN, breaker.state());
    clock.advanceNanos(1);
    CircuitOpenException refused =
        assertThrows(CircuitOpenException.class, () -> pipeline.execute(get(), new Script(200), outcomes));
    assertEquals(CircuitBreaker.State.OPEN, breaker.state());
    assertEquals("levee: circuit open for api.example.com:443 (a probe call never answered within 3500ms); next probe in 10s",
        refused.getMessage());
    clock.advance(Duration.ofSeconds(10));
    assertEquals(200, pipeline.execute(get(), new Script(200), outcomes));
    assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
  }

  @Test
  void aProbeIsWaitedForAtMostAMinuteOrTheOpenWaitWhenTheAttemptTimeoutIsHours() {
    CircuitBreakerConfig.Builder breaker = CircuitBreakerConfig.builder();
    TimeoutConfig day = TimeoutConfig.builder().attempt(Duration.ofHours(24)).build();
    PolicyConfig jdbc = policy(retry().build(), day, breaker.build(), BulkheadConfig.builder().build());
    assertEquals(Duration.ofMinutes(1), TargetPolicies.probeTimeout(jdbc));
    PolicyConfig longOpen = policy(retry().build(), day,
        breaker.waitDurationInOpenState(Duration.ofMinutes(5)).build(), BulkheadConfig.builder().build());
    assertEquals(Duration.ofMinutes(5), TargetPolicies.probeTimeout(longOpen));
    assertEquals(Duration.ofSeconds(31), TargetPolicies.probeTimeout(PolicyConfig.httpDefaults()));
    assertEquals(Duration.ofMinutes(1), TargetPolicies.probeTimeout(PolicyConfig.jdbcDefaults()));
  }

  @Test
  void hostRulesPickThePolicyPerTarget() throws Exception {
    PolicyConfig strict = policy(retry().maxAttempts(1).build(), TimeoutConfig.builder().build(),
        CircuitBreakerConfig.builder().build(), BulkheadConfig.builder().build());
    CallPipeline pipeline = new CallPipeline(
        new HostRules(PolicyConfig.httpDefaults(), java.util.Map.of("billing.internal", strict)), clock, () -> 0.5, null);
    Script billing = new Script(503, 200);
    pipeline.execute(new CallSpec(Target.of("billing.internal", 80), "GET", false, true, CallSpec.NO_DEADLINE), billing, outcomes);
    assertEquals(1, billing.attempts());
    Script other = new Script(503, 200);
    pipeline.execute(get(), other, outcomes);
    assertEquals(2, other.attempts());
  }

  /** A clock that only moves when told to, or when the pipeline sleeps. */
  static final class ManualClock implements Clock {
    static final long START_MILLIS = 1_700_000_000_000L;
    long nanos = 1_000_000_000L;
    final List<Long> sleeps = new ArrayList<>();

    void advanceNanos(long n) {
      nanos += n;
    }

    void advance(Duration d) {
      nanos += d.toNanos();
    }

    @Override
    public long nanoTime() {
      return nanos;
    }

    @Override
    public long currentTimeMillis() {
      return START_MILLIS + (nanos - 1_000_000_000L) / 1_000_000L;
    }

    @Override
    public void sleepNanos(long n) {
      sleeps.add(n);
      nanos += n;
    }
  }

  /** Integer results are HTTP statuses; exceptions classify as the JDK's would. */
  static final class TestOutcomes implements OutcomeClassifier<Integer> {
    final List<Integer> discarded = new ArrayList<>();
    long retryAfterMillis = -1;
    Rejection lastRejection;
    /** Every exception is a local end. */
    boolean local;

    @Override
    public Outcome classify(Integer result) {
      return Outcome.status(result);
    }

    @Override
    public Outcome classify(Throwable error) {
      if (local) {
        return Outcome.LOCAL;
      }
      if (error instanceof ConnectException) {
        return Outcome.CONNECT_FAILURE;
      }
      if (error instanceof SocketTimeoutException) {
        return Outcome.TIMEOUT;
      }
      return error instanceof IOException ? Outcome.RESET : Outcome.APPLICATION_ERROR;
    }

    @Override
    public long retryAfterMillis(Integer result, long nowEpochMillis) {
      return result == 503 ? retryAfterMillis : -1;
    }

    @Override
    public void discard(Integer result) {
      discarded.add(result);
    }

    @Override
    public Exception rejection(Rejection reason, String message) {
      lastRejection = reason;
      switch (reason) {
        case CIRCUIT_OPEN:
          return new CircuitOpenException(message);
        case BULKHEAD_FULL:
          return new BulkheadFullException(message);
        default:
          return new SocketTimeoutException(message);
      }
    }
  }

  @Test
  void metricsCountEachAttemptEachCallsEndAndEachRefusal() throws Exception {
    CallPipeline pipeline = pipeline(policy(retry().maxAttempts(3).build(), TimeoutConfig.builder().build(),
        CircuitBreakerConfig.builder().slidingWindowSize(4).minimumNumberOfCalls(4).build(), BulkheadConfig.builder().build()));
    assertEquals(200, pipeline.execute(get(), new Script(503, 200), outcomes)); // successful with retry
    assertEquals(200, pipeline.execute(get(), new Script(200), outcomes)); // successful without retry
    assertEquals(503, pipeline.execute(post(), new Script(503), outcomes)); // failed without retry; 2 of 4 failed: opens
    assertThrows(CircuitOpenException.class, () -> pipeline.execute(get(), new Script(200), outcomes));
    dev.levee.core.metrics.CallMetrics m = pipeline.policies(TARGET).metrics;
    assertEquals(2, m.judged(dev.levee.core.metrics.CallMetrics.Judged.SUCCESSFUL));
    assertEquals(2, m.judged(dev.levee.core.metrics.CallMetrics.Judged.FAILED));
    assertEquals(1, m.ended(dev.levee.core.metrics.CallMetrics.CallEnd.SUCCESSFUL_WITH_RETRY));
    assertEquals(1, m.ended(dev.levee.core.metrics.CallMetrics.CallEnd.SUCCESSFUL_WITHOUT_RETRY));
    assertEquals(1, m.ended(dev.levee.core.metrics.CallMetrics.CallEnd.FAILED_WITHOUT_RETRY));
    assertEquals(0, m.ended(dev.levee.core.metrics.CallMetrics.CallEnd.FAILED_WITH_RETRY), "a refused call never ended an attempt");
    assertEquals(1, m.rejections(Rejection.CIRCUIT_OPEN.ordinal()));
    assertEquals(4, m.attemptCount(dev.levee.core.metrics.CallMetrics.Judged.SUCCESSFUL)
        + m.attemptCount(dev.levee.core.metrics.CallMetrics.Judged.FAILED));
  }

  @Test
  void reloadedRulesApplyToNewCallsAndKeepTheStateOfUnchangedPolicies() throws Exception {
    CircuitBreakerConfig breaker = CircuitBreakerConfig.builder().slidingWindowSize(2).minimumNumberOfCalls(2).build();
    CallPipeline pipeline = pipeline(policy(retry().maxAttempts(1).build(), TimeoutConfig.builder().build(), breaker,
        BulkheadConfig.builder().build()));
    Script first = new Script(503);
    assertEquals(503, pipeline.execute(get(), first, outcomes));
    assertEquals(1, first.attempts());

    pipeline.reconfigure(HostRules.of(policy(retry().maxAttempts(3).build(), TimeoutConfig.builder().build(), breaker,
        BulkheadConfig.builder().build())));
    Script second = new Script(503, 503, 503);
    assertEquals(503, pipeline.execute(get(), second, outcomes));
    assertEquals(1, second.attempts(), "the breaker kept its window across the reload: 2 of 2 failed opened it at "
        + "once, so the new maxAttempts of 3 found the breaker refusing a retry (a new breaker would have let 2 through)");
    assertEquals(dev.levee.core.policy.CircuitBreaker.State.OPEN, pipeline.policies(TARGET).breaker.state());

    pipeline.reconfigure(HostRules.of(policy(retry().maxAttempts(2).build(), TimeoutConfig.builder().build(), breaker,
        BulkheadConfig.builder().maxConcurrentCalls(5).build())));
    assertThrows(CircuitOpenException.class, () -> pipeline.execute(get(), new Script(200), outcomes),
        "an open breaker stays open when only retry and bulkhead settings change");
    assertEquals(5, pipeline.policies(TARGET).concurrencyLimit());
    assertEquals(2, pipeline.policies(TARGET).metrics.judged(dev.levee.core.metrics.CallMetrics.Judged.FAILED),
        "counters are kept");

    pipeline.reconfigure(HostRules.of(policy(retry().maxAttempts(2).build(), TimeoutConfig.builder().build(),
        CircuitBreakerConfig.builder().slidingWindowSize(10).minimumNumberOfCalls(10).build(), BulkheadConfig.builder().build())));
    assertEquals(200, pipeline.execute(get(), new Script(200), outcomes), "new breaker settings: a new breaker");
    Script retried = new Script(503, 200);
    assertEquals(200, pipeline.execute(get(), retried, outcomes));
    assertEquals(2, retried.attempts(), "maxAttempts 2 now");
  }
}
