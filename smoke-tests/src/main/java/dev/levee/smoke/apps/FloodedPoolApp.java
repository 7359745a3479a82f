package dev.levee.smoke.apps;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A producer that outruns its pools, knowing nothing of Levee: it holds every thread of each pool busy and
 * keeps handing it tasks, which an unbounded queue takes without limit. Prints, as key=value lines:
 *
 * <pre>
 *   abort queued=N rejected=R          Executors.newFixedThreadPool(2), default AbortPolicy, 1,500 tasks
 *   callerRuns queued=N onCaller=C     a pool of 2 with CallerRunsPolicy, 150 tasks
 *   done
 * </pre>
 *
 * It also makes 20 one-thread pools on one line of {@link #poolsInALoop}: one creation site. It starts
 * up first (1 s), as a service does before it makes its pools: a pool made before Levee is ready is met at
 * its first task, and reported where it is first used rather than where it was made.
 */
public final class FloodedPoolApp {

  static final int ABORT_TASKS = 1_500;
  static final int CALLER_RUNS_TASKS = 150;

  private FloodedPoolApp() {}

  public static void main(String[] args) throws Exception {
    Thread.sleep(1_000);
    CountDownLatch release = new CountDownLatch(1);

    ExecutorService fixed = Executors.newFixedThreadPool(2);
    occupy(fixed, 2, release);
    int rejected = 0;
    for (int i = 0; i < ABORT_TASKS; i++) {
      try {
        fixed.execute(() -> { });
      } catch (RejectedExecutionException e) {
        rejected++;
      }
    }
    System.out.println("abort queued=" + ((ThreadPoolExecutor) fixed).getQueue().size() + " rejected=" + rejected);

    ThreadPoolExecutor callerRuns = new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
        new ThreadPoolExecutor.CallerRunsPolicy());
    occupy(callerRuns, 2, release);
    Thread caller = Thread.currentThread();
    AtomicInteger onCaller = new AtomicInteger();
    for (int i = 0; i < CALLER_RUNS_TASKS; i++) {
      callerRuns.execute(() -> {
        if (Thread.currentThread() == caller) {
          onCaller.incrementAndGet();
        }
      });
    }
    System.out.println("callerRuns queued=" + callerRuns.getQueue().size() + " onCaller=" + onCaller.get());

    ExecutorService[] loop = poolsInALoop(20);

    release.countDown();
    for (ExecutorService pool : new ExecutorService[] {fixed, callerRuns}) {
      pool.shutdown();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
    for (ExecutorService pool : loop) {
      pool.shutdown();
    }
    System.out.println("done");
  }

  static ExecutorService[] poolsInALoop(int count) {
    ExecutorService[] pools = new ExecutorService[count];
    for (int i = 0; i < count; i++) {
      pools[i] = Executors.newFixedThreadPool(1);
    }
    return pools;
  }

  /** Every thread of the pool busy until {@code release}. */
  private static void occupy(ExecutorService pool, int threads, CountDownLatch release) throws InterruptedException {
    CountDownLatch started = new CountDownLatch(threads);
    for (int i = 0; i < threads; i++) {
      pool.execute(() -> {
        started.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
    started.await();
  }
}
