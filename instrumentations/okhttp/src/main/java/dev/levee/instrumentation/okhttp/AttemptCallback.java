package dev.levee.instrumentation.okhttp;

import dev.levee.instrumentation.api.LibraryMethods;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code okhttp3.Callback} of one async attempt: a {@link Proxy} of the application's own Callback
 * interface (Levee cannot link against OkHttp), which completes the attempt's future on OkHttp's dispatcher
 * thread.
 *
 * <p>Completing that future may end the whole call; the application's callback is then due. It is not run
 * inside the future's completion (where an exception it throws would vanish) but queued, and run by this
 * callback just after, still on the dispatcher thread: so it fires where OkHttp would have fired it, and
 * what it throws reaches OkHttp exactly as if OkHttp had called it.
 */
final class AttemptCallback implements InvocationHandler {

  /** Set while a dispatcher thread runs one of Levee's attempt callbacks: the app callbacks due run there after. */
  private static final ThreadLocal<List<Runnable>> DUE_ON_THIS_DISPATCHER_THREAD = new ThreadLocal<>();

  private final Object call;
  private final Future future;
  private final HandledCall handled;
  private final AttemptTimeout timeout;

  private AttemptCallback(Object call, Future future, HandledCall handled, AttemptTimeout timeout) {
    this.call = call;
    this.future = future;
    this.handled = handled;
    this.timeout = timeout;
  }

  /** A callback for {@code call}'s enqueue that completes {@code future}; {@code timeout} may be null. */
  static Object create(Object call, Future future, HandledCall handled, AttemptTimeout timeout)
      throws ClassNotFoundException {
    Class<?> callbackType = LibraryMethods.classBeside(call, "okhttp3.Callback");
    return Proxy.newProxyInstance(
        callbackType.getClassLoader(), new Class<?>[] {callbackType}, new AttemptCallback(call, future, handled, timeout));
  }

  /**
   * Queues an application callback to run on the current dispatcher thread once Levee's own callback is
   * done; false when this thread is not running one (the caller must find another thread).
   */
  static boolean runAfterOnThisDispatcherThread(Runnable applicationCallback) {
    List<Runnable> due = DUE_ON_THIS_DISPATCHER_THREAD.get();
    if (due == null) {
      return false;
    }
    due.add(applicationCallback);
    return true;
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) {
    switch (method.getName()) {
      case "onResponse":
        if (timeout != null) {
          timeout.headersReceived();
        }
        Object response = args[1];
        completeThenRunDue(() -> {
          if (!future.complete(response)) {
            OkHttpOutcomes.INSTANCE.discard(response); // the call was cancelled meanwhile: nobody will read it
          }
        });
        return null;
      case "onFailure":
        IOException e = (IOException) args[1];
        Throwable reported = handled.isCancelled() || CancelledAttempt.isCancellation(call, e) ? new CancelledAttempt(e) : e;
        completeThenRunDue(() -> future.completeExceptionally(reported));
        return null;
      case "hashCode":
        return System.identityHashCode(proxy);
      case "equals":
        return proxy == args[0];
      case "toString":
        return "levee attempt callback for " + call;
      default:
        return null;
    }
  }

  private static void completeThenRunDue(Runnable completion) {
    List<Runnable> due = new ArrayList<>(1);
    DUE_ON_THIS_DISPATCHER_THREAD.set(due);
    try {
      completion.run();
    } finally {
      DUE_ON_THIS_DISPATCHER_THREAD.remove();
    }
    for (Runnable r : due) {
      r.run();
    }
  }

  /** One attempt's result; cancelling it (the pipeline does, when the app cancels) cancels the attempt's call. */
  static final class Future extends CompletableFuture<Object> {
    private final Object call;

    Future(Object call) {
      this.call = call;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      OkHttpApi.cancelQuietly(call);
      return cancelled;
    }
  }
}
