package dev.levee.instrumentation.api;

/**
 * Marks the thread while the pipeline makes the real call, so that the intercepted method, entered again
 * by that call, runs untouched. The mark is taken by the first hook that sees it.
 */
public final class PassThrough {

  private static final ThreadLocal<boolean[]> MARK = new ThreadLocal<boolean[]>() {
    @Override
    protected boolean[] initialValue() {
      return new boolean[1];
    }
  };

  private PassThrough() {}

  /** Marks the current thread; the caller must {@link #clear()} in a finally block. */
  public static void mark() {
    MARK.get()[0] = true;
  }

  /** True, and unmarks, when the current thread was marked. */
  public static boolean take() {
    boolean[] mark = MARK.get();
    if (mark[0]) {
      mark[0] = false;
      return true;
    }
    return false;
  }

  public static void clear() {
    MARK.get()[0] = false;
  }
}
