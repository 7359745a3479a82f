package dev.levee.instrumentation.executors;

import static dev.levee.instrumentation.executors.HandOffs.DEADLINE;
import static dev.levee.instrumentation.executors.HandOffs.handOver;
import static dev.levee.instrumentation.executors.HandOffs.site;
import static dev.levee.instrumentation.executors.HandOffs.withDeadline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.deadline.CurrentDeadline;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code ForkJoinPool.execute/submit} of plain Runnables and Callables; a ForkJoinTask is never wrapped. */
class ForkJoinPoolHandOffTest {

  static final String EXECUTE = site("ForkJoinPool", "execute", "(Ljava/lang/Runnable;)");
  static final String SUBMIT_RUNNABLE = site("ForkJoinPool", "submit", "(Ljava/lang/Runnable;)");
  static final String SUBMIT_RUNNABLE_RESULT = site("ForkJoinPool", "submit", "(Ljava/lang/Runnable;Ljava/lang/Object;)");
  static final String SUBMIT_CALLABLE = site("ForkJoinPool", "submit", "(Ljava/util/concurrent/Callable;)");

  final ForkJoinPool pool = new ForkJoinPool(1);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void executeCarriesTheDeadline() throws Exception {
    AtomicLong seen = new AtomicLong();
    CountDownLatch ran = new CountDownLatch(1);
    withDeadline(() -> {
      pool.execute(handOver(EXECUTE, pool, (Runnable) () -> {
        seen.set(CurrentDeadline.get());
        ran.countDown();
      }));
      return null;
    });
    assertTrue(ran.await(5, TimeUnit.SECONDS));
    assertEquals(DEADLINE, seen.get());
  }

  @Test
  void submitCarriesTheDeadlineAndTheWorkerGivesItBack() throws Exception {
    AtomicLong seen = new AtomicLong();
    Runnable task = () -> seen.set(CurrentDeadline.get());
    withDeadline(() -> pool.submit(handOver(SUBMIT_RUNNABLE, pool, task)).get(5, TimeUnit.SECONDS));
    assertEquals(DEADLINE, seen.get());

    seen.set(0);
    String result = withDeadline(() -> pool.submit(handOver(SUBMIT_RUNNABLE_RESULT, pool, task), "done").get(5, TimeUnit.SECONDS));
    assertEquals("done", result);
    assertEquals(DEADLINE, seen.get());

    Callable<Long> callable = CurrentDeadline::get;
    assertEquals(DEADLINE, (long) withDeadline(() -> pool.submit(handOver(SUBMIT_CALLABLE, pool, callable)).get(5, TimeUnit.SECONDS)));

    // the same single worker, unrelated work handed over without a deadline
    assertSame(callable, handOver(SUBMIT_CALLABLE, pool, callable));
    assertEquals(CurrentDeadline.NONE, (long) pool.submit(callable).get(5, TimeUnit.SECONDS));
  }

  @Test
  void aForkJoinTaskIsNeverWrapped() throws Exception {
    ForkJoinTask<?> task = ForkJoinTask.adapt(() -> { });
    assertSame(task, withDeadline(() -> handOver(EXECUTE, pool, (Runnable) task)));
    assertSame(task, withDeadline(() -> handOver(SUBMIT_RUNNABLE, pool, (Runnable) task)));
    ForkJoinTask<String> callable = new CallableForkJoinTask();
    assertSame(callable, withDeadline(() -> handOver(SUBMIT_CALLABLE, pool, (Callable<?>) callable)));
  }

  @Test
  void plainTasksAreWrapped() throws Exception {
    Runnable task = () -> { };
    assertNotSame(task, withDeadline(() -> handOver(EXECUTE, pool, task)));
    assertSame(task, handOver(EXECUTE, pool, task));
  }

  /** A ForkJoinTask that is also a Callable: still a ForkJoinTask. */
  static final class CallableForkJoinTask extends ForkJoinTask<String> implements Callable<String> {
    @Override
    public String call() {
      return "x";
    }

    @Override
    public String getRawResult() {
      return "x";
    }

    @Override
    protected void setRawResult(String value) { }

    @Override
    protected boolean exec() {
      return true;
    }
  }
}
