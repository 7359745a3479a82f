package dev.levee.instrumentation.executors;

import static dev.levee.instrumentation.executors.HandOffs.DEADLINE;
import static dev.levee.instrumentation.executors.HandOffs.handOver;
import static dev.levee.instrumentation.executors.HandOffs.withDeadline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.deadline.CurrentDeadline;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code ThreadPoolExecutor.execute} and {@code remove}, hooked as the woven code calls them, on real pools. */
class ThreadPoolExecutorHandOffTest {

  static final String EXECUTE = HandOffs.TPE_EXECUTE;
  static final String REMOVE = HandOffs.TPE_REMOVE;

  final ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
  final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stop() {
    release.countDown();
    pool.shutdownNow();
  }

  /** What the pool's execute goes on with when the caller hands {@code task} over. */
  Runnable execute(Runnable task) {
    return handOver(EXECUTE, pool, task);
  }

  /** Occupies the pool's only thread until the test ends, so what is executed next stays queued. */
  void occupy() throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    pool.execute(() -> {
      started.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertTrue(started.await(5, TimeUnit.SECONDS));
  }

  @Test
  void theTaskRunsWithTheDeadlineOfTheThreadThatHandedItOver() throws Exception {
    AtomicLong seen = new AtomicLong();
    CountDownLatch ran = new CountDownLatch(1);
    withDeadline(() -> {
      pool.execute(execute(() -> {
        seen.set(CurrentDeadline.get());
        ran.countDown();
      }));
      return null;
    });
    assertTrue(ran.await(5, TimeUnit.SECONDS));
    assertEquals(DEADLINE, seen.get());
  }

  @Test
  void thePooledThreadGivesTheDeadlineBackAfterTheTask() throws Exception {
    withDeadline(() -> pool.submit(execute(() -> { })).get(5, TimeUnit.SECONDS));
    // unrelated work on the same (only) thread, handed over without a deadline
    Runnable unrelated = () -> { };
    assertSame(unrelated, execute(unrelated));
    assertEquals(CurrentDeadline.NONE, (long) pool.submit(CurrentDeadline::get).get(5, TimeUnit.SECONDS));
  }

  @Test
  void theCallersDeadlineIsItsOwnAfterTheHandOff() throws Exception {
    long after = withDeadline(() -> {
      pool.execute(execute(() -> CurrentDeadline.swap(1L)));
      return CurrentDeadline.get();
    });
    assertEquals(DEADLINE, after);
    assertEquals(CurrentDeadline.NONE, CurrentDeadline.get());
  }

  @Test
  void withoutADeadlineTheTaskIsHandedOverAsItIs() {
    Runnable task = () -> { };
    assertSame(task, execute(task));
    FutureTask<String> future = new FutureTask<>(() -> "x");
    assertSame(future, execute(future));
  }

  @Test
  void aSubmittedFutureIsQueuedAsAFutureThatRunsWithTheDeadline() throws Exception {
    FutureTask<Long> submitted = new FutureTask<>(CurrentDeadline::get);
    Runnable queued = withDeadline(() -> execute(submitted));
    assertNotSame(submitted, queued);
    assertTrue(queued instanceof RunnableFuture);
    pool.execute(queued);
    assertEquals(DEADLINE, (long) submitted.get(5, TimeUnit.SECONDS));
    assertEquals(DEADLINE, ((Future<?>) queued).get(5, TimeUnit.SECONDS));
    assertTrue(((Future<?>) queued).isDone());
  }

  @Test
  void removeFindsTheWrapperOfTheTaskTheAppNames() throws Exception {
    occupy();
    Runnable task = () -> { };
    FutureTask<String> future = new FutureTask<>(() -> "x");
    withDeadline(() -> {
      pool.execute(execute(task));
      pool.execute(execute(future));
      return null;
    });
    assertEquals(2, pool.getQueue().size());

    assertTrue(pool.remove(handOver(REMOVE, pool, task)));
    assertTrue(pool.remove(handOver(REMOVE, pool, (Runnable) future)));
    assertTrue(pool.getQueue().isEmpty());
    Runnable neverQueued = () -> { };
    assertSame(neverQueued, handOver(REMOVE, pool, neverQueued));
    assertFalse(pool.remove(handOver(REMOVE, pool, neverQueued)));
  }

  @Test
  void purgeDropsACancelledFutureQueuedWithADeadline() throws Exception {
    occupy();
    Future<?> submitted = withDeadline(() -> {
      FutureTask<String> future = new FutureTask<>(() -> "x");
      pool.execute(execute(future));
      return future;
    });
    submitted.cancel(false);
    pool.purge();
    assertTrue(pool.getQueue().isEmpty());
  }

  @Test
  void whatShutdownNowReturnsStillCastsToFuture() throws Exception {
    occupy();
    FutureTask<String> submitted = new FutureTask<>(() -> "x");
    withDeadline(() -> {
      pool.execute(execute(submitted));
      return null;
    });
    List<Runnable> neverRan = pool.shutdownNow();
    assertEquals(1, neverRan.size());
    ((Future<?>) neverRan.get(0)).cancel(false);
    assertTrue(submitted.isCancelled());
  }

  @Test
  void aPriorityQueueGetsTheTaskItself() throws Exception {
    ThreadPoolExecutor prioritised =
        new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new PriorityBlockingQueue<>());
    try {
      Runnable task = new Ranked();
      assertSame(task, withDeadline(() -> handOver(EXECUTE, prioritised, task)));
    } finally {
      prioritised.shutdownNow();
    }
  }

