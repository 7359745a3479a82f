package dev.levee.core;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * Levee's one timer thread ({@code levee-timer}): backoffs, attempt and body limits, bulkhead waits,
 * statement cancels. Its tasks must stay short, so nothing of the application's runs on it: a call's
 * outcome reached on this thread is handed to another before the application sees it
 * ({@link #offTimer}).
 */
public final class LeveeTimer {

  private static final ThreadLocal<Boolean> ON_TIMER = new ThreadLocal<>();

  private LeveeTimer() {}

  /** The timer: one daemon thread, cancelled tasks removed at once. */
  public static ScheduledThreadPoolExecutor create() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, new TimerThreads());
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

  /** Classes, not lambdas: made at startup, where each lambda spins a class of its own (docs/performance.md). */
  private static final class TimerThreads implements java.util.concurrent.ThreadFactory {
    @Override
    public Thread newThread(Runnable task) {
      return LeveeThreads.newThread("levee-timer", new OnTimer(task));
    }
  }

  private static final class OnTimer implements Runnable {
    private final Runnable task;

    OnTimer(Runnable task) {
      this.task = task;
    }

    @Override
    public void run() {
      ON_TIMER.set(Boolean.TRUE);
      task.run();
    }
  }

  /** Whether the calling thread is Levee's timer. */
  public static boolean isCurrentThread() {
    return ON_TIMER.get() != null;
  }

  /**
   * Runs {@code work} that may call into the application (complete its future, signal its body
   * subscriber): here, unless this is Levee's timer; then on the common pool, as {@code CompletableFuture}'s
   * own async stages run.
   */
  public static void offTimer(Runnable work) {
    if (isCurrentThread()) {
      try {
        ForkJoinPool.commonPool().execute(work);
        return;
      } catch (RuntimeException rejected) {
        // no pool to hand it to (the JVM is shutting down): run it here
      }
    }
    work.run();
  }
}
