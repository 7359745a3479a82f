package dev.levee.instrumentation.okhttp;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.Future;

/**
 * An application's call that Levee is running: what its {@code cancel()} must reach. The application holds
 * the original call; the attempts are other calls, so a cancel of the original is forwarded to the attempt
 * in flight and stops any further attempt.
 */
final class HandledCall {

  /** Original call -> its state, while Levee runs it; weak as a safety net, entries are removed at the end. */
  private static final Map<Object, HandledCall> IN_FLIGHT = Collections.synchronizedMap(new WeakHashMap<>());

  private volatile boolean cancelled;
  private volatile Object attempt;
  private volatile Future<?> result;

  static HandledCall start(Object originalCall) {
    HandledCall handled = new HandledCall();
    IN_FLIGHT.put(originalCall, handled);
    return handled;
  }

  static void finish(Object originalCall) {
    IN_FLIGHT.remove(originalCall);
  }

  /** The application cancelled {@code call}: reach what Levee runs for it, if anything. */
  static void cancelled(Object call) {
    HandledCall handled = IN_FLIGHT.get(call);
    if (handled != null) {
      handled.cancel();
    }
  }

  boolean isCancelled() {
    return cancelled;
  }

  /** The async pipeline's future: cancelling it stops further attempts and returns the permits. */
  void result(Future<?> future) {
    result = future;
    if (cancelled) {
      future.cancel(true);
    }
  }

  /**
   * A new attempt's call, before it starts. Cancel and start may race: each side writes its own volatile
   * field before reading the other's, so at least one of them sees the other and the attempt is cancelled.
   */
  void attemptStarting(Object call) {
    attempt = call;
    if (cancelled) {
      OkHttpApi.cancelQuietly(call);
    }
  }

  /**
   * Async: the pipeline's future first (it cancels the attempt in flight itself), so the app's callback
   * reliably gets OkHttp's {@code IOException("Canceled")}, not whichever I/O error the torn-down attempt hit.
   */
  private void cancel() {
    cancelled = true;
    Future<?> future = result;
    if (future != null) {
      future.cancel(true);
    }
    Object call = attempt;
    if (call != null) {
      OkHttpApi.cancelQuietly(call);
    }
  }
}