  @Test
  void aForkJoinTaskIsNeverWrapped() throws Exception {
    ForkJoinTask<?> task = ForkJoinTask.adapt(() -> { });
    assertSame(task, withDeadline(() -> execute((Runnable) task)));
  }

  @Test
  void aWrapperIsNotWrappedAgain() throws Exception {
    Runnable once = withDeadline(() -> execute(() -> { }));
    assertSame(once, withDeadline(() -> execute(once)));
  }

  @Test
  void exceptionsReachTheAppUnchanged() throws Exception {
    IllegalStateException thrown = new IllegalStateException("app failure");
    Runnable queued = withDeadline(() -> execute(() -> {
      throw thrown;
    }));
    assertSame(thrown, assertThrows(IllegalStateException.class, queued::run));
    assertEquals(CurrentDeadline.NONE, CurrentDeadline.get());

    Exception checked = new Exception("checked");
    FutureTask<String> future = new FutureTask<>((Callable<String>) () -> {
      throw checked;
    });
    pool.execute(withDeadline(() -> execute(future)));
    assertSame(checked, assertThrows(ExecutionException.class, () -> future.get(5, TimeUnit.SECONDS)).getCause());
  }

  @Test
  void aRejectionNamesTheAppsTask() throws Exception {
    pool.shutdown();
    Runnable task = new Ranked();
    Runnable queued = withDeadline(() -> execute(task));
    RejectedExecutionException rejected = assertThrows(RejectedExecutionException.class, () -> pool.execute(queued));
    assertTrue(rejected.getMessage().startsWith("Task ranked task rejected"), rejected.getMessage());
  }

  @Test
  void executorsFactoryPoolsQueueInArrivalOrder() throws Exception {
    ThreadPoolExecutor cached = (ThreadPoolExecutor) Executors.newCachedThreadPool();
    try {
      Runnable task = () -> { };
      assertNotSame(task, withDeadline(() -> handOver(EXECUTE, cached, task)));
    } finally {
      cached.shutdownNow();
    }
  }

  @Test
  void aHookFaultHandsTheTaskOverAsItIs() throws Exception {
    Runnable task = () -> { };
    // not a ThreadPoolExecutor: the hook fails inside, the task goes on untouched
    assertSame(task, withDeadline(() -> handOver(EXECUTE, "not a pool", task)));
  }

  static final class Ranked implements Runnable, Comparable<Ranked> {
    @Override
    public void run() { }

    @Override
    public int compareTo(Ranked other) {
      return 0;
    }

    @Override
    public String toString() {
      return "ranked task";
    }
  }
}
