package dev.levee.instrumentation.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.Target;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The canceller's steps run by hand, one at a time (a timer that only queues, workers that run on the
 * spot): two cancels, then the abort of the connection; none of them once the statement has ended.
 */
class StatementCancellerTest {

  static final Target TARGET = Target.of("db", 5432);
  static final Executor ON_THE_SPOT = Runnable::run;

  /** A timer that queues what is scheduled; the test runs each step. */
  final Deque<Runnable> scheduled = new ArrayDeque<>();
  final ScheduledExecutorService timer = (ScheduledExecutorService) Proxy.newProxyInstance(
      getClass().getClassLoader(), new Class<?>[] {ScheduledExecutorService.class}, (p, m, a) -> {
        if (!m.getName().equals("schedule")) {
          throw new UnsupportedOperationException(m.getName());
        }
        Runnable task = (Runnable) a[0];
        scheduled.add(task);
        return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ScheduledFuture.class},
            (f, fm, fa) -> fm.getName().equals("cancel") ? scheduled.remove(task) : null);
      });

  final List<String> calls = new ArrayList<>();
  /** What the statement's connection sees when the abort runs. */
  Runnable onGetConnection = () -> { };
  final AtomicBoolean statementEnded = new AtomicBoolean();
  final AtomicBoolean abortedAfterTheStatementEnded = new AtomicBoolean();

  final Connection connection = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
      new Class<?>[] {Connection.class}, (p, m, a) -> {
        if (m.getName().equals("abort")) {
          calls.add("abort");
          abortedAfterTheStatementEnded.set(statementEnded.get());
        }
        return null;
      });
  final Statement statement = (Statement) Proxy.newProxyInstance(getClass().getClassLoader(),
      new Class<?>[] {Statement.class}, (p, m, a) -> {
        switch (m.getName()) {
          case "cancel":
            calls.add("cancel");
            return null;
          case "getConnection":
            onGetConnection.run();
            return connection;
          default:
            return null;
        }
      });

  void runNextStep() {
    scheduled.remove().run();
  }

  @Test
  void twoCancelsThenTheAbortOfAStatementThatNeverEnds() {
    StatementCanceller canceller = StatementCanceller.arm(statement, TARGET, 1_000, timer, ON_THE_SPOT);
    runNextStep();
    assertEquals(List.of("cancel"), calls);
    assertTrue(canceller.fired());
    runNextStep();
    runNextStep();
    assertEquals(List.of("cancel", "cancel", "abort"), calls);
    assertTrue(scheduled.isEmpty());
    canceller.disarm();
  }

  @Test
  void nothingRunsOnceTheStatementHasEnded() {
    StatementCanceller canceller = StatementCanceller.arm(statement, TARGET, 1_000, timer, ON_THE_SPOT);
    runNextStep();
    runNextStep();
    // the abort is due; the statement ends first
    Runnable abort = scheduled.peek();
    canceller.disarm();
    abort.run();
    assertEquals(List.of("cancel", "cancel"), calls, "the connection is the app's again");
  }

  /**
   * The abort decided while the statement still ran, and the statement ending meanwhile: the statement's
   * end waits for the abort, so the app never goes on with (or hands back to its pool) a connection that
   * is then aborted under it.
   */
  @Test
  void aStatementEndingWhileItsAbortIsUnderWayWaitsForIt() throws Exception {
    StatementCanceller canceller = StatementCanceller.arm(statement, TARGET, 1_000, timer, ON_THE_SPOT);
    runNextStep();
    runNextStep();
    Thread app = new Thread(() -> {
      canceller.disarm();
      statementEnded.set(true);
    }, "app");
    onGetConnection = () -> {
      // the abort has begun: now the statement returns on the app's thread
      app.start();
      awaitBlockedOrDone(app);
    };
    runNextStep();
    app.join(5_000);
    assertFalse(app.isAlive());
    assertEquals(List.of("cancel", "cancel", "abort"), calls);
    assertFalse(abortedAfterTheStatementEnded.get(), "the abort ran after the app had its statement back");
  }

  /** Until {@code thread} waits for a lock (or ends); a thread that never blocks ends at once here. */
  static void awaitBlockedOrDone(Thread thread) {
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < giveUp) {
      Thread.State state = thread.getState();
      if (state == Thread.State.BLOCKED || state == Thread.State.WAITING || state == Thread.State.TERMINATED) {
        return;
      }
      Thread.onSpinWait();
    }
  }
}
