package dev.levee.core.deadline;

import dev.levee.core.LeveeLog;

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

  private static final ThreadLocal<State> STATE = new ThreadLocal<State>() {
    @Override
    protected State initialValue() {
      return new State();
    }
  };

  private CurrentDeadline() {}

  private static final class State {
    long deadlineMillis = NONE;
    /** Nested handlers of one inbound request (filters, servlets, server filter chains). */
    int inboundDepth;
    long beforeInbound = NONE;
    /** Nested pool work ({@link #suspend}). */
    int suspendDepth;
    long beforeSuspend = NONE;
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

  /** Reads an inbound request's deadline (epoch millis, or {@link #NONE}); may fail. */
  public interface InboundRead {
    long deadline() throws Exception;
  }

  /**
   * Entering a handler of an inbound request. The outermost one (the first filter, the server's outermost
   * chain) sets the thread's deadline to what {@code read} gives, and to {@link #NONE} when it carries none
   * or reading fails (reported once per {@code site}): the thread may have served another request before.
   * Nested ones (the next filter, a servlet called by the chain, a forward) only count, so a request is read
   * once. Every entry must be matched by an {@link #exitInbound()}.
   */
  public static void enterInbound(InboundRead read, String site) {
    State s = STATE.get();
    if (s.inboundDepth++ > 0) {
      return;
    }
    long deadline = NONE;
    try {
      deadline = read.deadline();
    } catch (Throwable t) {
      LeveeLog.warnOnce(site, "could not read the deadline of an inbound request (" + site + "); it runs without one", t);
    }
    s.beforeInbound = s.deadlineMillis;
    s.deadlineMillis = deadline;
  }

  /** True while the current thread runs a handler of an inbound request. */
  public static boolean inInbound() {
    return STATE.get().inboundDepth > 0;
  }

  /** Leaving a handler: leaving the outermost restores what the thread held before the request. */
  public static void exitInbound() {
    State s = STATE.get();
    if (s.inboundDepth > 0 && --s.inboundDepth == 0) {
      s.deadlineMillis = s.beforeInbound;
      s.beforeInbound = NONE;
    }
  }

  /**
   * Entering work a connection pool does on the caller's thread for itself (HikariCP's getConnection: its
   * liveness checks, the connections it asks its threads to open): until the matching {@link #resume()} the
   * thread has no deadline, so neither that work nor anything it hands to the pool's threads inherits the
   * request's. Nests; what the thread held comes back at the outermost resume.
   */
  public static void suspend() {
    State s = STATE.get();
    if (s.suspendDepth++ == 0) {
      s.beforeSuspend = s.deadlineMillis;
      s.deadlineMillis = NONE;
    }
  }

  /** Leaving pool work: leaving the outermost restores the deadline the thread held before it. */
  public static void resume() {
    State s = STATE.get();
    if (s.suspendDepth > 0 && --s.suspendDepth == 0) {
      s.deadlineMillis = s.beforeSuspend;
      s.beforeSuspend = NONE;
    }
  }
}
