package dev.levee.instrumentation.executors;

import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the application creates pools with unbounded queues (its class, method and line), and what those
 * queues did: one per site, not per pool, so a pool made in a loop is one line in the log, not thousands.
 * The high-water mark is the most tasks any of the site's queues held when a task was handed to its pool.
 */
final class PoolQueueSite {

  /** The first high-water mark reported while the application runs; each next one is ten times more. */
  static final int FIRST_REPORT = 1_000;

  /** The entry of a pool whose queue is bounded, or that is not watched (scheduled, Levee's own). */
  static final PoolQueueSite NOT_WATCHED = new PoolQueueSite("not watched", null);

  final String where;
  /** The first pool made here, as the startup line describes it. */
  final String firstPool;
  final AtomicInteger pools = new AtomicInteger();
  final AtomicInteger highWater = new AtomicInteger();
  final AtomicLong refused = new AtomicLong();
  private volatile int nextReport = FIRST_REPORT;

  PoolQueueSite(String where, ThreadPoolExecutor pool) {
    this.where = where;
    this.firstPool = pool == null ? "" : describe(pool);
  }

  static String describe(ThreadPoolExecutor pool) {
    return pool.getClass().getName() + " (corePoolSize " + pool.getCorePoolSize() + ", maximumPoolSize "
        + pool.getMaximumPoolSize() + ", " + pool.getQueue().getClass().getSimpleName() + ")";
  }

  /**
   * A queue of this site holds {@code size} tasks: the high-water mark it makes, when it is a new one and
   * crosses the next report threshold; else -1. Plain reads while the mark does not move.
   */
  int sawQueue(int size) {
    int high = highWater.get();
    while (size > high) {
      if (highWater.compareAndSet(high, size)) {
        return size >= nextReport ? crossed(size) : -1;
      }
      high = highWater.get();
    }
    return -1;
  }

  private synchronized int crossed(int size) {
    if (size < nextReport) {
      return -1; // another thread reported this threshold
    }
    while (size >= nextReport && nextReport <= Integer.MAX_VALUE / 10) {
      nextReport *= 10;
    }
    if (size >= nextReport) {
      nextReport = Integer.MAX_VALUE; // past the last threshold an int can hold: nothing more to report
    }
    return size;
  }
}
