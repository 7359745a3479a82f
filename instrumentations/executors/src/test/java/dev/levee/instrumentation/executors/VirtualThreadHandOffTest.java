package dev.levee.instrumentation.executors;

import static dev.levee.instrumentation.executors.HandOffs.DEADLINE;
import static dev.levee.instrumentation.executors.HandOffs.handOver;
import static dev.levee.instrumentation.executors.HandOffs.site;
import static dev.levee.instrumentation.executors.HandOffs.withDeadline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.levee.core.deadline.CurrentDeadline;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@code ThreadBuilders.newVirtualThread}'s task (JDK 21+; the smoke test starts real virtual threads on
 * JDK 25). Here the task runs on a platform thread: what matters is what the thread's task does.
 */
class VirtualThreadHandOffTest {

  static final String NEW_VIRTUAL_THREAD = site("ThreadBuilders", "newVirtualThread",
      "(Ljava/util/concurrent/Executor;Ljava/lang/String;ILjava/lang/Runnable;)");

  @Test
  void theThreadsTaskRunsWithTheDeadlineOfTheThreadThatCreatedIt() throws Exception {
    AtomicLong seen = new AtomicLong();
    Runnable task = withDeadline(() -> handOver(NEW_VIRTUAL_THREAD, null, (Runnable) () -> seen.set(CurrentDeadline.get())));
    Thread thread = new Thread(task);
    thread.start();
    thread.join(5000);
    assertEquals(DEADLINE, seen.get());
  }

  @Test
  void withoutADeadlineTheTaskIsHandedOverAsItIs() {
    Runnable task = () -> { };
    assertSame(task, handOver(NEW_VIRTUAL_THREAD, null, task));
  }
}
