package dev.levee.instrumentation.executors;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link DeadlineRunnable} for a task that is also a {@code Future} (the {@code FutureTask} of
 * {@code submit}, {@code invokeAll}): it sits in the executor's queue in the task's place, so it is a
 * {@code Future} too. {@code ThreadPoolExecutor.purge()} asks the queued tasks {@code isCancelled()},
 * and applications cast what {@code shutdownNow()} returns to {@code Future} to cancel it.
 */
final class DeadlineFutureTask<V> extends DeadlineRunnable implements RunnableFuture<V> {

  private final Future<V> future;

  /** @param task a {@code Runnable} that is a {@code Future} */
  @SuppressWarnings("unchecked")
  DeadlineFutureTask(Runnable task, long deadlineMillis) {
    super(task, deadlineMillis);
    this.future = (Future<V>) task;
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    return future.cancel(mayInterruptIfRunning);
  }

  @Override
  public boolean isCancelled() {
    return future.isCancelled();
  }

  @Override
  public boolean isDone() {
    return future.isDone();
  }

  @Override
  public V get() throws InterruptedException, ExecutionException {
    return future.get();
  }

  @Override
  public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
    return future.get(timeout, unit);
  }
}
