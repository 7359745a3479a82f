package dev.levee.instrumentation.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.Clock;
import dev.levee.core.RandomSource;
import dev.levee.core.Target;
import dev.levee.core.config.ConfigLoader;
import dev.levee.core.pipeline.CallPipeline;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Levee's JDBC threads are bounded: connects a driver never gives up on (here a driver whose connect waits
 * on a latch) take at most their share, a further connect fails at once with an exception that says why,
 * cancels still find a thread, and the threads end once the drivers return.
 */
class JdbcThreadsTest {

  static final String URL = "jdbc:fake://127.0.0.1:5999/db";
  static final Target TARGET = Target.of("127.0.0.1", 5999);

  final CountDownLatch driversGiveUp = new CountDownLatch(1);
  final AtomicInteger connectsStarted = new AtomicInteger();
  final AtomicInteger lateConnectionsClosed = new AtomicInteger();

  final Connection connection = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
      new Class<?>[] {Connection.class}, (p, m, a) -> {
        switch (m.getName()) {
          case "close":
            lateConnectionsClosed.incrementAndGet();
            return null;
          case "equals":
            return p == a[0];
          case "hashCode":
            return System.identityHashCode(p);
          case "toString":
            return "a connection";
          default:
            throw new UnsupportedOperationException(m.getName());
        }
      });
  /** Connects hang until {@link #driversGiveUp} opens, then return {@link #connection}. */
  final Driver hangingDriver = (Driver) Proxy.newProxyInstance(getClass().getClassLoader(),
      new Class<?>[] {Driver.class}, (p, m, a) -> {
        switch (m.getName()) {
          case "acceptsURL":
            return true;
          case "connect":
            connectsStarted.incrementAndGet();
            driversGiveUp.await();
            return connection;
          default:
            throw new UnsupportedOperationException(m.getName());
        }
      });

  @Test
  void connectsTakeAtMost96OfThe128ThreadsAndCancelsTheRest() throws Exception {
    JdbcThreads threads = new JdbcThreads();
    List<CompletableFuture<Connection>> stuck = new ArrayList<>();
    try {
      for (int i = 0; i < JdbcThreads.MAX_CONNECTS; i++) {
        stuck.add(threads.connect(TARGET, () -> {
          driversGiveUp.await();
          return connection;
        }));
      }
      assertEquals(96, JdbcThreads.MAX_CONNECTS);
      assertThrows(ConnectThreadsBusyException.class, () -> threads.connect(TARGET, () -> connection));
      CountDownLatch cancelsRan = new CountDownLatch(JdbcThreads.MAX_THREADS - JdbcThreads.MAX_CONNECTS);
      for (int i = 0; i < JdbcThreads.MAX_THREADS - JdbcThreads.MAX_CONNECTS; i++) {
        threads.execute(() -> {
          cancelsRan.countDown();
          awaitQuietly(driversGiveUp); // a cancel stuck on a dead network
        });
      }
      assertTrue(cancelsRan.await(10, TimeUnit.SECONDS), "every cancel found a thread while the connects hang");
      assertEquals(128, threads.threads());
      assertThrows(RejectedExecutionException.class, () -> threads.execute(() -> { }), "128 threads at most");
    } finally {
      driversGiveUp.countDown();
    }
    for (CompletableFuture<Connection> c : stuck) {
      assertNotNull(c.get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void aConnectPastTheBoundFailsAtOnceSayingWhichTargetsHoldTheThreadsAndIsNotHeldAgainstItsTarget() throws Exception {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
    // a breaker that opens after five failures in five calls: the busy rejections below must not count
    CallPipeline pipeline = new CallPipeline(ConfigLoader.parse(String.join("\n",
        "jdbc:", "  defaults:", "    timeout: {connect: 100ms}",
        "    retry: {maxAttempts: 3, initialBackoff: 1ms}",
        "    circuitBreaker: {slidingWindowSize: 5, minimumNumberOfCalls: 5, failureRateThreshold: 100, waitDurationInOpenState: 60s}",
        ""), "resilience.yaml").jdbc(), Clock.SYSTEM, RandomSource.SYSTEM, timer);
    JdbcThreads threads = new JdbcThreads(4, 3, TimeUnit.MILLISECONDS.toNanos(50));
    JdbcHooks hooks = new JdbcHooks(pipeline, threads);
    try {
      // one call of three attempts: each attempt's connect hangs on past its 100 ms
      PrintStream stderr = System.err;
      ByteArrayOutputStream said = new ByteArrayOutputStream();
      System.setErr(new PrintStream(said, true));
      SQLTransientConnectionException timedOut;
      try {
        timedOut = assertThrows(SQLTransientConnectionException.class, () -> connect(hooks));
      } finally {
        System.setErr(stderr);
      }
      assertTrue(timedOut.getMessage().contains("did not complete within 100ms"), timedOut.getMessage());
      assertEquals(3, connectsStarted.get());
      assertEquals("levee: a connect to 127.0.0.1:5999 runs on past its 100ms and holds one of Levee's JDBC threads"
          + " until the driver gives up (1 such to 127.0.0.1:5999 now; once 3 connects run, new ones fail at once)"
          + System.lineSeparator(), said.toString(), "three stuck connects, one line");

      for (int i = 0; i < 5; i++) {
        long began = System.nanoTime();
        ConnectThreadsBusyException busy = assertThrows(ConnectThreadsBusyException.class, () -> connect(hooks));
        assertTrue((System.nanoTime() - began) / 1_000_000 < 1_000, "fails at once, the app's thread is not held");
        assertInstanceOf(SQLTransientConnectionException.class, busy);
        assertEquals("08001", busy.getSQLState());
        assertEquals("levee: connect to 127.0.0.1:5999 not started: Levee's JDBC connect threads are all busy"
            + " (3 connects running, 3 of them stuck past their timeout: 3 to 127.0.0.1:5999); a stuck connect"
            + " frees its thread when its driver gives up", busy.getMessage());
      }
      assertEquals(3, connectsStarted.get(), "nothing retried, nothing started");
      assertEquals(3, threads.threads());
    } finally {
      driversGiveUp.countDown();
    }
    // the drivers return: the late connections are closed and the threads end
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while ((threads.threads() > 0 || lateConnectionsClosed.get() < 3) && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    assertEquals(3, lateConnectionsClosed.get());
    assertEquals(0, threads.threads(), "idle threads end");
    assertSame(connection, connect(hooks), "connects run again");
    timer.shutdownNow();
  }

  private Object connect(JdbcHooks hooks) throws Exception {
    return hooks.connect(hangingDriver, new Object[] {URL, new Properties()});
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
