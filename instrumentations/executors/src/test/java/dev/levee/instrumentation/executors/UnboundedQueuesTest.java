package dev.levee.instrumentation.executors;

import static dev.levee.instrumentation.executors.HandOffs.DEADLINE;
import static dev.levee.instrumentation.executors.HandOffs.withDeadline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.config.ExecutorsConfig;
import dev.levee.core.deadline.CurrentDeadline;
import dev.levee.instrumentation.api.BridgeTable;
import dev.levee.instrumentation.api.MethodHook;
import example.app.Pools;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pools' constructor and execute hooks as the woven code calls them: through the bridge table, the
 * constructor's at the end of the pool's constructor, execute's result deciding what execute goes on with.
 */
class UnboundedQueuesTest {

  final List<ThreadPoolExecutor> made = new ArrayList<>();
  final CountDownLatch release = new CountDownLatch(1);
  ThreadPoolHooks hooks;
  BiFunction<Object, Object[], Object> execute;

  void bound(int maxQueue) {
    ExecutorsInstrumentation instrumentation = new ExecutorsInstrumentation();
    hooks = new ThreadPoolHooks(maxQueue);
    Map<String, BiFunction<Object, Object[], Object>> sites = BridgeTable.of(instrumentation.methodHooks(), hooks);
    for (MethodHook<ThreadPoolHooks> hook : instrumentation.methodHooks()) {
      if (hook.kind() == MethodHook.Kind.CONSTRUCTED) {
        Pools.whenMade = sites.get(hook.site());
      } else if (hook.kind() == MethodHook.Kind.REPLACE_ARGUMENT_OR_RETURN) {
        execute = sites.get(hook.site());
      }
    }
  }

  @AfterEach
  void stop() {
    release.countDown();
    made.forEach(ThreadPoolExecutor::shutdownNow);
  }

  ThreadPoolExecutor pool(int threads, BlockingQueue<Runnable> queue, RejectedExecutionHandler handler) {
    ThreadPoolExecutor pool = Pools.make(threads, queue, handler);
    made.add(pool);
    return pool;
  }

  /** What the woven {@code execute} does: the hook, then the method with its argument, or nothing. */
  void submit(ThreadPoolExecutor pool, Runnable task) {
    Object decided = execute.apply(pool, new Object[] {task});
    if (decided == null) {
      pool.execute(task);
    } else if (decided instanceof Runnable) {
      pool.execute((Runnable) decided);
    }
  }

