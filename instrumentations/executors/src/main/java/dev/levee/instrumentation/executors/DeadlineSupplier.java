package dev.levee.instrumentation.executors;

import dev.levee.core.deadline.CurrentDeadline;
import java.util.function.Supplier;

/** A stage's {@code Supplier} run with the deadline of the thread that created the stage. */
final class DeadlineSupplier<T> implements Supplier<T>, DeadlineTask {

  private final Supplier<T> supplier;
  private final long deadlineMillis;

  DeadlineSupplier(Supplier<T> supplier, long deadlineMillis) {
    this.supplier = supplier;
    this.deadlineMillis = deadlineMillis;
  }

  @Override
  public T get() {
    long previous = CurrentDeadline.swap(deadlineMillis);
    try {
      return supplier.get();
    } finally {
      CurrentDeadline.restore(previous);
    }
  }

  @Override
  public Object wrapped() {
    return supplier;
  }
}
