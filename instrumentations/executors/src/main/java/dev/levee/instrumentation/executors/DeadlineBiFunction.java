package dev.levee.instrumentation.executors;

import dev.levee.core.deadline.CurrentDeadline;
import java.util.function.BiFunction;

/** A stage's {@code BiFunction} run with the deadline of the thread that created the stage. */
final class DeadlineBiFunction<T, U, R> implements BiFunction<T, U, R>, DeadlineTask {

  private final BiFunction<T, U, R> function;
  private final long deadlineMillis;

  DeadlineBiFunction(BiFunction<T, U, R> function, long deadlineMillis) {
    this.function = function;
    this.deadlineMillis = deadlineMillis;
  }

  @Override
  public R apply(T t, U u) {
    long previous = CurrentDeadline.swap(deadlineMillis);
    try {
      return function.apply(t, u);
    } finally {
      CurrentDeadline.restore(previous);
    }
  }

  @Override
  public Object wrapped() {
    return function;
  }
}
