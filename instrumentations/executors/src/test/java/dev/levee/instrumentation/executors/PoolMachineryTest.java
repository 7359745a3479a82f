package dev.levee.instrumentation.executors;

import static dev.levee.instrumentation.executors.HandOffs.handOver;
import static dev.levee.instrumentation.executors.HandOffs.withDeadline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import okhttp3.internal.concurrent.TaskRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pools' own tasks, by the real classes of OkHttp 4.12 and HikariCP, never carry the caller's deadline. */
class PoolMachineryTest {

  final ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void okHttpsTaskRunnerRunsOnItsThreadsWithoutTheDeadlineOfTheRequestThatStartedIt() throws Exception {
    Field field = TaskRunner.class.getDeclaredField("runnable");
    field.setAccessible(true);
    Runnable taskRunnerLoop = (Runnable) field.get(TaskRunner.INSTANCE);
    assertSame(taskRunnerLoop, withDeadline(() -> handOver(HandOffs.TPE_EXECUTE, pool, taskRunnerLoop)));
    assertEquals(null, withDeadline(() -> HandOff.runnable(taskRunnerLoop)));

    Runnable appTask = () -> { };
    assertNotSame(appTask, withDeadline(() -> handOver(HandOffs.TPE_EXECUTE, pool, appTask)),
        "the app's own work is still carried");
  }

  @Test
  void knownPoolsAreToldByTheirTasksClasses() throws Exception {
    assertTrue(PoolMachinery.isPoolClass(Class.forName("com.zaxxer.hikari.pool.HikariPool$PoolEntryCreator")));
    assertTrue(PoolMachinery.isPoolClass(Class.forName("com.zaxxer.hikari.pool.HikariPool$HouseKeeper")));
    assertTrue(PoolMachinery.isPoolClass(Class.forName("okhttp3.internal.concurrent.TaskRunner$runnable$1")));
    assertFalse(PoolMachinery.isPoolClass(Class.forName("okhttp3.internal.connection.RealCall$AsyncCall")),
        "a call the app enqueued is the app's work");
    assertFalse(PoolMachinery.isPoolClass(java.util.concurrent.FutureTask.class));
  }
}
