package dev.levee.instrumentation.apache5;

import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One async attempt as the pipeline sees it. Completed by the attempt's {@code FutureCallback}, or expired by
 * Levee's own timer when its budget runs out: HttpClient's async client checks timeouts only once per I/O
 * reactor select interval (1 s by default), so the app would see a shorter budget overrun by up to a
 * second. An expired attempt's exchange is not cancelled: it carries the same budget as its response
 * timeout, so HttpClient ends it itself within one select interval, on its ordinary timeout path, which
 * returns the connection to the pool. (Cancelling it instead leaked a pooled connection now and then on
 * 5.6.5: about one cancel in ten against a server that never answers, measured.) Cancelled by the pipeline
 * (the app cancelled the call), the exchange is cancelled too, as the app asked.
 */
final class AsyncAttemptFuture extends CompletableFuture<AsyncResult> {

  private volatile Future<?> exchange;

  /** Called once the exchange is under way: from now on its budget runs. */
  void started(Future<?> exchange, ScheduledExecutorService timer, long timeoutNanos, String target) {
    this.exchange = exchange;
    if (isDone()) {
      if (isCancelled()) {
        cancelExchange();
      }
      return;
    }
    ScheduledFuture<?> expiry = timer.schedule(() -> expire(timeoutNanos, target), timeoutNanos, TimeUnit.NANOSECONDS);
    whenComplete((r, e) -> expiry.cancel(false));
  }

  private void expire(long timeoutNanos, String target) {
    SocketTimeoutException timeout = new SocketTimeoutException(
        "levee: no response from " + target + " within " + timeoutNanos / 1_000_000 + "ms");
    completeExceptionally(timeout);
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    cancelExchange();
    return cancelled;
  }

  private void cancelExchange() {
    Future<?> running = exchange;
    if (running != null) {
      running.cancel(true);
    }
  }
}
