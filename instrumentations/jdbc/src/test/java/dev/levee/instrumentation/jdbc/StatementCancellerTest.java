package dev.levee.instrumentation.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.Target;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
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

  /**
   * Every JDBC thread of Levee's taken (connects a driver never gives up on): a cancel that finds none is
   * skipped and said once, and the next step still comes, on a thread once one is free.
   */
  @Test
  void aCancelThatFindsNoThreadIsSkippedSaidOnceAndTheNextStepStillComes() {
    AtomicBoolean busy = new AtomicBoolean(true);
    Executor workers = task -> {
      if (busy.get()) {
        throw new RejectedExecutionException("all busy");
      }
      task.run();
    };
    StatementCanceller canceller = StatementCanceller.arm(statement, TARGET, 1_000, timer, workers);
    PrintStream stderr = System.err;
    ByteArrayOutputStream said = new ByteArrayOutputStream();
    System.setErr(new PrintStream(said, true));
    try {
      runNextStep();
      runNextStep();
    } finally {
      System.setErr(stderr);
    }
    assertEquals(List.of(), calls, "no thread, no cancel");
    assertFalse(canceller.fired(), "the statement's exception stays the driver's");
    assertEquals(1, said.toString().split("all of Levee's JDBC threads are busy", -1).length - 1, said.toString());
    assertTrue(said.toString().startsWith("levee: a statement on db:5432 ran past its timeout and was not cancelled"),
        said.toString());
    busy.set(false);
    runNextStep();
    assertEquals(List.of("abort"), calls, "the abort still comes");
    assertTrue(scheduled.isEmpty());
    canceller.disarm();
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
