package dev.levee.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.Target;
import dev.levee.core.config.BulkheadConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BulkheadTest {

  private static final Target TARGET = Target.of("api.example.com", 443);
  private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void shutDown() throws InterruptedException {
    timer.shutdownNow();
    threads.shutdownNow();
    assertTrue(timer.awaitTermination(10, TimeUnit.SECONDS));
    assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
  }

  private static Bulkhead bulkhead(int max, Duration maxWait) {
    return new Bulkhead(TARGET, BulkheadConfig.builder().maxConcurrentCalls(max).maxWaitDuration(maxWait).build());
  }

  /** Waits (without sleeping a fixed time) until n callers are queued. */
  private static void awaitWaiting(Bulkhead b, int n) {
    long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (b.waiting() != n) {
      assertTrue(System.nanoTime() < giveUpAt, "expected " + n + " waiting, have " + b.waiting());
      Thread.yield();
    }
  }

  @Test
  void limitsConcurrentCalls() {
    Bulkhead b = bulkhead(2, Duration.ZERO);
    assertEquals(2, b.maxConcurrentCalls());
    assertTrue(b.tryAcquire());
    assertTrue(b.tryAcquire());
    assertFalse(b.tryAcquire());
    assertEquals(2, b.inFlight());
    b.release();
    assertEquals(1, b.inFlight());
    assertTrue(b.tryAcquire());
    assertFalse(b.tryAcquire());
  }

  @Test
  void extraReleasesAreIgnored() {
    Bulkhead b = bulkhead(2, Duration.ZERO);
    b.release();
    b.release();
    assertEquals(0, b.inFlight());
    assertTrue(b.tryAcquire());
    b.release();
    b.release();
    assertEquals(0, b.inFlight());
    assertTrue(b.tryAcquire());
    assertTrue(b.tryAcquire());
    assertFalse(b.tryAcquire()); // still only 2
  }

  @Test
  void noWaitWhenMaxWaitDurationIsZero() throws InterruptedException {
    Bulkhead b = bulkhead(1, Duration.ZERO);
    assertTrue(b.tryAcquire(MINUTE));
    assertFalse(b.tryAcquire(MINUTE)); // returns at once: maxWaitDuration bounds the caller's wait
    assertEquals(0, b.waiting());
  }

  @Test
  void aBlockedCallerIsHandedThePermitOfARelease() throws Exception {
    Bulkhead b = bulkhead(1, Duration.ofMinutes(1));
    assertTrue(b.tryAcquire());
    Future<Boolean> waiter = threads.submit(() -> b.tryAcquire(MINUTE));
    awaitWaiting(b, 1);
    assertFalse(b.tryAcquire()); // a newcomer does not overtake the waiter
    b.release();
    assertTrue(waiter.get(10, TimeUnit.SECONDS));
    assertEquals(1, b.inFlight()); // handed over, not freed
    assertEquals(0, b.waiting());
    b.release();
    assertEquals(0, b.inFlight());
  }

  @Test
  void aBlockedCallerGivesUpAfterTheShorterWait() throws InterruptedException {
    Bulkhead b = bulkhead(1, Duration.ofMinutes(1));
    assertTrue(b.tryAcquire());
    long start = System.nanoTime();
    assertFalse(b.tryAcquire(TimeUnit.MILLISECONDS.toNanos(20)));
    long waited = System.nanoTime() - start;
    assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(20), "waited " + waited);
    assertTrue(waited < TimeUnit.SECONDS.toNanos(10), "waited " + waited);
    assertEquals(0, b.waiting());
    assertEquals(1, b.inFlight());
    b.release();
    assertEquals(0, b.inFlight());
  }

  @Test
  void maxWaitDurationBoundsALongerRequestedWait() throws InterruptedException {
    Bulkhead b = bulkhead(1, Duration.ofMillis(20));
    assertTrue(b.tryAcquire());
    long start = System.nanoTime();
    assertFalse(b.tryAcquire(MINUTE));
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
  }

  @Test
  void anInterruptedWaiterHoldsNoPermitAndLeavesTheQueue() throws Exception {
    Bulkhead b = bulkhead(1, Duration.ofMinutes(1));
    assertTrue(b.tryAcquire());
    AtomicReference<Thread> waitingThread = new AtomicReference<>();
    Future<Boolean> waiter = threads.submit(() -> {
      waitingThread.set(Thread.currentThread());
      return b.tryAcquire(MINUTE);
    });
    awaitWaiting(b, 1);
    waitingThread.get().interrupt();
    Exception e = assertThrows(Exception.class, () -> waiter.get(10, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof InterruptedException, e.toString());
    assertEquals(0, b.waiting());
    b.release();
    assertEquals(0, b.inFlight());
  }

  @Test
  void asyncAcquireCompletesAtOnceWhenAPermitIsFree() {
    Bulkhead b = bulkhead(1, Duration.ZERO);
    CompletableFuture<Boolean> f = b.acquireAsync(MINUTE, timer);
    assertTrue(f.isDone());
    assertTrue(f.join());
    CompletableFuture<Boolean> full = b.acquireAsync(MINUTE, timer); // maxWait 0: no queueing
    assertTrue(full.isDone());
    assertFalse(full.join());
    assertEquals(1, b.inFlight());
  }

  @Test
  void anAsyncWaiterIsHandedThePermitOfARelease() {
    Bulkhead b = bulkhead(1, Duration.ofMinutes(1));
    assertTrue(b.tryAcquire());
    CompletableFuture<Boolean> f = b.acquireAsync(MINUTE, timer);
    assertFalse(f.isDone());
    assertEquals(1, b.waiting());
    b.release();
    assertTrue(f.isDone());
    assertTrue(f.join());
    assertEquals(1, b.inFlight());
    assertEquals(0, b.waiting());
    b.release();
    assertEquals(0, b.inFlight());
  }

  @Test
  void anAsyncWaiterTimesOutOnTheTimer() throws Exception {
    Bulkhead b = bulkhead(1, Duration.ofMinutes(1));
    assertTrue(b.tryAcquire());
    long start = System.nanoTime();
    CompletableFuture<Boolean> f = b.acquireAsync(TimeUnit.MILLISECONDS.toNanos(50), timer);
    assertFalse(f.get(10, TimeUnit.SECONDS));
    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50));
    assertEquals(0, b.waiting());
    assertEquals(1, b.inFlight());
    b.release(); // nobody left to hand it to
    assertEquals(0, b.inFlight());
  }

  @Test
  void syncAndAsyncWaitersShareOneFifoQueue() throws Exception {
    Bulkhead b = bulkhead(1, Duration.ofMinutes(1));
    assertTrue(b.tryAcquire());
    CompletableFuture<Boolean> first = b.acquireAsync(MINUTE, timer);
    Future<Boolean> second = threads.submit(() -> b.tryAcquire(MINUTE));
    awaitWaiting(b, 2);
    CompletableFuture<Boolean> third = b.acquireAsync(MINUTE, timer);

    b.release();
    assertTrue(first.join());
    assertFalse(second.isDone());
    assertFalse(third.isDone());

    b.release();
    assertTrue(second.get(10, TimeUnit.SECONDS));
    assertFalse(third.isDone());

    b.release();
    assertTrue(third.join());
    b.release();
    assertEquals(0, b.inFlight());
  }

  @Test
  void aCancelledWaiterIsSkipped() {
    Bulkhead b = bulkhead(1, Duration.ofMinutes(1));
    assertTrue(b.tryAcquire());
    CompletableFuture<Boolean> cancelled = b.acquireAsync(MINUTE, timer);
    CompletableFuture<Boolean> next = b.acquireAsync(MINUTE, timer);
    cancelled.cancel(false);
    assertEquals(1, b.waiting());
    b.release();
    assertTrue(next.join());
    assertEquals(1, b.inFlight());
    b.release();
    assertEquals(0, b.inFlight());
  }

  @Test
  void aPermitHandedToAWaiterThatAlreadyGaveUpIsPassedOn() {
    Bulkhead b = bulkhead(1, Duration.ofMinutes(1));
    assertTrue(b.tryAcquire());
    CompletableFuture<Boolean> gaveUp = b.acquireAsync(MINUTE, timer);
    CompletableFuture<Boolean> next = b.acquireAsync(MINUTE, timer);
    gaveUp.complete(false);
    b.release();
    assertTrue(next.join());
    b.release();
    assertEquals(0, b.inFlight());
    assertEquals(0, b.waiting());
  }

  @Test
  void cancellingWhileAReleaseRacesNeverLeaksAPermit() throws Exception {
    Bulkhead b = bulkhead(1, Duration.ofMinutes(1));
    CyclicBarrier bothReady = new CyclicBarrier(2);
    for (int i = 0; i < 2_000; i++) {
      assertTrue(b.tryAcquire());
      CompletableFuture<Boolean> waiter = b.acquireAsync(MINUTE, timer);
      Future<?> canceller = threads.submit(() -> {
        bothReady.await();
        return waiter.cancel(false);
      });
      bothReady.await(10, TimeUnit.SECONDS);
      b.release();
      canceller.get(10, TimeUnit.SECONDS);
      if (!waiter.isCancelled()) {
        assertTrue(waiter.join()); // the release won: the permit is the waiter's to give back
        b.release();
      }
      assertEquals(0, b.inFlight(), "iteration " + i);
      assertEquals(0, b.waiting(), "iteration " + i);
    }
  }

  @Test
  void aShutDownTimerMeansNoWait() {
    Bulkhead b = bulkhead(1, Duration.ofMinutes(1));
    assertTrue(b.tryAcquire());
    ScheduledExecutorService dead = Executors.newSingleThreadScheduledExecutor();
    dead.shutdown();
    CompletableFuture<Boolean> f = b.acquireAsync(MINUTE, dead);
    assertFalse(f.join());
    assertEquals(0, b.waiting());
  }

  @Test
  void manyThreadsNeverExceedTheLimit() throws Exception {
    Bulkhead b = bulkhead(3, Duration.ofMinutes(1));
    java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
    Future<?>[] workers = new Future<?>[8];
    for (int t = 0; t < workers.length; t++) {
      boolean async = t % 2 == 0;
      workers[t] = threads.submit(() -> {
        for (int i = 0; i < 2_000; i++) {
          boolean got = async ? b.acquireAsync(MINUTE, timer).join() : b.tryAcquire(MINUTE);
          assertTrue(got);
          int now = running.incrementAndGet();
          most.accumulateAndGet(now, Math::max);
          running.decrementAndGet();
          b.release();
        }
        return null;
      });
    }
    for (Future<?> w : workers) {
      w.get(60, TimeUnit.SECONDS);
    }
    assertTrue(most.get() <= 3, "at most 3 at once, saw " + most.get());
    assertEquals(0, b.inFlight());
    assertEquals(0, b.waiting());
  }

  @Test
  void rejectionMessage() {
    Bulkhead b = bulkhead(5, Duration.ZERO);
    for (int i = 0; i < 5; i++) {
      assertTrue(b.tryAcquire());
    }
    assertEquals(
        "levee: bulkhead full for api.example.com:443 (5 of 5 calls in flight, waited 0ms); retry when one completes",
        b.rejectionMessage());
    assertEquals(
        "levee: bulkhead full for api.example.com:443 (5 of 5 calls in flight, waited 250ms); retry when one completes",
        b.rejectionMessage(TimeUnit.MILLISECONDS.toNanos(250)));
  }
}