  /** Every thread of the pool busy until the test ends. */
  void occupy(ThreadPoolExecutor pool) {
    for (int i = 0; i < pool.getCorePoolSize(); i++) {
      submit(pool, () -> {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (pool.getActiveCount() < pool.getCorePoolSize()) {
      assertTrue(System.nanoTime() < giveUp, "the pool's threads never all started");
      Thread.onSpinWait();
    }
  }

  @Test
  void onlyUnboundedQueuesAreWatched() {
    assertTrue(UnboundedQueues.isUnbounded(new LinkedBlockingQueue<>()));
    assertTrue(UnboundedQueues.isUnbounded(new LinkedBlockingDeque<>()));
    assertTrue(UnboundedQueues.isUnbounded(new LinkedTransferQueue<>()));
    assertTrue(UnboundedQueues.isUnbounded(new PriorityBlockingQueue<>()));
    assertFalse(UnboundedQueues.isUnbounded(new LinkedBlockingQueue<>(100)));
    assertFalse(UnboundedQueues.isUnbounded(new ArrayBlockingQueue<>(100)));
    assertFalse(UnboundedQueues.isUnbounded(new SynchronousQueue<>()));
  }

  @Test
  void aSiteIsReportedOnceAndNamesTheApplicationsMethod() {
    bound(ExecutorsConfig.NO_LIMIT);
    @SuppressWarnings("unchecked")
    BlockingQueue<Runnable>[] queues = new BlockingQueue[50];
    for (int i = 0; i < queues.length; i++) {
      queues[i] = new LinkedBlockingQueue<>();
    }
    Collections.addAll(made, Pools.makeInALoop(50, queues));
    pool(1, new ArrayBlockingQueue<>(10), new ThreadPoolExecutor.AbortPolicy());
    List<String> summary = hooks.unboundedSummary();
    assertEquals(1, summary.size(), summary.toString());
    assertTrue(summary.get(0).contains("created at example.app.Pools.makeInALoop(Pools.java:"), summary.get(0));
    assertTrue(summary.get(0).contains("(50 pools): high-water mark 0 tasks"), summary.get(0));
  }

  @Test
  void theHighWaterMarkIsReportedAtEachTenfoldThreshold() {
    PoolQueueSite site = new PoolQueueSite("here", new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>()));
    assertEquals(-1, site.sawQueue(999));
    assertEquals(1000, site.sawQueue(1000));
    assertEquals(-1, site.sawQueue(5000));
    assertEquals(-1, site.sawQueue(200), "a lower size leaves the mark");
    assertEquals(5000, site.highWater.get());
    assertEquals(10_000, site.sawQueue(10_000));
    assertEquals(250_000, site.sawQueue(250_000), "one line for a jump over several thresholds");
    assertEquals(-1, site.sawQueue(999_999));
    assertEquals(1_000_000, site.sawQueue(1_000_000));
    assertEquals(Integer.MAX_VALUE, site.sawQueue(Integer.MAX_VALUE));
    assertEquals(-1, site.sawQueue(Integer.MAX_VALUE));
  }

  @Test
  void withoutMaxQueueNothingIsRefusedAndTheMarkIsKept() {
    bound(ExecutorsConfig.NO_LIMIT);
    ThreadPoolExecutor pool = pool(1, new LinkedBlockingQueue<>(), new ThreadPoolExecutor.AbortPolicy());
    occupy(pool);
    for (int i = 0; i < 300; i++) {
      submit(pool, () -> { });
    }
    assertEquals(300, pool.getQueue().size());
    assertTrue(hooks.unboundedSummary().get(0).endsWith("high-water mark 299 tasks"), hooks.unboundedSummary().get(0));
  }

  @Test
  void pastMaxQueueAbortPolicyThrowsAndTheQueueStaysAtTheBound() {
    bound(100);
    ThreadPoolExecutor pool = pool(2, new LinkedBlockingQueue<>(), new ThreadPoolExecutor.AbortPolicy());
    occupy(pool);
    for (int i = 0; i < 100; i++) {
      submit(pool, () -> { });
    }
    assertThrows(RejectedExecutionException.class, () -> submit(pool, () -> { }));
    assertThrows(RejectedExecutionException.class, () -> submit(pool, () -> { }));
    assertEquals(100, pool.getQueue().size());
    assertTrue(hooks.unboundedSummary().get(0).endsWith("2 refused by executors.maxQueue 100"),
        hooks.unboundedSummary().get(0));
  }

  @Test
  void callerRunsPolicyRunsTheExcessOnTheCallerWithItsDeadline() throws Exception {
    bound(10);
    ThreadPoolExecutor pool = pool(1, new LinkedBlockingQueue<>(), new ThreadPoolExecutor.CallerRunsPolicy());
    occupy(pool);
    List<String> ranOn = Collections.synchronizedList(new ArrayList<>());
    long[] deadline = {0};
    withDeadline(() -> {
      for (int i = 0; i < 15; i++) {
        submit(pool, () -> {
          ranOn.add(Thread.currentThread().getName());
          deadline[0] = CurrentDeadline.get();
        });
      }
      return null;
    });
    assertEquals(10, pool.getQueue().size());
    assertEquals(Collections.nCopies(5, Thread.currentThread().getName()), ranOn);
    assertEquals(DEADLINE, deadline[0]);
  }

  @Test
  void theRejectionHandlerGetsTheApplicationsTaskNotAWrapper() throws Exception {
    bound(0);
    List<Runnable> rejected = new ArrayList<>();
    ThreadPoolExecutor pool = pool(1, new LinkedBlockingQueue<>(), (task, executor) -> rejected.add(task));
    occupy(pool);
    Runnable task = () -> { };
    withDeadline(() -> {
      submit(pool, task);
      return null;
    });
    assertEquals(List.of(task), rejected);
    assertEquals(0, pool.getQueue().size(), "maxQueue 0: no task waits");
  }

  @Test
  void aTaskAThreadTakesAtOnceIsNeverRefused() {
    bound(0);
    ThreadPoolExecutor pool = pool(2, new LinkedBlockingQueue<>(), new ThreadPoolExecutor.AbortPolicy());
    CountDownLatch ran = new CountDownLatch(2);
    submit(pool, ran::countDown); // fewer threads than the core size: a new thread takes it
    pool.prestartAllCoreThreads();
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (pool.getActiveCount() > 0) {
      assertTrue(System.nanoTime() < giveUp, "the first task never ended");
      Thread.onSpinWait();
    }
    submit(pool, ran::countDown); // an idle thread takes it
    assertEquals(0, ran.getCount() == 0 ? 0 : awaitCount(ran));
  }

  private static long awaitCount(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return latch.getCount();
  }

  @Test
  void aPoolMadeBeforeLeveeWasReadyIsWatchedFromItsFirstTask() {
    bound(2);
    BiFunction<Object, Object[], Object> notReady = (pool, none) -> null;
    Pools.whenMade = notReady;
    ThreadPoolExecutor pool = pool(1, new LinkedBlockingQueue<>(), new ThreadPoolExecutor.AbortPolicy());
    occupy(pool);
    submit(pool, () -> { });
    submit(pool, () -> { });
    assertThrows(RejectedExecutionException.class, () -> submit(pool, () -> { }));
    List<String> summary = hooks.unboundedSummary();
    assertEquals(1, summary.size(), summary.toString());
    assertTrue(summary.get(0).contains("made before Levee was ready"), summary.get(0));
  }

  @Test
  void aBoundedPoolIsNeitherWatchedNorRefused() {
    bound(0);
    ThreadPoolExecutor pool = pool(1, new ArrayBlockingQueue<>(5), new ThreadPoolExecutor.AbortPolicy());
    occupy(pool);
    for (int i = 0; i < 5; i++) {
      submit(pool, () -> { });
    }
    assertEquals(5, pool.getQueue().size());
    assertEquals(List.of(), hooks.unboundedSummary());
  }

  @Test
  void aTableOfManyQueuesFindsEachAndOnlyThose() {
    QueueSites table = new QueueSites();
    List<Object> queues = new ArrayList<>();
    List<PoolQueueSite> sites = new ArrayList<>();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
    for (int i = 0; i < 1000; i++) {
      Object queue = new Object();
      PoolQueueSite site = new PoolQueueSite("site " + i, pool);
      queues.add(queue);
      sites.add(site);
      table.put(queue, site);
    }
    for (int i = 0; i < 1000; i++) {
      assertSame(sites.get(i), table.get(queues.get(i)));
    }
    assertNull(table.get(new Object()));
  }
}
