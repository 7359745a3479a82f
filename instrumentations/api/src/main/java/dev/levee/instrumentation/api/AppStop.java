package dev.levee.instrumentation.api;

/**
 * The app's own stop of a request ({@code abort()} in HttpClient 4, {@code cancel()} in HttpClient 5 classic)
 * while Levee sends the call as copies of it, one per attempt: passed on to the attempt in flight. A request of
 * the library's own classes is registered {@link InFlight} while its call runs, and Levee's hook on its stop
 * method finds it there ({@link #stoppedByTheApp}); for any other request the library's instrumentation hands
 * it a callback of its own that does the same.
 */
public final class AppStop {

  /** The app's request; null for one that cannot be stopped. */
  private final Object request;
  /** Whether the request's stop method is hooked: the call is then registered in flight. */
  private final boolean hooked;
  /** The stop method ({@code abort}, {@code cancel}) and the one that tells it ran ({@code isAborted}...). */
  private final String stop;
  private final String stopped;
  private Object key;
  private volatile Object attempt;
  /** Set by Levee's hook, which runs before the request's own flag is set. */
  private volatile boolean byHook;

  /**
   * @param request the app's request, null for one that cannot be stopped
   * @param hooked whether Levee hooks the request's {@code stop} method
   * @param stop the request's stop method, also the attempt's ({@code abort}, {@code cancel})
   * @param stopped the request's method that tells it was stopped ({@code isAborted}, {@code isCancelled})
   */
  public AppStop(Object request, boolean hooked, String stop, String stopped) {
    this.request = request;
    this.hooked = hooked;
    this.stop = stop;
    this.stopped = stopped;
  }

  /** The call starts: its request's stop method finds it until {@link #done}. */
  public void register(InFlight<AppStop> inFlight) {
    if (hooked) {
      key = inFlight.register(request, this);
    }
  }

  /** The call has ended: the request is no longer looked for. */
  public void done(InFlight<AppStop> inFlight) {
    if (key != null) {
      inFlight.done(key, this);
    }
  }

  /** The copy an attempt sends. */
  public void attempting(Object copy) {
    attempt = copy;
  }

  /** The copy the attempt in flight sends, or null. */
  public Object attempt() {
    return attempt;
  }

  /** The app stopped its request: the attempt in flight is stopped too, and the call is the app's to end. */
  public void stoppedByTheApp() {
    byHook = true; // before the request's own flag: the attempt's failure, and the next attempt, see it
    stopAttempt();
  }

  /** Whether the app stopped its request: told by Levee's hook, or by the request's own flag. */
  public boolean byTheApp() {
    return byHook || (request != null && wasStopped(request, stopped));
  }

  /** Stops the attempt in flight, if any; should that fail, it ends on its timeouts. */
  public void stopAttempt() {
    Object current = attempt;
    try {
      if (current != null) {
        LibraryMethods.invoke(current, stop);
      }
    } catch (Throwable ignored) {
      // the attempt ends on its timeouts instead
    }
  }

  /** Whether {@code request}'s {@code stopped} method says so; false for a request without one. */
  public static boolean wasStopped(Object request, String stopped) {
    try {
      return Boolean.TRUE.equals(LibraryMethods.invoke(request, stopped));
    } catch (Throwable notStoppable) {
      return false;
    }
  }
}
