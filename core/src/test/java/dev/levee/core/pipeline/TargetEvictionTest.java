package dev.levee.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.Clock;
import dev.levee.core.Target;
import dev.levee.core.config.BulkheadConfig;
import dev.levee.core.config.CircuitBreakerConfig;
import dev.levee.core.config.HostRules;
import dev.levee.core.config.PolicyConfig;
import dev.levee.core.config.RetryConfig;
import dev.levee.core.config.TimeoutConfig;
import dev.levee.core.policy.CircuitBreaker.State;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Idle targets forgotten, busy or failing ones kept, the cap: exact, on a manual clock. */
class TargetEvictionTest {

  static final Duration IDLE = CallPipeline.IDLE_TARGET;

  final CallPipelineTest.ManualClock clock = new CallPipelineTest.ManualClock();
  final CallPipelineTest.TestOutcomes outcomes = new CallPipelineTest.TestOutcomes();

  /** One attempt; the breaker opens on 2 failures of 2 and waits a minute; one call in flight, no wait. */
  static final PolicyConfig POLICY = CallPipelineTest.policy(
      RetryConfig.builder().maxAttempts(1).build(),
      TimeoutConfig.builder().build(),
      CircuitBreakerConfig.builder().slidingWindowSize(2).minimumNumberOfCalls(2)
          .waitDurationInOpenState(Duration.ofMinutes(1)).permittedNumberOfCallsInHalfOpenState(1).build(),
      BulkheadConfig.builder().maxConcurrentCalls(1).maxWaitDuration(Duration.ZERO).build());

  static Target host(int i) {
    return Target.of("tenant-" + i + ".example.com", 443);
  }

  static CallSpec get(Target target) {
    return new CallSpec(target, "GET", false, true, CallSpec.NO_DEADLINE);
  }

  CallPipeline pipeline() {
    return new CallPipeline(HostRules.of(POLICY), clock, () -> 0.5, null);
  }

  CallPipeline pipeline(int maxTargets) {
    return new CallPipeline(HostRules.of(POLICY), clock, () -> 0.5, null, IDLE, maxTargets);
  }

  int ok(CallPipeline pipeline, Target target) throws Exception {
    return pipeline.execute(get(target), attempt -> 200, outcomes);
  }

  void fail(CallPipeline pipeline, Target target) {
    assertThrows(ConnectException.class,
        () -> pipeline.execute(get(target), attempt -> { throw new ConnectException("refused"); }, outcomes));
  }

  @Test
  void anIdleClosedTargetIsForgottenAndItsNextCallStartsAfresh() throws Exception {
    CallPipeline pipeline = pipeline();
    fail(pipeline, host(1)); // one failure: still CLOSED, but remembered
    TargetPolicies first = pipeline.peek(host(1));
    assertEquals(1, first.breaker.snapshot().failedCalls());

    clock.advance(IDLE.minusNanos(1));
    assertEquals(200, ok(pipeline, host(2))); // a sweep: host 1 not idle long enough
    assertSame(first, pipeline.peek(host(1)));

    clock.advanceNanos(1);
    assertEquals(200, ok(pipeline, host(1))); // its own next call finds it forgotten, between sweeps too
    TargetPolicies second = pipeline.peek(host(1));
    assertNotSame(first, second);
    assertEquals(State.CLOSED, second.breaker.state());
    assertEquals(0, second.breaker.snapshot().failedCalls(), "the old failure is forgotten");
    assertEquals(1, second.breaker.snapshot().totalCalls());
  }

  @Test
  void openAndHalfOpenTargetsAreKeptHoweverLongIdle() throws Exception {
    CallPipeline pipeline = pipeline();
    assertEquals(200, ok(pipeline, host(0))); // CLOSED: forgotten alongside
    fail(pipeline, host(1));
    fail(pipeline, host(1));
    TargetPolicies open = pipeline.peek(host(1));
    assertEquals(State.OPEN, open.breaker.state());
    fail(pipeline, host(2));
    fail(pipeline, host(2));
    clock.advance(Duration.ofMinutes(1));
    TargetPolicies halfOpen = pipeline.peek(host(2));
    assertTrue(halfOpen.breaker.tryAcquirePermission()); // a probe, out
    assertEquals(State.HALF_OPEN, halfOpen.breaker.state());

    clock.advance(IDLE.multipliedBy(3));
    assertEquals(200, ok(pipeline, host(3))); // a sweep
    assertNull(pipeline.peek(host(0)));
    assertSame(open, pipeline.peek(host(1)), "an open breaker is never forgotten");
    assertSame(halfOpen, pipeline.peek(host(2)), "nor a half-open one");
    assertEquals(3, pipeline.targetCount());
  }

  @Test
  void aTargetWithACallInFlightIsKeptAndForgottenOnceIdleAfterIt() throws Exception {
    CallPipeline pipeline = pipeline();
    assertEquals(200, pipeline.execute(get(host(1)), attempt -> {
      TargetPolicies inFlight = pipeline.peek(host(1));
      clock.advance(IDLE.multipliedBy(2)); // a long call: no call started on host 1 since
      assertEquals(200, ok(pipeline, host(2))); // a sweep
      assertSame(inFlight, pipeline.peek(host(1)), "a call in flight keeps its target");
      return 200;
    }, outcomes));
    TargetPolicies kept = pipeline.peek(host(1));
    assertEquals(0, kept.bulkhead.inFlight(), "its permit went back to the bulkhead it came from");

    clock.advance(IDLE.dividedBy(10)); // the next sweep: no call started for 2 idle periods, none in flight
    assertEquals(200, ok(pipeline, host(2)));
    assertNull(pipeline.peek(host(1)));
  }

