package dev.levee.core.policy;

import static dev.levee.core.policy.CircuitBreakerTest.FAST;
import static dev.levee.core.policy.CircuitBreakerTest.PROBE_TIMEOUT;
import static dev.levee.core.policy.CircuitBreakerTest.TARGET;
import static dev.levee.core.policy.CircuitBreakerTest.WAIT;
import static dev.levee.core.policy.CircuitBreakerTest.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.Outcome;
import dev.levee.core.policy.CircuitBreaker.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Several threads hammering one breaker: no sleeps, no timing assumptions, only invariants. */
class CircuitBreakerConcurrencyTest {

  private static final int THREADS = 8;

  private final ManualClock clock = new ManualClock();
  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

  @AfterEach
  void shutDown() throws InterruptedException {
    pool.shutdownNow();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
  }

  /** Runs the task on every thread at once and returns when all are done. */
  private void onAllThreads(Callable<Void> task) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Void>> done = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      done.add(pool.submit(() -> {
        start.await();
        return task.call();
      }));
    }
    start.countDown();
    for (Future<Void> f : done) {
      f.get(30, TimeUnit.SECONDS); // rethrows a thread's failure
    }
  }

  @Test
  void racingCallersAfterTheWaitGetExactlyThePermittedProbes() throws Exception {
    for (int round = 0; round < 50; round++) {
      CircuitBreaker cb = new CircuitBreaker(TARGET, config().build(), clock, PROBE_TIMEOUT);
      for (int i = 0; i < 4; i++) {
        CircuitBreakerTest.call(cb, FAST, Outcome.CONNECT_FAILURE);
      }
      clock.advance(WAIT);
      AtomicInteger granted = new AtomicInteger();
      onAllThreads(() -> {
        for (int i = 0; i < 100; i++) {
          if (cb.tryAcquirePermission()) {
            granted.incrementAndGet();
          }
        }
        return null;
      });
      assertEquals(3, granted.get(), "round " + round);
      assertEquals(State.HALF_OPEN, cb.state());
    }
  }

  @Test
  void racingFailuresOpenItOnceAndNothingIsLost() throws Exception {
    CircuitBreaker cb = new CircuitBreaker(
        TARGET, config().slidingWindowSize(100_000).minimumNumberOfCalls(100_000).build(), clock, PROBE_TIMEOUT);
    onAllThreads(() -> {
      for (int i = 0; i < 10_000; i++) {
        cb.tryAcquirePermission();
        cb.onResult(FAST, i % 2 == 0 ? Outcome.RESET : Outcome.SUCCESS);
      }
      return null;
    });
    // 80,000 calls, under the minimum: all counted, still closed
    assertEquals(new CallWindow.Snapshot(80_000, 40_000, 0), cb.snapshot());
    assertEquals(State.CLOSED, cb.state());
  }

  @Test
  void hammeringThroughEveryStateLeavesNoLeakedProbeSlot() throws Exception {
    CircuitBreaker cb = new CircuitBreaker(
        TARGET,
        config().slidingWindowSize(20).minimumNumberOfCalls(10).waitDurationInOpenState(Duration.ofSeconds(5)).build(),
        clock,
        PROBE_TIMEOUT);
    AtomicInteger opened = new AtomicInteger();
    AtomicInteger halfOpened = new AtomicInteger();
    onAllThreads(() -> {
      for (int i = 0; i < 20_000; i++) {
        if (i % 50 == 0) {
          clock.advance(Duration.ofSeconds(1)); // lets OPEN time out now and then
        }
        if (!cb.tryAcquirePermission()) {
          opened.incrementAndGet();
          continue;
        }
        if (cb.state() == State.HALF_OPEN) {
          halfOpened.incrementAndGet();
        }
        if (i % 7 == 0) {
          cb.releasePermission(); // cancelled before it ran
        } else {
          cb.onResult(FAST, i % 3 == 0 ? Outcome.SUCCESS : Outcome.CONNECT_FAILURE);
        }
      }
      return null;
    });
    assertTrue(opened.get() > 0, "it opened at some point");
    assertTrue(halfOpened.get() > 0, "it probed at some point");

    // Every permission has ended; whatever state it is in, it must be able to recover.
    clock.advance(Duration.ofSeconds(5));
    for (int i = 0; i < 3 && cb.state() != State.CLOSED; i++) {
      assertTrue(cb.tryAcquirePermission(), "a probe slot leaked in " + cb.state() + " " + cb.snapshot());
      cb.onResult(FAST, Outcome.SUCCESS);
    }
    assertEquals(State.CLOSED, cb.state());
  }
}
