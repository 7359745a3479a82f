package dev.levee.core.config;

/**
 * {@code executors}: the application's own thread pools. {@code maxQueue} bounds the queue of every
 * {@code ThreadPoolExecutor} built with an unbounded one; off unless asked for, because a bound turns a slow
 * pool into rejected tasks, which the application must be ready for. Immutable.
 */
public final class ExecutorsConfig {

  /** {@code maxQueue: none}, the default: unbounded queues stay unbounded (they are still reported). */
  public static final int NO_LIMIT = -1;

  private static final ExecutorsConfig DEFAULTS = new ExecutorsConfig(NO_LIMIT);

  private final int maxQueue;

  private ExecutorsConfig(int maxQueue) {
    this.maxQueue = maxQueue;
  }

  public static ExecutorsConfig defaults() {
    return DEFAULTS;
  }

  /** @param maxQueue the most tasks a pool's unbounded queue may hold, at least 0 ({@link #defaults()}: no bound) */
  public static ExecutorsConfig withMaxQueue(int maxQueue) {
    return new ExecutorsConfig(InvalidValue.atLeast("executors.maxQueue", 0, maxQueue));
  }

  /** The most tasks an unbounded pool queue may hold, or {@link #NO_LIMIT}. */
  public int maxQueue() {
    return maxQueue;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExecutorsConfig && ((ExecutorsConfig) o).maxQueue == maxQueue;
  }

  @Override
  public int hashCode() {
    return maxQueue;
  }

  @Override
  public String toString() {
    return "executors.maxQueue=" + (maxQueue == NO_LIMIT ? "none" : Integer.toString(maxQueue));
  }
}
