package dev.levee.instrumentation.executors;

import dev.levee.core.deadline.CurrentDeadline;
import java.util.function.BiConsumer;

/** A stage's {@code BiConsumer} run with the deadline of the thread that created the stage. */
final class DeadlineBiConsumer<T, U> implements BiConsumer<T, U>, DeadlineTask {

  private final BiConsumer<T, U> consumer;
  private final long deadlineMillis;

  DeadlineBiConsumer(BiConsumer<T, U> consumer, long deadlineMillis) {
    this.consumer = consumer;
    this.deadlineMillis = deadlineMillis;
  }

  @Override
  public void accept(T t, U u) {
    long previous = CurrentDeadline.swap(deadlineMillis);
    try {
      consumer.accept(t, u);
    } finally {
      CurrentDeadline.restore(previous);
    }
  }

  @Override
  public Object wrapped() {
    return consumer;
  }
}
