package dev.levee.core.deadline;

/**
 * The deadline of the work the current thread is doing: set while an inbound request's handler runs
 * (from the request's headers), and while a task handed to another thread runs (from the thread that
 * handed it over). Every outgoing call made meanwhile is bounded by it.
 *
 * <p>A plain {@code ThreadLocal}, never an inheritable one: pools create their workers lazily from
 * whatever thread submits first, and an inherited value would freeze that request's deadline into the
 * worker for good. Each setter restores what it replaced, so a pooled thread holds no deadline between
 * tasks.
 */
public final class CurrentDeadline {

  /** No deadline: the same value as {@code CallSpec.NO_DEADLINE}. */
  public static final long NONE = Long.MAX_VALUE;

  private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);

  private CurrentDeadline() {}

  private static final class State {
    long deadlineMillis = NONE;
    /** Nested handlers of one inbound request (filters, servlets, server filter chains). */
    int inboundDepth;
    long beforeInbound = NONE;
  }

  /** The current thread's deadline in epoch milliseconds, or {@link #NONE}. */
  public static long get() {
    return STATE.get().deadlineMillis;
  }

  /** Sets the current thread's deadline and returns the one it replaces, for {@link #restore}. */
  public static long swap(long deadlineMillis) {
    State s = STATE.get();
    long previous = s.deadlineMillis;
    s.deadlineMillis = deadlineMillis;
    return previous;
  }

  public static void restore(long previous) {
    STATE.get().deadlineMillis = previous;
  }

  /**
   * Entering a handler of an inbound request. True for the outermost one, which must then call
   * {@link #beginInbound}; nested ones (the next filter, a servlet called by the chain) only count.
   */
  public static boolean enterInbound() {
    return STATE.get().inboundDepth++ == 0;
  }

  /** Sets the deadline for the inbound request the outermost handler serves. */
  public static void beginInbound(long deadlineMillis) {
    State s = STATE.get();
    s.beforeInbound = s.deadlineMillis;
    s.deadlineMillis = deadlineMillis;
  }

  /** Leaving a handler: leaving the outermost restores what the thread held before the request. */
  public static void exitInbound() {
    State s = STATE.get();
    if (s.inboundDepth > 0 && --s.inboundDepth == 0) {
      s.deadlineMillis = s.beforeInbound;
      s.beforeInbound = NONE;
    }
  }
}
