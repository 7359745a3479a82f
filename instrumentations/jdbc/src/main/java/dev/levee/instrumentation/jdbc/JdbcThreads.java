package dev.levee.instrumentation.jdbc;

import dev.levee.core.LeveeLog;
import dev.levee.core.LeveeThreads;
import dev.levee.core.Target;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Levee's JDBC threads ({@code levee-jdbc}, made on demand, ended when idle): connects that the caller
 * must be able to stop waiting for, and statement cancels and aborts. Bounded: a connect a driver never
 * gives up on holds its thread, and without a bound each new one (each breaker probe) would add a thread.
 * At most {@link #MAX_THREADS}, of which connects take at most {@link #MAX_CONNECTS}, so cancels and
 * aborts always find a thread while connects are stuck.
 */
final class JdbcThreads implements Executor {

  static final int MAX_THREADS = 128;
  static final int MAX_CONNECTS = 96;
  private static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final ThreadPoolExecutor pool;
  private final int maxConnects;
  private final AtomicInteger connects = new AtomicInteger();
  /** Connects still running after their caller stopped waiting, by target. */
  private final Map<Target, Integer> stuck = new ConcurrentHashMap<>();

  JdbcThreads() {
    this(MAX_THREADS, MAX_CONNECTS, KEEP_ALIVE_NANOS);
  }

  JdbcThreads(int maxThreads, int maxConnects, long keepAliveNanos) {
    this.maxConnects = maxConnects;
    this.pool = new ThreadPoolExecutor(0, maxThreads, keepAliveNanos, TimeUnit.NANOSECONDS, new SynchronousQueue<>(),
        r -> LeveeThreads.newThread("levee-jdbc", r));
  }

  /** A cancel or an abort, on a thread of its own; {@code RejectedExecutionException} when none is free. */
  @Override
  public void execute(Runnable task) {
    pool.execute(task);
  }

  /**
   * Starts {@code connect} on a thread of its own; its future completes when the driver returns. When
   * {@link #MAX_CONNECTS} connects run already, or no thread is free, it fails at once instead.
   */
  CompletableFuture<Connection> connect(Target target, Callable<Connection> connect) throws ConnectThreadsBusyException {
    if (connects.incrementAndGet() > maxConnects) {
      connects.decrementAndGet();
      throw busy(target);
    }
    CompletableFuture<Connection> result = new CompletableFuture<>();
    try {
      pool.execute(() -> {
        Connection connection = null;
        Throwable error = null;
        try {
          connection = connect.call();
        } catch (Throwable t) {
          error = t;
        } finally {
          // before the caller learns the outcome: it may connect again at once
          connects.decrementAndGet();
        }
        if (error == null) {
          result.complete(connection);
        } else {
          result.completeExceptionally(error);
        }
      });
    } catch (RejectedExecutionException e) {
      connects.decrementAndGet();
      throw busy(target);
    }
    return result;
  }

  /**
   * The caller stopped waiting for {@code connect}, which runs on: counted as stuck until the driver
   * returns, and said once per target.
   */
  void stuck(Target target, CompletableFuture<Connection> connect, long waitedMillis) {
    int now = stuck.merge(target, 1, Integer::sum);
    connect.whenComplete((c, e) -> stuck.computeIfPresent(target, (t, n) -> n == 1 ? null : n - 1));
    LeveeLog.warnOnce("jdbc.stuck." + target, "a connect to " + target + " runs on past its " + waitedMillis
        + "ms and holds one of Levee's JDBC threads until the driver gives up (" + now + " such to " + target
        + " now; once " + maxConnects + " connects run, new ones fail at once)", null);
  }

  /** Threads alive now (for tests). */
  int threads() {
    return pool.getPoolSize();
  }

  private ConnectThreadsBusyException busy(Target target) {
    List<Map.Entry<Target, Integer>> byCount = new ArrayList<>(stuck.entrySet());
    byCount.sort((a, b) -> b.getValue() - a.getValue());
    int total = 0;
    StringBuilder to = new StringBuilder();
    for (Map.Entry<Target, Integer> e : byCount) {
      total += e.getValue();
      if (to.length() < 200) {
        to.append(to.length() == 0 ? "" : ", ").append(e.getValue()).append(" to ").append(e.getKey());
      }
    }
    return new ConnectThreadsBusyException("levee: connect to " + target + " not started: Levee's JDBC connect threads"
        + " are all busy (" + Math.max(connects.get(), 0) + " connects running, " + total + " of them stuck past their"
        + " timeout" + (total == 0 ? "" : ": " + to) + "); a stuck connect frees its thread when its driver gives up");
  }
}
