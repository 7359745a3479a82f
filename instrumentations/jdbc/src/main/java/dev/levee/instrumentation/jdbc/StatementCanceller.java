package dev.levee.instrumentation.jdbc;

import dev.levee.core.Faults;
import dev.levee.core.LeveeLog;
import dev.levee.core.Target;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Bounds one statement attempt with the driver's own cancel mechanism, so the connection stays usable
 * (DESIGN.md §7). {@code setQueryTimeout} takes whole seconds and belongs to the app, so Levee keeps its
 * own timer: at the attempt's budget it calls {@code Statement.cancel()}; a cancel that arrives before the
 * driver marks the statement running is a no-op, so it cancels again after {@link #SECOND_CANCEL_NANOS};
 * a statement still running {@link #ABORT_NANOS} after the first cancel (a dead network: the driver's
 * cancel request itself may wait) has its connection aborted, the last resort, which a pool then evicts.
 * An app's own stricter query timeout fires first and its exception reaches the app untouched.
 *
 * <p>The timer only hands over: {@code cancel()} can block, so it runs on Levee's JDBC threads (a step that
 * finds none free is skipped, and the next one still comes). Neither a
 * cancel nor the abort begins once the attempt has ended ({@link #disarm}), and the end of the attempt waits
 * for one in progress: so neither can ever hit the app's next statement on that connection, nor a
 * connection the app has handed back to its pool. The abort has a lock of its own: a cancel stuck on a dead
 * network holds the cancels' lock and must not hold the abort back.
 */
final class StatementCanceller {

  static final long SECOND_CANCEL_NANOS = TimeUnit.SECONDS.toNanos(1);
  static final long ABORT_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final Statement statement;
  private final Target target;
  private final long budgetNanos;
  private final ScheduledExecutorService timer;
  private final Executor workers;
  private final Object lock = new Object();
  private final Object abortLock = new Object();
  private volatile boolean done;
  private volatile boolean fired;
  private ScheduledFuture<?> next;

  private StatementCanceller(Statement statement, Target target, long budgetNanos, ScheduledExecutorService timer, Executor workers) {
    this.statement = statement;
    this.target = target;
    this.budgetNanos = budgetNanos;
    this.timer = timer;
    this.workers = workers;
  }

  /** Starts the clock for an attempt that may run {@code budgetNanos}. */
  static StatementCanceller arm(
      Statement statement, Target target, long budgetNanos, ScheduledExecutorService timer, Executor workers) {
    StatementCanceller c = new StatementCanceller(statement, target, budgetNanos, timer, workers);
    c.schedule(1, Math.max(budgetNanos, 1));
    return c;
  }

  /** Ends the attempt: no cancel or abort runs after this returns (one in progress is waited for). */
  void disarm() {
    synchronized (lock) {
      if (next != null) {
        next.cancel(false);
      }
      synchronized (abortLock) {
        done = true;
      }
    }
  }

  /** Whether Levee cancelled (or aborted) this attempt: its exception is then Levee's timeout. */
  boolean fired() {
    return fired;
  }

  /**
   * The exception the app gets when Levee cancelled the statement: {@code SQLTimeoutException}, keeping
   * the driver's SQLState and vendor code (57014, 70100, ...) and the driver's exception as the cause.
   */
  SQLTimeoutException timeout(SQLException driverError) {
    return new SQLTimeoutException(
        "levee: statement on " + target + " cancelled after " + TimeUnit.NANOSECONDS.toMillis(budgetNanos)
            + "ms (jdbc timeout.attempt or the call's deadline); driver said: " + driverError.getMessage(),
        driverError.getSQLState(),
        driverError.getErrorCode(),
        driverError);
  }

  /** Schedules the next step; should Levee fail to, the statement runs on, bounded by the driver's own timeouts. */
  private void schedule(int step, long delayNanos) {
    synchronized (lock) {
      if (!done) {
        try {
          Faults.at(Faults.Step.SCHEDULE);
          next = timer.schedule(() -> handOver(step), delayNanos, TimeUnit.NANOSECONDS);
        } catch (Throwable t) {
          LeveeLog.warnOnce("jdbc.cancel", "could not schedule a statement's cancel; it runs on without Levee's bound", t);
        }
      }
    }
  }

  /**
   * On the timer: step {@code step} to a JDBC thread. When none is free (connects a driver never gives up
   * on hold them all) this step is skipped, said once, and the next one still comes: the second cancel,
   * then the abort, and the app's own query timeout, stand.
   */
  private void handOver(int step) {
    try {
      workers.execute(() -> escalate(step));
    } catch (RejectedExecutionException busy) {
      LeveeLog.warnOnce("jdbc.cancel.busy", "a statement on " + target + " ran past its timeout and was not "
          + (step <= 2 ? "cancelled" : "aborted") + ": all of Levee's JDBC threads are busy", null);
      if (step <= 2) {
        schedule(step + 1, step == 1 ? SECOND_CANCEL_NANOS : ABORT_NANOS - SECOND_CANCEL_NANOS);
      }
    }
  }

  private void escalate(int step) {
    try {
      if (step <= 2) {
        synchronized (lock) {
          if (done) {
            return;
          }
          fired = true;
          statement.cancel();
        }
        schedule(step + 1, step == 1 ? SECOND_CANCEL_NANOS : ABORT_NANOS - SECOND_CANCEL_NANOS);
      } else {
        synchronized (abortLock) {
          if (done) {
            return;
          }
          LeveeLog.info("levee: a statement on " + target + " ignored two cancels; aborting its connection");
          statement.getConnection().abort(workers);
        }
      }
    } catch (SQLException | RuntimeException e) {
      LeveeLog.warnOnce("jdbc.cancel." + target, "could not cancel a statement on " + target + " that ran past its timeout", e);
    }
  }
}
