package dev.levee.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.Outcome;
import dev.levee.core.OutcomeSet;
import dev.levee.core.Target;
import dev.levee.core.config.CircuitBreakerConfig;
import dev.levee.core.config.CircuitBreakerConfig.SlidingWindowType;
import dev.levee.core.policy.CircuitBreaker.State;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

  static final Target TARGET = Target.of("api.example.com", 443);
  static final long FAST = Duration.ofMillis(10).toNanos();
  static final long SLOW = Duration.ofSeconds(2).toNanos();
  static final Duration WAIT = Duration.ofSeconds(30);
  /** How long a half-open probe may go unanswered (the pipeline's: bulkhead wait + attempt + margin). */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(11);

  private final ManualClock clock = new ManualClock();

  /** Window of 10 calls, opens at 50% after 4 calls, 3 probes, 30s wait, slow = over 1s. */
  static CircuitBreakerConfig.Builder config() {
    return CircuitBreakerConfig.builder()
        .slidingWindowType(SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(10)
        .minimumNumberOfCalls(4)
        .failureRateThreshold(50)
        .slowCallDurationThreshold(Duration.ofSeconds(1))
        .slowCallRateThreshold(100)
        .waitDurationInOpenState(WAIT)
        .permittedNumberOfCallsInHalfOpenState(3)
        .recordOn(OutcomeSet.of("connect-failure", "reset", "timeout", "5xx"));
  }

  private CircuitBreaker breaker(CircuitBreakerConfig.Builder config) {
    return new CircuitBreaker(TARGET, config.build(), clock, PROBE_TIMEOUT);
  }

  static void call(CircuitBreaker cb, long durationNanos, Outcome outcome) {
    assertTrue(cb.tryAcquirePermission(), "permitted in " + cb.state());
    cb.onResult(durationNanos, outcome);
  }

  static void calls(CircuitBreaker cb, int n, Outcome outcome) {
    for (int i = 0; i < n; i++) {
      call(cb, FAST, outcome);
    }
  }

  private CircuitBreaker openBreaker() {
    CircuitBreaker cb = breaker(config());
    calls(cb, 4, Outcome.CONNECT_FAILURE);
    assertEquals(State.OPEN, cb.state());
    return cb;
  }

  private CircuitBreaker halfOpenBreaker() {
    CircuitBreaker cb = openBreaker();
    clock.advance(WAIT);
    return cb;
  }

  // --- CLOSED -> OPEN

  @Test
  void opensExactlyAtTheThresholdOnceTheMinimumIsReached() {
    CircuitBreaker cb = breaker(config());
    call(cb, FAST, Outcome.SUCCESS);
    call(cb, FAST, Outcome.status(503));
    call(cb, FAST, Outcome.status(200));
    assertEquals(State.CLOSED, cb.state()); // 3 calls: under the minimum of 4
    call(cb, FAST, Outcome.TIMEOUT); // 4 calls, 2 failed: 50% >= 50%
    assertEquals(State.OPEN, cb.state());
    assertEquals(new CallWindow.Snapshot(4, 2, 0), cb.snapshot());
  }

  @Test
  void staysClosedJustUnderTheThreshold() {
    CircuitBreaker cb = breaker(config());
    calls(cb, 6, Outcome.SUCCESS);
    calls(cb, 4, Outcome.RESET); // 4 of 10 = 40%
    assertEquals(State.CLOSED, cb.state());
    assertEquals(40f, cb.snapshot().failureRate());
    call(cb, FAST, Outcome.RESET); // evicts a success: 5 of 10
    assertEquals(State.OPEN, cb.state());
  }

  @Test
  void doesNotOpenBelowTheMinimumNumberOfCalls() {
    CircuitBreaker cb = breaker(config());
    calls(cb, 3, Outcome.CONNECT_FAILURE);
    assertEquals(State.CLOSED, cb.state());
    assertEquals(100f, cb.snapshot().failureRate());
    assertTrue(cb.isCallPermitted());
  }

  @Test
  void aMinimumLargerThanTheCountWindowIsRefusedByTheConfigNotQuietlyCapped() {
    IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> config().slidingWindowSize(5).minimumNumberOfCalls(20).build());
    assertEquals("minimumNumberOfCalls (20) is more than the COUNT_BASED slidingWindowSize (5): the breaker could never "
        + "open", refused.getMessage());
    CircuitBreaker cb = breaker(config().slidingWindowType(SlidingWindowType.TIME_BASED).slidingWindowSize(5)
        .minimumNumberOfCalls(20));
    calls(cb, 19, Outcome.CONNECT_FAILURE);
    assertEquals(State.CLOSED, cb.state(), "a time-based window may hold more calls than its seconds");
    calls(cb, 1, Outcome.CONNECT_FAILURE);
    assertEquals(State.OPEN, cb.state());
  }

  @Test
  void onlyRecordOnOutcomesCountAsFailures() {
    CircuitBreaker cb = breaker(config());
    Outcome[] notFailures = {
      Outcome.status(200), Outcome.status(404), Outcome.status(429), Outcome.status(499),
      Outcome.SUCCESS, Outcome.APPLICATION_ERROR, Outcome.TRANSIENT, Outcome.status(302)
    };
    for (Outcome o : notFailures) {
      call(cb, FAST, o);
      call(cb, FAST, o);
    }
    assertEquals(State.CLOSED, cb.state());
    assertEquals(0, cb.snapshot().failedCalls());
    assertEquals(10, cb.snapshot().totalCalls());

    CircuitBreaker fives = breaker(config());
    call(fives, FAST, Outcome.status(500));
    call(fives, FAST, Outcome.status(503));
    call(fives, FAST, Outcome.status(599));
    assertEquals(3, fives.snapshot().failedCalls());
  }

  @Test
  void exactStatusCodesInRecordOn() {
    CircuitBreaker cb = breaker(config().recordOn(OutcomeSet.of("503")));
    call(cb, FAST, Outcome.status(500));
    call(cb, FAST, Outcome.CONNECT_FAILURE);
    call(cb, FAST, Outcome.status(503));
    assertEquals(1, cb.snapshot().failedCalls());
  }

  @Test
  void rejectedOutcomesAreIgnored() {
    CircuitBreaker cb = breaker(config());
    for (int i = 0; i < 10; i++) {
      cb.onResult(FAST, Outcome.REJECTED);
    }
    cb.onResult(FAST, null);
    assertEquals(CallWindow.Snapshot.EMPTY, cb.snapshot());
    assertEquals(State.CLOSED, cb.state());
  }

  // --- slow calls

  @Test
  void slowCallsOpenItWhenTheirRateReachesTheThreshold() {
    CircuitBreaker cb = breaker(config().slowCallRateThreshold(50));
    call(cb, SLOW, Outcome.SUCCESS);
    call(cb, FAST, Outcome.SUCCESS);
    call(cb, FAST, Outcome.SUCCESS);
    assertEquals(State.CLOSED, cb.state());
    call(cb, SLOW, Outcome.status(200)); // 2 of 4 slow
    assertEquals(State.OPEN, cb.state());
    assertEquals(new CallWindow.Snapshot(4, 0, 2), cb.snapshot());
    assertTrue(cb.rejectionMessage().contains("(2 of the last 4 calls were slow)"), cb.rejectionMessage());
  }

  @Test
  void aCallExactlyAtTheSlowThresholdIsNotSlow() {
    CircuitBreaker cb = breaker(config().slowCallRateThreshold(50));
    long exactly = Duration.ofSeconds(1).toNanos();
    for (int i = 0; i < 4; i++) {
      call(cb, exactly, Outcome.SUCCESS);
    }
    assertEquals(0, cb.snapshot().slowCalls());
    call(cb, exactly + 1, Outcome.SUCCESS);
    assertEquals(1, cb.snapshot().slowCalls());
  }

  @Test
  void slowCallRateThresholdOf100MeansSlowCallsAloneNeverOpenIt() {
    CircuitBreaker cb = breaker(config().slowCallRateThreshold(100));
    for (int i = 0; i < 50; i++) {
      call(cb, SLOW, Outcome.SUCCESS);
    }
    assertEquals(State.CLOSED, cb.state());
    assertEquals(new CallWindow.Snapshot(10, 0, 10), cb.snapshot());
    assertEquals(100f, cb.snapshot().slowCallRate());
  }

  @Test
  void slowFailuresStillOpenItAsFailuresWhenTheSlowRuleIsOff() {
    CircuitBreaker cb = breaker(config().slowCallRateThreshold(100));
    for (int i = 0; i < 4; i++) {
      call(cb, SLOW, Outcome.TIMEOUT);
    }
    assertEquals(State.OPEN, cb.state());
    assertTrue(cb.rejectionMessage().contains("4 of the last 4 calls failed"), cb.rejectionMessage());
  }

  // --- windows

  @Test
  void countBasedWindowForgetsOldCalls() {
    CircuitBreaker cb = breaker(config().slidingWindowSize(4).failureRateThreshold(75));
    call(cb, FAST, Outcome.RESET);
    calls(cb, 3, Outcome.SUCCESS); // F S S S: 25%
    call(cb, FAST, Outcome.RESET); // evicts F: S S S F, 25%
    call(cb, FAST, Outcome.RESET); // S S F F, 50%
    assertEquals(State.CLOSED, cb.state());
    assertEquals(new CallWindow.Snapshot(4, 2, 0), cb.snapshot());
    call(cb, FAST, Outcome.RESET); // S F F F, 75%
    assertEquals(State.OPEN, cb.state());
  }

  @Test
  void timeBasedWindowForgetsOldCalls() {
    clock.setNanoTime(1_000_000_000_000L); // a whole second
    CircuitBreaker cb = breaker(config().slidingWindowType(SlidingWindowType.TIME_BASED).slidingWindowSize(10));
    calls(cb, 2, Outcome.CONNECT_FAILURE);
    clock.advance(Duration.ofSeconds(10)); // both failures age out
    calls(cb, 2, Outcome.SUCCESS); // with them this would be 2 of 4 failed
    assertEquals(State.CLOSED, cb.state());
    assertEquals(new CallWindow.Snapshot(2, 0, 0), cb.snapshot());
    call(cb, FAST, Outcome.CONNECT_FAILURE);
    assertEquals(State.CLOSED, cb.state());
    clock.advance(Duration.ofSeconds(9)); // still inside the window
    call(cb, FAST, Outcome.CONNECT_FAILURE); // 2 of 4
    assertEquals(State.OPEN, cb.state());
    assertEquals(
        "levee: circuit open for api.example.com:443 (2 of 4 calls in the last 10s failed); next probe in 30s",
        cb.rejectionMessage());
  }

  // --- OPEN -> HALF_OPEN -> CLOSED / OPEN

  @Test
  void openRejectsUntilTheWaitHasPassedThenProbesAreLimitedThenSuccessesClose() {
    CircuitBreaker cb = openBreaker();
    assertFalse(cb.tryAcquirePermission());
    assertFalse(cb.isCallPermitted());
    assertEquals(WAIT.toNanos(), cb.remainingOpenNanos());

    clock.advance(WAIT.minusNanos(1));
    assertFalse(cb.tryAcquirePermission());
    assertFalse(cb.isCallPermitted());
    assertEquals(1, cb.remainingOpenNanos());
    assertEquals(State.OPEN, cb.state());

    clock.advanceNanos(1);
    assertTrue(cb.isCallPermitted());
    assertEquals(State.OPEN, cb.state()); // lazy: only a call moves it
    assertEquals(0, cb.remainingOpenNanos());

    assertTrue(cb.tryAcquirePermission());
    assertEquals(State.HALF_OPEN, cb.state());
    assertTrue(cb.tryAcquirePermission());
    assertTrue(cb.tryAcquirePermission());
    assertFalse(cb.tryAcquirePermission());
    assertFalse(cb.isCallPermitted());
    assertEquals(0, cb.remainingOpenNanos());
    assertEquals(
        "levee: circuit half-open for api.example.com:443 (3 probe calls in flight); try again when they complete",
        cb.rejectionMessage());

    cb.onResult(FAST, Outcome.SUCCESS);
    cb.onResult(FAST, Outcome.status(404));
    assertEquals(State.HALF_OPEN, cb.state());
    assertEquals(new CallWindow.Snapshot(2, 0, 0), cb.snapshot());
    assertFalse(cb.tryAcquirePermission()); // finished probes still count against the limit
    assertEquals(
        "levee: circuit half-open for api.example.com:443 (1 probe call in flight); try again when it completes",
        cb.rejectionMessage());
    cb.onResult(FAST, Outcome.SUCCESS);

    assertEquals(State.CLOSED, cb.state());
    assertEquals(CallWindow.Snapshot.EMPTY, cb.snapshot()); // a fresh window
    assertTrue(cb.tryAcquirePermission());
  }

  @Test
  void failingProbesReopenAndRestartTheWait() {
    CircuitBreaker cb = halfOpenBreaker();
    call(cb, FAST, Outcome.SUCCESS);
    call(cb, FAST, Outcome.CONNECT_FAILURE);
    assertEquals(State.HALF_OPEN, cb.state());
    call(cb, FAST, Outcome.status(502)); // 2 of 3 failed
    assertEquals(State.OPEN, cb.state());
    assertEquals(WAIT.toNanos(), cb.remainingOpenNanos());
    assertEquals(new CallWindow.Snapshot(3, 2, 0), cb.snapshot());
    assertEquals(
        "levee: circuit open for api.example.com:443 (2 of 3 probe calls failed); next probe in 30s",
        cb.rejectionMessage());
    assertFalse(cb.tryAcquirePermission());

    clock.advance(WAIT.minusMillis(1));
    assertFalse(cb.tryAcquirePermission());
    clock.advance(Duration.ofMillis(1));
    assertTrue(cb.tryAcquirePermission());
    assertEquals(State.HALF_OPEN, cb.state());
  }

  @Test
  void probesUnderTheThresholdClose() {
    CircuitBreaker cb = halfOpenBreaker();
    call(cb, FAST, Outcome.CONNECT_FAILURE); // 1 of 3 = 33% < 50%
    call(cb, FAST, Outcome.SUCCESS);
    call(cb, FAST, Outcome.SUCCESS);
    assertEquals(State.CLOSED, cb.state());
  }

  @Test
  void slowProbesReopenWhenTheSlowRuleIsOn() {
    CircuitBreaker cb = new CircuitBreaker(TARGET, config().slowCallRateThreshold(50).build(), clock, PROBE_TIMEOUT);
    calls(cb, 4, Outcome.CONNECT_FAILURE);
    clock.advance(WAIT);
    call(cb, SLOW, Outcome.SUCCESS);
    call(cb, SLOW, Outcome.SUCCESS);
    call(cb, FAST, Outcome.SUCCESS);
    assertEquals(State.OPEN, cb.state());
    assertTrue(cb.rejectionMessage().contains("(2 of 3 probe calls were slow)"), cb.rejectionMessage());
  }

  @Test
  void slowProbesCloseWhenTheSlowRuleIsOff() {
    CircuitBreaker cb = halfOpenBreaker();
    for (int i = 0; i < 3; i++) {
      call(cb, SLOW, Outcome.SUCCESS);
    }
    assertEquals(State.CLOSED, cb.state());
  }

  @Test
  void releasePermissionFreesAHalfOpenSlot() {
    CircuitBreaker cb = halfOpenBreaker();
    assertTrue(cb.tryAcquirePermission());
    assertTrue(cb.tryAcquirePermission());
    assertTrue(cb.tryAcquirePermission());
    assertFalse(cb.tryAcquirePermission());
    cb.releasePermission();
    assertTrue(cb.isCallPermitted());
    assertTrue(cb.tryAcquirePermission());
    assertFalse(cb.tryAcquirePermission());
    // the released probe never counted: three results are still needed
    cb.onResult(FAST, Outcome.SUCCESS);
    cb.onResult(FAST, Outcome.SUCCESS);
    assertEquals(State.HALF_OPEN, cb.state());
    cb.onResult(FAST, Outcome.SUCCESS);
    assertEquals(State.CLOSED, cb.state());
  }

  @Test
  void aReleaseWithNoProbeInFlightDoesNotAddSlots() {
    CircuitBreaker cb = halfOpenBreaker();
    call(cb, FAST, Outcome.SUCCESS);
    cb.releasePermission(); // e.g. a call admitted while CLOSED, cancelled now
    cb.releasePermission();
    assertTrue(cb.tryAcquirePermission());
    assertTrue(cb.tryAcquirePermission());
    assertFalse(cb.tryAcquirePermission());
  }

  @Test
  void releaseInClosedOrOpenChangesNothing() {
    CircuitBreaker cb = breaker(config());
    cb.releasePermission();
    assertEquals(State.CLOSED, cb.state());
    calls(cb, 4, Outcome.TIMEOUT);
    cb.releasePermission();
    assertEquals(State.OPEN, cb.state());
    assertEquals(WAIT.toNanos(), cb.remainingOpenNanos());
  }

  // --- a probe that never answers

  @Test
  void anUnansweredProbeIsGivenUpAfterTheProbeTimeoutAndTheBreakerReopens() {
    CircuitBreaker cb = halfOpenBreaker();
    assertTrue(cb.tryAcquirePermission()); // the probe that never answers
    call(cb, FAST, Outcome.SUCCESS);
    call(cb, FAST, Outcome.SUCCESS);

    clock.advance(PROBE_TIMEOUT.minusNanos(1));
    assertFalse(cb.tryAcquirePermission());
    assertEquals(State.HALF_OPEN, cb.state(), "not given up before the probe timeout");
    assertTrue(cb.rejectionMessage().contains("(1 probe call in flight)"), cb.rejectionMessage());

    clock.advanceNanos(1);
    assertFalse(cb.tryAcquirePermission(), "the call that finds it lost is refused: the breaker reopens");
    assertEquals(State.OPEN, cb.state());
    assertEquals(
        "levee: circuit open for api.example.com:443 (a probe call never answered within 11s); next probe in 30s",
        cb.rejectionMessage());
    assertEquals(new CallWindow.Snapshot(2, 0, 0), cb.snapshot());

    clock.advance(WAIT);
    assertTrue(cb.tryAcquirePermission(), "after the wait, a new round of probes");
    assertEquals(State.HALF_OPEN, cb.state());
    call(cb, FAST, Outcome.SUCCESS);
    call(cb, FAST, Outcome.SUCCESS);
    cb.onResult(FAST, Outcome.SUCCESS);
    assertEquals(State.CLOSED, cb.state());
  }

  @Test
  void theProbeTimeoutCountsFromTheNewestProbe() {
    CircuitBreaker cb = halfOpenBreaker();
    assertTrue(cb.tryAcquirePermission());
    assertTrue(cb.tryAcquirePermission());
    assertTrue(cb.tryAcquirePermission());
    clock.advance(Duration.ofSeconds(10));
    cb.releasePermission(); // e.g. refused by the bulkhead: its slot goes to a new probe
    assertTrue(cb.tryAcquirePermission());

    clock.advance(PROBE_TIMEOUT.minusSeconds(10).minusNanos(1)); // the first probes are past it, the newest not
    assertFalse(cb.tryAcquirePermission());
    assertEquals(State.HALF_OPEN, cb.state());
    clock.advance(Duration.ofSeconds(10).plusNanos(1));
    assertFalse(cb.tryAcquirePermission());
    assertEquals(State.OPEN, cb.state());
    assertTrue(cb.rejectionMessage().contains("(3 probe calls never answered within 11s)"), cb.rejectionMessage());
  }

  @Test
  void theLateAnswerOfAProbeGivenUpOnNeverDecidesALaterRound() {
    CircuitBreaker cb = breaker(config().permittedNumberOfCallsInHalfOpenState(1));
    calls(cb, 4, Outcome.CONNECT_FAILURE);
    clock.advance(WAIT);
    assertTrue(cb.tryAcquirePermission()); // the lost probe
    long lostStarted = clock.nanoTime();
    clock.advance(PROBE_TIMEOUT);
    assertFalse(cb.tryAcquirePermission());
    assertEquals(State.OPEN, cb.state());

    cb.onResult(clock.nanoTime() - lostStarted, Outcome.SUCCESS); // late, while open: ignored
    assertEquals(State.OPEN, cb.state());
    assertEquals(WAIT.toNanos(), cb.remainingOpenNanos());

    clock.advance(WAIT);
    assertTrue(cb.tryAcquirePermission()); // this round's probe, in flight
    clock.advance(Duration.ofSeconds(1));
    cb.onResult(clock.nanoTime() - lostStarted, Outcome.SUCCESS); // later still: the lost probe's again
    assertEquals(State.HALF_OPEN, cb.state(), "the lost probe's answer did not pass for this round's");
    assertEquals(CallWindow.Snapshot.EMPTY, cb.snapshot());

    cb.onResult(Duration.ofSeconds(1).toNanos(), Outcome.CONNECT_FAILURE); // this round's own probe
    assertEquals(State.OPEN, cb.state());
    assertEquals(new CallWindow.Snapshot(1, 1, 0), cb.snapshot());
  }

  // --- results from calls that started in an earlier state

  @Test
  void resultsArrivingWhileOpenAreIgnored() {
    CircuitBreaker cb = breaker(config());
    assertTrue(cb.tryAcquirePermission()); // a long call, started while CLOSED
    calls(cb, 4, Outcome.CONNECT_FAILURE);
    assertEquals(State.OPEN, cb.state());
    cb.onResult(SLOW, Outcome.SUCCESS);
    assertEquals(State.OPEN, cb.state());
    assertEquals(new CallWindow.Snapshot(4, 4, 0), cb.snapshot());
  }

  @Test
  void resultsArrivingInHalfOpenWithNoProbeInFlightAreIgnored() {
    CircuitBreaker cb = halfOpenBreaker();
    assertTrue(cb.tryAcquirePermission()); // moves it to HALF_OPEN
    cb.onResult(FAST, Outcome.SUCCESS);
    // stragglers from CLOSED: no probe in flight, so they cannot decide the round
    for (int i = 0; i < 5; i++) {
      cb.onResult(SLOW, Outcome.SUCCESS);
    }
    assertEquals(State.HALF_OPEN, cb.state());
    assertEquals(new CallWindow.Snapshot(1, 0, 0), cb.snapshot());
  }

  @Test
  void lateProbeResultsAfterClosingCountInTheNewWindow() {
    CircuitBreaker cb = halfOpenBreaker();
    calls(cb, 3, Outcome.SUCCESS);
    assertEquals(State.CLOSED, cb.state());
    cb.onResult(FAST, Outcome.CONNECT_FAILURE);
    assertEquals(new CallWindow.Snapshot(1, 1, 0), cb.snapshot());
    assertEquals(State.CLOSED, cb.state()); // under the minimum
  }

  // --- messages

  @Test
  void rejectionMessageSaysWhyAndWhen() {
    CircuitBreaker cb = breaker(config().slidingWindowSize(20).minimumNumberOfCalls(20));
    calls(cb, 8, Outcome.SUCCESS);
    calls(cb, 12, Outcome.status(503));
    assertEquals(State.OPEN, cb.state());
    assertEquals(
        "levee: circuit open for api.example.com:443 (12 of the last 20 calls failed); next probe in 30s",
        cb.rejectionMessage());
    clock.advance(Duration.ofSeconds(12));
    assertTrue(cb.rejectionMessage().endsWith("; next probe in 18s"), cb.rejectionMessage());
    clock.advance(Duration.ofMillis(15_500));
    assertTrue(cb.rejectionMessage().endsWith("; next probe in 2.5s"), cb.rejectionMessage());
    clock.advance(Duration.ofMillis(2_450));
    assertTrue(cb.rejectionMessage().endsWith("; next probe in 0.1s"), cb.rejectionMessage());
  }

  @Test
  void delaysAreRoundedUp() {
    assertEquals("now", CircuitBreaker.formatDelay(0));
    assertEquals("in 0.1s", CircuitBreaker.formatDelay(1));
    assertEquals("in 2.5s", CircuitBreaker.formatDelay(2_500_000_000L));
    assertEquals("in 2.6s", CircuitBreaker.formatDelay(2_500_000_001L));
    assertEquals("in 9.9s", CircuitBreaker.formatDelay(9_900_000_000L));
    assertEquals("in 10s", CircuitBreaker.formatDelay(9_950_000_000L));
    assertEquals("in 10s", CircuitBreaker.formatDelay(10_000_000_000L));
    assertEquals("in 11s", CircuitBreaker.formatDelay(10_000_000_001L));
    assertEquals("in 18s", CircuitBreaker.formatDelay(18_000_000_000L));
  }

  @Test
  void ipv6TargetsAreBracketed() {
    CircuitBreaker cb = new CircuitBreaker(Target.of("[::1]", 8080), config().build(), clock, PROBE_TIMEOUT);
    calls(cb, 4, Outcome.RESET);
    assertTrue(cb.rejectionMessage().startsWith("levee: circuit open for [::1]:8080 ("), cb.rejectionMessage());
  }

  // --- every change of state is told, once, with its reason

  @Test
  void everyTransitionIsToldOnceWithItsReason() {
    java.util.List<String> told = new java.util.ArrayList<>();
    CircuitBreaker cb = new CircuitBreaker(TARGET, config().build(), clock, PROBE_TIMEOUT,
        (breaker, from, to, reason) -> told.add(from + " -> " + to + ": " + reason));
    calls(cb, 4, Outcome.CONNECT_FAILURE);
    clock.advance(WAIT);
    calls(cb, 3, Outcome.SUCCESS);
    calls(cb, 4, Outcome.RESET);
    clock.advance(WAIT);
    call(cb, FAST, Outcome.SUCCESS);
    calls(cb, 2, Outcome.TIMEOUT);
    clock.advance(WAIT);
    assertTrue(cb.tryAcquirePermission()); // a probe that never answers
    assertTrue(cb.tryAcquirePermission());
    assertTrue(cb.tryAcquirePermission());
    assertFalse(cb.tryAcquirePermission());
    clock.advance(PROBE_TIMEOUT);
    assertFalse(cb.tryAcquirePermission()); // gives up on them: reopens
    assertEquals(java.util.Arrays.asList(
        "CLOSED -> OPEN: 4 of the last 4 calls failed",
        "OPEN -> HALF_OPEN: open for 30s; up to 3 probe calls may pass",
        "HALF_OPEN -> CLOSED: 0 of 3 probe calls failed",
        "CLOSED -> OPEN: 4 of the last 4 calls failed", // closing starts a fresh window
        "OPEN -> HALF_OPEN: open for 30s; up to 3 probe calls may pass",
        "HALF_OPEN -> OPEN: 2 of 3 probe calls failed",
        "OPEN -> HALF_OPEN: open for 30s; up to 3 probe calls may pass",
        "HALF_OPEN -> OPEN: 3 probe calls never answered within 11s"), told);
  }

  @Test
  void aFaultTellingATransitionChangesNothing() {
    CircuitBreaker cb = new CircuitBreaker(TARGET, config().build(), clock, PROBE_TIMEOUT,
        (breaker, from, to, reason) -> {
          throw new IllegalStateException("listener fault");
        });
    calls(cb, 4, Outcome.CONNECT_FAILURE);
    assertEquals(State.OPEN, cb.state());
    clock.advance(WAIT);
    calls(cb, 3, Outcome.SUCCESS);
    assertEquals(State.CLOSED, cb.state());
  }
}
