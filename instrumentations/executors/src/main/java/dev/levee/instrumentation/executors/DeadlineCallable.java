package dev.levee.instrumentation.executors;

import dev.levee.core.deadline.CurrentDeadline;
import java.util.concurrent.Callable;

/** A {@code Callable} run with the deadline captured when it was handed over (see {@link DeadlineRunnable}). */
final class DeadlineCallable<V> implements Callable<V>, DeadlineTask {

  private final Callable<V> task;
  private final long deadlineMillis;

  DeadlineCallable(Callable<V> task, long deadlineMillis) {
    this.task = task;
    this.deadlineMillis = deadlineMillis;
  }

  @Override
  public V call() throws Exception {
    long previous = CurrentDeadline.swap(deadlineMillis);
    try {
      return task.call();
    } finally {
      CurrentDeadline.restore(previous);
    }
  }

  @Override
  public Object wrapped() {
    return task;
  }

  @Override
  public String toString() {
    return task.toString();
  }
}
