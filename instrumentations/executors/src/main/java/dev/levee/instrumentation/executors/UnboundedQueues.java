package dev.levee.instrumentation.executors;

import dev.levee.core.LeveeLog;
import dev.levee.core.LeveeThreads;
import dev.levee.core.config.ExecutorsConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The application's {@code ThreadPoolExecutor}s whose queue has no bound: a producer that outruns the
 * pool grows it until the heap is gone. Each creation site is reported once when its first pool is made,
 * its queues' high-water mark when it crosses 1,000, 10,000, 100,000 ... tasks, and every site's mark at
 * exit. With {@code executors.maxQueue} set, a task that would queue behind that many is handed to the
 * pool's own rejection handler, as a bounded queue would do.
 *
 * <p>Not watched: a {@code ScheduledThreadPoolExecutor} (its queue holds timers, delayed and periodic tasks
 * that are due later, not a backlog, and refusing one would break a schedule the application relies on), a
 * {@code ForkJoinPool} (not a ThreadPoolExecutor; its work-stealing deques have no one queue to bound), and
 * the pools Levee makes itself.
 */
final class UnboundedQueues {

  private final int maxQueue;
  private final QueueSites queues = new QueueSites();
  /** Written under the lock of {@link #register}; read at exit. */
  private final Map<String, PoolQueueSite> sites = new ConcurrentHashMap<>();
  private final AtomicBoolean summaryAtExit = new AtomicBoolean();

  /** @param maxQueue the bound, or {@link ExecutorsConfig#NO_LIMIT} */
  UnboundedQueues(int maxQueue) {
    this.maxQueue = maxQueue;
  }

  /** A {@code ThreadPoolExecutor} was just made: remembered (and its site reported once) if its queue is unbounded. */
  void constructed(ThreadPoolExecutor pool) {
    register(pool, false);
  }

  /**
   * Every pool's queue gets an entry, {@link PoolQueueSite#NOT_WATCHED} for the pools not watched, so that
   * {@code execute} knows a pool it has not met: one made before Levee was ready (the JDK's pool classes
   * are woven only then), which it registers at its first task.
   */
  private synchronized PoolQueueSite register(ThreadPoolExecutor pool, boolean madeBeforeReady) {
    BlockingQueue<Runnable> queue = pool.getQueue();
    PoolQueueSite known = queues.get(queue);
    if (known != null) {
      return known;
    }
    String where = pool instanceof ScheduledThreadPoolExecutor || !isUnbounded(queue) ? null : CreationSite.of(pool);
    if (where == null) { // bounded, scheduled, or Levee's own
      queues.put(queue, PoolQueueSite.NOT_WATCHED);
      return PoolQueueSite.NOT_WATCHED;
    }
    if (madeBeforeReady) {
      where = "an unknown site (made before Levee was ready), first handed a task at " + where;
    }
    PoolQueueSite site = sites.get(where);
    if (site == null) {
      site = new PoolQueueSite(where, pool);
      sites.put(where, site);
      LeveeLog.info("levee: executors: unbounded queue: " + site.firstPool + " created at " + where
          + "; its high-water mark is logged from " + PoolQueueSite.FIRST_REPORT + " tasks"
          + (maxQueue == ExecutorsConfig.NO_LIMIT
              ? " (executors.maxQueue: none)"
              : "; executors.maxQueue: " + maxQueue + " refuses more"));
      summaryAtExit();
    }
    site.pools.incrementAndGet();
    queues.put(queue, site);
    return site;
  }

  /**
   * The remaining capacity of an empty unbounded queue is {@code Integer.MAX_VALUE}; a linked queue built
   * with a capacity (or an array, or a synchronous hand-off) has a bound of its own.
   */
  static boolean isUnbounded(BlockingQueue<?> queue) {
    return queue.remainingCapacity() >= Integer.MAX_VALUE - queue.size();
  }

  /**
   * {@code command} is being handed to {@code pool}: true when {@code executors.maxQueue} refuses it (its
   * queue already holds that many tasks and no thread of the pool is free to take it). Records the queue's
   * high-water mark on the way.
   */
  boolean refuses(ThreadPoolExecutor pool) {
    BlockingQueue<Runnable> queue = pool.getQueue();
    PoolQueueSite site = queues.get(queue);
    if (site == null) {
      site = register(pool, true);
    }
    if (site == PoolQueueSite.NOT_WATCHED) {
      return false;
    }
    int size = queue.size();
    int crossed = site.sawQueue(size);
    if (crossed > 0) {
      LeveeLog.info("levee: executors: a queue of the pools created at " + site.where + " holds " + crossed
          + " tasks (high-water mark)");
    }
    if (maxQueue == ExecutorsConfig.NO_LIMIT || size < maxQueue || hasFreeThread(pool)) {
      return false;
    }
    site.refused.incrementAndGet();
    return true;
  }

  /**
   * A task the pool's own threads take at once is never refused: while it has fewer threads than its core
   * size, {@code execute} starts one for the task; an idle thread takes it from the queue. Both read under
   * the pool's lock, so only when the queue is already full.
   */
  private static boolean hasFreeThread(ThreadPoolExecutor pool) {
    int threads = pool.getPoolSize();
    return threads < pool.getCorePoolSize() || pool.getActiveCount() < threads;
  }

  /** One line per site, at exit: how far its queues grew, how many tasks maxQueue refused. */
  List<String> summary() {
    List<String> lines = new ArrayList<>();
    for (PoolQueueSite site : sites.values()) {
      int pools = site.pools.get();
      lines.add("levee: executors: at exit, unbounded queue created at " + site.where + " (" + pools
          + (pools == 1 ? " pool" : " pools") + "): high-water mark " + site.highWater.get() + " tasks"
          + (maxQueue == ExecutorsConfig.NO_LIMIT ? "" : ", " + site.refused.get() + " refused by executors.maxQueue "
              + maxQueue));
    }
    return lines;
  }

  private void summaryAtExit() {
    if (summaryAtExit.compareAndSet(false, true)) {
      try {
        Runtime.getRuntime().addShutdownHook(LeveeThreads.newThread("levee-exit", new PrintSummary(this)));
      } catch (IllegalStateException shuttingDown) {
        // a pool made while the JVM exits: nothing left to summarise after it
      }
    }
  }

  private static final class PrintSummary implements Runnable {
    private final UnboundedQueues queues;

    PrintSummary(UnboundedQueues queues) {
      this.queues = queues;
    }

    @Override
    public void run() {
      for (String line : queues.summary()) {
        LeveeLog.info(line);
      }
    }
  }
}
