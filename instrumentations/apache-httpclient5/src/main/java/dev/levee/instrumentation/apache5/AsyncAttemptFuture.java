package dev.levee.instrumentation.apache5;

import dev.levee.core.Faults;
import dev.levee.core.LeveeLog;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One async attempt as the pipeline sees it. Completed by the attempt's {@code FutureCallback}, or expired by
 * Levee's own timer when its budget runs out: HttpClient's async client checks timeouts only once per I/O
 * reactor select interval (1 s by default), so the app would see a shorter budget overrun by up to a
 * second, and its socket timeout never ends an exchange that a server keeps alive one byte at a time. An
 * expired attempt's exchange is not cancelled through its future (that leaked a pooled connection now and
 * then on 5.6.5: about one cancel in ten against a server that never answers, measured); its connection is
 * closed and released through HttpClient's exec runtime instead ({@link ExchangePhase#end}). Cancelled
 * by the pipeline (the app cancelled the call), the exchange is cancelled too, as the app asked.
 */
final class AsyncAttemptFuture extends CompletableFuture<AsyncResult> {

  private final ScheduledExecutorService timer;
  private volatile Future<?> exchange;
  private volatile ScheduledFuture<?> expiry;
  private volatile boolean headIn;
  /** Where the exchange's exec runtime lands ({@link ExchangePhase}); null until started. */
  private volatile Object[] runtime;

  AsyncAttemptFuture(ScheduledExecutorService timer) {
    this.timer = timer;
    whenComplete((r, e) -> disarm());
  }

  /** Called once the exchange is under way: from now on its budget runs, to the response head. */
  void started(Future<?> exchange, long timeoutNanos, String target, Object[] runtime) {
    this.exchange = exchange;
    this.runtime = runtime;
    if (isDone()) {
      if (isCancelled()) {
        cancelExchange();
      }
      return;
    }
    synchronized (this) {
      if (!headIn) { // it may be, on a fast exchange
        arm(timeoutNanos, () -> ExchangePhase.timedOut(runtime[0], target, timeoutNanos / 1_000_000), true);
      }
    }
  }

  /**
   * The response head is in: the attempt's budget ends; what follows, the body, gets {@code bodyNanos}
   * ({@link Long#MAX_VALUE}: no bound) and fails with {@code why} past it.
   *
   * @return false when the attempt had ended already (Levee's timer gave up on it): the head is nobody's
   */
  synchronized boolean headArrived(long bodyNanos, String why) {
    if (isDone()) {
      return false;
    }
    headIn = true;
    disarm();
    if (bodyNanos != Long.MAX_VALUE) {
      arm(bodyNanos, () -> new SocketTimeoutException(why), false);
    }
    return true;
  }

  /** Levee's timer for the next phase; should it fail to arm, HttpClient's own timeouts bound the phase. */
  private void arm(long nanos, Supplier<Exception> why, boolean toTheHead) {
    ScheduledFuture<?> armed;
    try {
      Faults.at(Faults.Step.SCHEDULE);
      armed = timer.schedule(() -> expire(why, toTheHead), Math.max(nanos, 0), TimeUnit.NANOSECONDS);
    } catch (Throwable t) {
      LeveeLog.warnOnce("apache-httpclient5.async.timer", "could not arm Levee's timer for an async HttpClient "
          + "exchange; HttpClient's own timeouts bound it", t);
      return;
    }
    expiry = armed;
    if (isDone()) {
      armed.cancel(false);
    }
  }

  /**
   * A timer ran out (the one bounding the head has nothing to end once the head is in): the attempt fails,
   * and its connection is closed and given back to the pool, so that an exchange the server keeps alive one
   * byte at a time (which HttpClient's own socket timeout never ends) holds no pooled connection.
   */
  private void expire(Supplier<Exception> why, boolean toTheHead) {
    synchronized (this) {
      if (toTheHead && headIn) {
        return;
      }
      completeExceptionally(why.get());
    }
    Object[] slot = runtime;
    if (slot != null) {
      ExchangePhase.end(slot[0], exchange);
    }
  }

  private void disarm() {
    ScheduledFuture<?> armed = expiry;
    if (armed != null) {
      armed.cancel(false);
    }
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
