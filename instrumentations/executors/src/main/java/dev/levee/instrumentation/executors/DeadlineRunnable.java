package dev.levee.instrumentation.executors;

import dev.levee.core.deadline.CurrentDeadline;

/**
 * Runs a task with the deadline captured when it was handed over, and gives the thread back the
 * deadline it had before: a pooled thread never keeps a request's deadline into unrelated work.
 */
class DeadlineRunnable implements Runnable, DeadlineTask {

  final Runnable task;
  private final long deadlineMillis;

  DeadlineRunnable(Runnable task, long deadlineMillis) {
    this.task = task;
    this.deadlineMillis = deadlineMillis;
  }

  @Override
  public void run() {
    long previous = CurrentDeadline.swap(deadlineMillis);
    try {
      task.run();
    } finally {
      CurrentDeadline.restore(previous);
    }
  }

  @Override
  public Object wrapped() {
    return task;
  }

  /** The task's own: a rejection message or a log line that prints the task reads as without Levee. */
  @Override
  public String toString() {
    return task.toString();
  }
}
