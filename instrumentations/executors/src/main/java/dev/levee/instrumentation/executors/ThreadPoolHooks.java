package dev.levee.instrumentation.executors;

import dev.levee.core.deadline.CurrentDeadline;
import dev.levee.core.pipeline.LeveeFault;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * {@code ThreadPoolExecutor}'s constructor, {@code execute} and {@code remove}. Unlike the other hand-offs,
 * the wrapper here is visible: it is what sits in the pool's queue, so {@code getQueue()},
 * {@code shutdownNow()}, the pool's {@code beforeExecute}/{@code afterExecute} and its rejection handler
 * (when the pool is shut down) see it in the task's place.
 */
final class ThreadPoolHooks {

  /** What {@link #execute} returns for a task {@code executors.maxQueue} refused: not a Runnable, so execute returns. */
  static final Object REFUSED = Boolean.TRUE;

  /** Until a wrapper has gone into a queue, {@code remove} has nothing to look for. */
  private volatile boolean queuedAny;

  private final UnboundedQueues unbounded;

  /** @param maxQueue {@code executors.maxQueue}, or {@link dev.levee.core.config.ExecutorsConfig#NO_LIMIT} */
  ThreadPoolHooks(int maxQueue) {
    this.unbounded = new UnboundedQueues(maxQueue);
  }

  /** What the exit summary prints: one line per site of unbounded pools. */
  List<String> unboundedSummary() {
    return unbounded.summary();
  }

  /** A pool was made: one with an unbounded queue is reported and watched ({@link UnboundedQueues}). */
  Object constructed(Object pool, Object[] arguments) {
    unbounded.constructed((ThreadPoolExecutor) pool);
    return null;
  }

  /**
   * {@code execute(command)}: {@link #REFUSED} once the pool's own rejection handler has had a task that
   * {@code executors.maxQueue} refuses (which may throw, as the default AbortPolicy does, or run the task on
   * this thread, as CallerRunsPolicy does); else the command wrapped to carry the caller's deadline, or null
   * to hand it over as it is. The handler gets the application's own task, never a wrapper.
   */
  Object execute(Object executor, Object[] arguments) {
    Object command = arguments[0];
    ThreadPoolExecutor pool;
    boolean refused;
    try {
      pool = (ThreadPoolExecutor) executor;
      refused = command instanceof Runnable && unbounded.refuses(pool);
    } catch (RuntimeException | LinkageError fault) {
      throw new LeveeFault(fault); // not a lambda for LeveeFault.guard: nothing is allocated per task
    }
    if (refused) {
      // outside the guard: what the application's handler throws is the application's
      pool.getRejectedExecutionHandler().rejectedExecution((Runnable) command, pool);
      return REFUSED;
    }
    try {
      return wrap(pool, command);
    } catch (RuntimeException | LinkageError fault) {
      throw new LeveeFault(fault);
    }
  }

  private Object wrap(ThreadPoolExecutor executor, Object command) {
    long deadline = HandOff.deadlineFor(command);
    if (deadline == CurrentDeadline.NONE
        || !(command instanceof Runnable)
        || !queuesInArrivalOrder(executor.getQueue())) {
      return null;
    }
    if (!queuedAny) {
      queuedAny = true;
    }
    return command instanceof Future
        ? new DeadlineFutureTask<>((Runnable) command, deadline)
        : new DeadlineRunnable((Runnable) command, deadline);
  }

  /**
   * A queue that only holds its tasks, in arrival order. A priority queue compares them (as
   * {@code Comparable}, or with the application's comparator, which casts them to its own task type):
   * a wrapper there would make the application's {@code execute} throw. Unknown queues are left alone.
   */
  private static boolean queuesInArrivalOrder(BlockingQueue<Runnable> queue) {
    return queue instanceof LinkedBlockingQueue
        || queue instanceof ArrayBlockingQueue
        || queue instanceof SynchronousQueue
        || queue instanceof LinkedBlockingDeque
        || queue instanceof LinkedTransferQueue;
  }

  /**
   * {@code remove(task)}: the application names the task it submitted, the queue holds its wrapper; the
   * wrapper is what {@code remove} must look for. Null when the task is not queued in a wrapper.
   */
  Object remove(Object executor, Object task) {
    // a ScheduledThreadPoolExecutor's queue holds its own ScheduledFutureTasks (our wrapper, if any,
    // inside them), and it calls remove at every cancel when removeOnCancel is set (Levee's own timer)
    if (!queuedAny || task == null || task instanceof DeadlineTask || executor instanceof ScheduledThreadPoolExecutor) {
      return null;
    }
    for (Runnable queued : ((ThreadPoolExecutor) executor).getQueue()) {
      // the test BlockingQueue.remove makes: the argument's equals, given the queued element
      if (queued instanceof DeadlineRunnable && task.equals(((DeadlineRunnable) queued).task)) {
        return queued;
      }
    }
    return null;
  }
}
