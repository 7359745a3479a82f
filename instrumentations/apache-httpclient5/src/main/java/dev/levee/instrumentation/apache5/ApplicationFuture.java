package dev.levee.instrumentation.apache5;

import dev.levee.core.LeveeLog;
import dev.levee.instrumentation.api.LibraryMethods;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@code Future} an async {@code execute} returns to the app while Levee runs the call. It completes
 * with the call's final result, and the app's {@code FutureCallback} is told exactly once, after the future
 * is done (as HttpClient's own {@code BasicFuture} does): {@code completed}, {@code failed} or
 * {@code cancelled}. Cancelling it cancels the pipeline's call: the attempt in flight is cancelled, no
 * further attempt starts, the permits are given back.
 */
final class ApplicationFuture extends CompletableFuture<Object> {

  private final CompletableFuture<AsyncResult> call;
  private final Object callback;
  private final java.util.function.Consumer<Throwable> ended;
  private final AtomicBoolean finished = new AtomicBoolean();

  private ApplicationFuture(CompletableFuture<AsyncResult> call, Object callback, java.util.function.Consumer<Throwable> ended) {
    this.call = call;
    this.callback = callback;
    this.ended = ended;
  }

  /**
   * @param callback the app's {@code FutureCallback}, or null
   * @param ended given the call's failure (null for a result): puts the app's context back and tells its
   *     consumer; run once, before the app hears of the end
   */
  static ApplicationFuture of(CompletableFuture<AsyncResult> call, Object callback, java.util.function.Consumer<Throwable> ended) {
    ApplicationFuture future = new ApplicationFuture(call, callback, ended);
    call.whenComplete(future::finish);
    return future;
  }

  private void finish(AsyncResult result, Throwable failure) {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    Throwable error = unwrap(failure);
    ended.accept(error);
    if (error == null) {
      Object value = result == null ? null : result.value;
      complete(value);
      tell("completed", value);
    } else if (error instanceof CancellationException) {
      super.cancel(false);
      tell("cancelled");
    } else {
      completeExceptionally(error);
      if (error instanceof Exception) {
        tell("failed", error);
      } else {
        tell("failed", new ExecutionException(error));
      }
    }
  }

  private void tell(String method, Object... args) {
    if (callback == null) {
      return;
    }
    try {
      LibraryMethods.invoke(callback, method, args);
    } catch (Throwable t) {
      LeveeLog.warnOnce("apache-httpclient5.callback", "an application FutureCallback threw", t);
    }
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    if (isDone()) {
      return false;
    }
    call.cancel(mayInterruptIfRunning); // completes the call, which runs finish: cancelled, told once
    return isCancelled() || super.cancel(mayInterruptIfRunning);
  }

  private static Throwable unwrap(Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