  @Test
  void pastTheCapTheLeastRecentlyUsedEvictableTargetsGoFirst() throws Exception {
    CallPipeline pipeline = pipeline(10); // past 10, down to 9
    List<TargetPolicies> created = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      assertEquals(200, ok(pipeline, host(i)));
      created.add(pipeline.peek(host(i)));
      clock.advance(Duration.ofSeconds(1));
    }
    fail(pipeline, host(1)); // with its success, 1 of 2 failed: OPEN, kept
    assertEquals(State.OPEN, created.get(1).breaker.state());
    assertTrue(created.get(2).bulkhead.tryAcquire()); // a call in flight: kept
    assertEquals(200, ok(pipeline, host(0))); // used again: now the most recent

    assertEquals(200, ok(pipeline, host(10))); // 11 targets: the two least recently used evictable ones go
    assertEquals(9, pipeline.targetCount());
    assertNull(pipeline.peek(host(3)));
    assertNull(pipeline.peek(host(4)));
    for (int i : new int[] {0, 1, 2, 5, 6, 7, 8, 9}) {
      assertSame(created.get(i), pipeline.peek(host(i)), "host " + i);
    }
    assertNotNull(pipeline.peek(host(10)));
  }

  @Test
  void whenNothingCanGoTheMapStillGrowsAndNoCallIsRefused() throws Exception {
    CallPipeline pipeline = pipeline(2);
    assertEquals(200, ok(pipeline, host(0)));
    assertEquals(200, ok(pipeline, host(1)));
    assertTrue(pipeline.peek(host(0)).bulkhead.tryAcquire());
    assertTrue(pipeline.peek(host(1)).bulkhead.tryAcquire());

    assertEquals(200, ok(pipeline, host(2)), "past the cap with nothing evictable: the call still runs");
    assertEquals(200, ok(pipeline, host(3)));
    assertEquals(4, pipeline.targetCount());

    pipeline.peek(host(0)).bulkhead.release();
    pipeline.peek(host(1)).bulkhead.release();
    clock.advance(Duration.ofSeconds(2)); // nothing used in the last two seconds goes
    assertEquals(200, ok(pipeline, host(4))); // a tenth of the cap (at least one) more: a sweep, down to 1
    assertEquals(1, pipeline.targetCount());
    assertNotNull(pipeline.peek(host(4)), "never the target being looked up");
  }

  @Test
  void aLookupRacingAnEvictionGetsLivePolicies() throws Exception {
    CallPipeline pipeline = pipeline();
    assertEquals(200, ok(pipeline, host(1)));
    TargetPolicies first = pipeline.peek(host(1));

    long readBySweep = first.lastUsedNanos();
    clock.advance(Duration.ofSeconds(1));
    assertSame(first, pipeline.policies(host(1))); // a lookup after the sweep read it, before it retired it
    assertTrue(!first.retire(readBySweep), "used since: the sweep must leave it");

    assertTrue(first.retire(first.lastUsedNanos())); // a sweep retired it and has not yet removed it
    TargetPolicies second = pipeline.policies(host(1));
    assertNotSame(first, second, "a retired target is never handed out");
    assertSame(second, pipeline.peek(host(1)));
    assertEquals(1, pipeline.targetCount());
  }

  /** A clock several threads may move. */
  static final class SharedClock implements Clock {
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public long nanoTime() {
      return nanos.get();
    }

    @Override
    public long currentTimeMillis() {
      return 1_700_000_000_000L + nanos.get() / 1_000_000L;
    }

    @Override
    public void sleepNanos(long n) {
      nanos.addAndGet(n);
    }
  }

  @Test
  void racingCallsAndEvictionsLeaveEveryBulkheadEmptyAndNoCallFailsForLevee() throws Exception {
    SharedClock shared = new SharedClock();
    PolicyConfig policy = CallPipelineTest.policy(
        RetryConfig.builder().maxAttempts(1).build(),
        TimeoutConfig.builder().build(),
        CircuitBreakerConfig.builder().slidingWindowSize(5).minimumNumberOfCalls(5)
            .waitDurationInOpenState(Duration.ofSeconds(1)).permittedNumberOfCallsInHalfOpenState(2).build(),
        BulkheadConfig.builder().maxConcurrentCalls(2).maxWaitDuration(Duration.ZERO).build());
    CallPipeline pipeline =
        new CallPipeline(HostRules.of(policy), shared, () -> 0.5, null, Duration.ofSeconds(5), 8);
    Set<TargetPolicies> seen = ConcurrentHashMap.newKeySet();
    Set<Throwable> unexpected = ConcurrentHashMap.newKeySet();
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      done.add(pool.submit(() -> {
        start.await();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 3_000; i++) {
          shared.nanos.addAndGet(random.nextLong(50_000_000L)); // 25 ms a call on average: idle targets come and go
          int roll = random.nextInt(10);
          try {
            pipeline.execute(get(host(random.nextInt(20))), attempt -> {
              seen.add(attempt.policies());
              Thread.yield();
              if (roll < 3) {
                throw new ConnectException("refused");
              }
              return 200;
            }, outcomes);
          } catch (ConnectException | CircuitOpenException | BulkheadFullException expected) {
            // the target's answer, or Levee's rejection of a call: both are the app's to see
          } catch (Throwable e) {
            unexpected.add(e);
          }
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();

    assertEquals(Set.of(), unexpected);
    assertTrue(seen.size() > 20, "targets were forgotten and created again: " + seen.size());
    for (TargetPolicies p : seen) {
      assertEquals(0, p.bulkhead.inFlight(), "a permit stayed taken in " + p.bulkhead);
      assertEquals(0, p.bulkhead.waiting());
      if (pipeline.peek(p.target) == p) {
        assertTrue(p.lastUsedNanos() != Long.MIN_VALUE, "an evicted target left in the map: " + p.target);
      }
    }
  }
}
