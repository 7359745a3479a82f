package dev.levee.instrumentation.executors;

import dev.levee.core.deadline.CurrentDeadline;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinTask;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where the application hands work to another thread: the work, wrapped to carry the handing thread's
 * deadline, or null to hand it over untouched. Without a deadline nothing is wrapped or allocated.
 */
final class HandOff {

  private HandOff() {}

  /**
   * The kinds of work handed over, by the interface the receiving method declares. An enum rather than a
   * method reference per hooked method: each of those would be a class spun up while the agent starts.
   */
  enum Work { RUNNABLE, CALLABLE, SUPPLIER, FUNCTION, BI_FUNCTION, CONSUMER, BI_CONSUMER }

  /** {@code work} wrapped as its kind, or null to hand it over untouched. */
  static Object wrap(Work kind, Object work) {
    switch (kind) {
      case RUNNABLE:
        return runnable(work);
      case CALLABLE:
        return callable(work);
      case SUPPLIER:
        return supplier(work);
      case FUNCTION:
        return function(work);
      case BI_FUNCTION:
        return biFunction(work);
      case CONSUMER:
        return consumer(work);
      default:
        return biConsumer(work);
    }
  }

  /** The deadline {@code work} should carry, or {@link CurrentDeadline#NONE} to leave it as it is. */
  static long deadlineFor(Object work) {
    long deadline = CurrentDeadline.get();
    if (deadline == CurrentDeadline.NONE
        || work == null
        // wrapped already: by an earlier hand-off of the same work, or by a hooked method calling another
        || work instanceof DeadlineTask
        // a ForkJoinTask is joined, forked and compared by identity: its pool must get the very object;
        // CompletableFuture's own tasks are ForkJoinTasks whose function was wrapped when the stage was made
        || work instanceof ForkJoinTask
        || isVirtualThreadScheduling(work)
        || PoolMachinery.isPoolTask(work)) {
      return CurrentDeadline.NONE;
    }
    return deadline;
  }

  /**
   * The JDK submits a virtual thread's continuation to its scheduler (a ForkJoinPool) at every start and
   * unpark, from whatever thread unparks it, and schedules its park timeouts: not the application's
   * work. A virtual thread carries the deadline it was created with (see {@link #runnable}).
   */
  private static boolean isVirtualThreadScheduling(Object work) {
    Class<?> type = work.getClass();
    return type.getName().startsWith("java.lang.VirtualThread") && type.getClassLoader() == null;
  }

  static Object runnable(Object task) {
    long deadline = deadlineFor(task);
    return deadline == CurrentDeadline.NONE || !(task instanceof Runnable)
        ? null
        : new DeadlineRunnable((Runnable) task, deadline);
  }

  @SuppressWarnings("unchecked")
  static Object callable(Object task) {
    long deadline = deadlineFor(task);
    return deadline == CurrentDeadline.NONE || !(task instanceof Callable)
        ? null
        : new DeadlineCallable<>((Callable<Object>) task, deadline);
  }

  @SuppressWarnings("unchecked")
  static Object supplier(Object function) {
    long deadline = deadlineFor(function);
    return deadline == CurrentDeadline.NONE || !(function instanceof Supplier)
        ? null
        : new DeadlineSupplier<>((Supplier<Object>) function, deadline);
  }

  @SuppressWarnings("unchecked")
  static Object function(Object function) {
    long deadline = deadlineFor(function);
    return deadline == CurrentDeadline.NONE || !(function instanceof Function)
        ? null
        : new DeadlineFunction<>((Function<Object, Object>) function, deadline);
  }

  @SuppressWarnings("unchecked")
  static Object biFunction(Object function) {
    long deadline = deadlineFor(function);
    return deadline == CurrentDeadline.NONE || !(function instanceof BiFunction)
        ? null
        : new DeadlineBiFunction<>((BiFunction<Object, Object, Object>) function, deadline);
  }

  @SuppressWarnings("unchecked")
  static Object consumer(Object function) {
    long deadline = deadlineFor(function);
    return deadline == CurrentDeadline.NONE || !(function instanceof Consumer)
        ? null
        : new DeadlineConsumer<>((Consumer<Object>) function, deadline);
  }

  @SuppressWarnings("unchecked")
  static Object biConsumer(Object function) {
    long deadline = deadlineFor(function);
    return deadline == CurrentDeadline.NONE || !(function instanceof BiConsumer)
        ? null
        : new DeadlineBiConsumer<>((BiConsumer<Object, Object>) function, deadline);
  }
}
