package dev.levee.instrumentation.executors;

import dev.levee.core.deadline.CurrentDeadline;
import java.util.function.Function;

/** A stage's {@code Function} run with the deadline of the thread that created the stage. */
final class DeadlineFunction<T, R> implements Function<T, R>, DeadlineTask {

  private final Function<T, R> function;
  private final long deadlineMillis;

  DeadlineFunction(Function<T, R> function, long deadlineMillis) {
    this.function = function;
    this.deadlineMillis = deadlineMillis;
  }

  @Override
  public R apply(T t) {
    long previous = CurrentDeadline.swap(deadlineMillis);
    try {
      return function.apply(t);
    } finally {
      CurrentDeadline.restore(previous);
    }
  }

  @Override
  public Object wrapped() {
    return function;
  }
}
