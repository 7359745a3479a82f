package dev.levee.instrumentation.executors;

import static dev.levee.instrumentation.executors.HandOffs.DEADLINE;
import static dev.levee.instrumentation.executors.HandOffs.handOver;
import static dev.levee.instrumentation.executors.HandOffs.site;
import static dev.levee.instrumentation.executors.HandOffs.withDeadline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.deadline.CurrentDeadline;
import dev.levee.instrumentation.api.MethodHook;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One-shot {@code ScheduledThreadPoolExecutor.schedule}: carried; periodic tasks: never. */
class ScheduledThreadPoolExecutorHandOffTest {

  static final String SCHEDULE_RUNNABLE =
      site("ScheduledThreadPoolExecutor", "schedule", "(Ljava/lang/Runnable;JLjava/util/concurrent/TimeUnit;)");
  static final String SCHEDULE_CALLABLE =
      site("ScheduledThreadPoolExecutor", "schedule", "(Ljava/util/concurrent/Callable;JLjava/util/concurrent/TimeUnit;)");

  final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void aDelayedRunnableRunsWithTheDeadlineAndTheThreadGivesItBack() throws Exception {
    AtomicLong seen = new AtomicLong();
    ScheduledFuture<?> done = withDeadline(() -> scheduler.schedule(
        handOver(SCHEDULE_RUNNABLE, scheduler, (Runnable) () -> seen.set(CurrentDeadline.get())),
        1, TimeUnit.MILLISECONDS));
    done.get(5, TimeUnit.SECONDS);
    assertEquals(DEADLINE, seen.get());
    assertEquals(CurrentDeadline.NONE, (long) scheduler.schedule(CurrentDeadline::get, 0, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS));
  }

  @Test
  void aDelayedCallableRunsWithTheDeadline() throws Exception {
    Callable<Long> task = CurrentDeadline::get;
    ScheduledFuture<Long> result = withDeadline(() ->
        scheduler.schedule(handOver(SCHEDULE_CALLABLE, scheduler, task), 1, TimeUnit.MILLISECONDS));
    assertEquals(DEADLINE, (long) result.get(5, TimeUnit.SECONDS));
  }

  @Test
  void withoutADeadlineNothingIsWrapped() {
    Runnable runnable = () -> { };
    Callable<String> callable = () -> "x";
    assertSame(runnable, handOver(SCHEDULE_RUNNABLE, scheduler, runnable));
    assertSame(callable, handOver(SCHEDULE_CALLABLE, scheduler, callable));
  }

  @Test
  void aPeriodicTaskScheduledAfterwardsOnTheSameThreadSeesNoDeadline() throws Exception {
    withDeadline(() -> scheduler.schedule(
        handOver(SCHEDULE_RUNNABLE, scheduler, (Runnable) () -> { }), 0, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS));
    AtomicLong seen = new AtomicLong();
    CountDownLatch ticked = new CountDownLatch(2);
    // scheduled while the caller holds a deadline: periodic tasks are not hooked, they run without one
    ScheduledFuture<?> periodic = withDeadline(() -> scheduler.scheduleAtFixedRate(() -> {
      seen.set(CurrentDeadline.get());
      ticked.countDown();
    }, 0, 1, TimeUnit.MILLISECONDS));
    assertTrue(ticked.await(5, TimeUnit.SECONDS));
    periodic.cancel(false);
    assertEquals(CurrentDeadline.NONE, seen.get());
  }

  @Test
  void periodicSchedulingIsNotHooked() {
    for (MethodHook hook : new ExecutorsInstrumentation().methodHooks()) {
      assertFalse(hook.methodName().startsWith("scheduleAt") || hook.methodName().startsWith("scheduleWith"), hook.toString());
    }
  }

  @Test
  void exceptionsReachTheAppUnchanged() throws Exception {
    Exception checked = new Exception("checked");
    ScheduledFuture<String> result = withDeadline(() -> scheduler.schedule(
        handOver(SCHEDULE_CALLABLE, scheduler, (Callable<String>) () -> {
          throw checked;
        }), 0, TimeUnit.MILLISECONDS));
    assertSame(checked, assertThrows(ExecutionException.class, () -> result.get(5, TimeUnit.SECONDS)).getCause());
  }
}
