package dev.levee.instrumentation.executors;

import dev.levee.core.deadline.CurrentDeadline;
import java.util.function.Consumer;

/** A stage's {@code Consumer} run with the deadline of the thread that created the stage. */
final class DeadlineConsumer<T> implements Consumer<T>, DeadlineTask {

  private final Consumer<T> consumer;
  private final long deadlineMillis;

  DeadlineConsumer(Consumer<T> consumer, long deadlineMillis) {
    this.consumer = consumer;
    this.deadlineMillis = deadlineMillis;
  }

  @Override
  public void accept(T t) {
    long previous = CurrentDeadline.swap(deadlineMillis);
    try {
      consumer.accept(t);
    } finally {
      CurrentDeadline.restore(previous);
    }
  }

  @Override
  public Object wrapped() {
    return consumer;
  }
}
