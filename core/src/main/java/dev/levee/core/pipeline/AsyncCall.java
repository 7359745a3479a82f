package dev.levee.core.pipeline;

import dev.levee.core.Faults;
import dev.levee.core.LeveeLog;
import dev.levee.core.LeveeTimer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The state of one non-blocking call as it moves through the pipeline: the same steps as
 * {@link CallPipeline#execute}, each continued from the completion of the one before, never blocking.
 */
final class AsyncCall<R> {

  private final CallPipeline pipeline;
  private final TargetPolicies p;
  private final CallSpec call;
  private final AsyncAttempt<R> attempt;
  private final OutcomeClassifier<R> classifier;
  private final long deadline;
  private final CallBudget budget;
  private final boolean mayRetry;
  private final ResultFuture result = new ResultFuture();

  /** What may still hold a permit or be pending; read by {@link #onCancelled()}. */
  private volatile InFlight current;

  private volatile Future<?> pending;
  /** True while {@link #begin()} runs on the caller's thread: a synchronous throw then stays synchronous. */
  private boolean beginning;

  AsyncCall(
      CallPipeline pipeline, CallBudget budget, CallSpec call, AsyncAttempt<R> attempt, OutcomeClassifier<R> classifier) {
    this.pipeline = pipeline;
    this.p = budget.policies;
    this.call = call;
    this.attempt = attempt;
    this.classifier = classifier;
    this.deadline = budget.deadline;
    this.budget = budget;
    this.mayRetry = p.mayRetryRequest(call);
    p.depositRequest(budget.start);
  }

  CompletableFuture<R> begin() {
    beginning = true;
    try {
      startAttempt(1);
    } finally {
      beginning = false;
    }
    return result;
  }

  private void startAttempt(int n) {
    if (result.isDone()) {
      return;
    }
    if (!p.breaker.tryAcquirePermission()) {
      reject(Rejection.CIRCUIT_OPEN, p.breaker.rejectionMessage());
      return;
    }
    if (p.rateLimiter != null) {
      long wait = p.reserveRatePermit(deadline - pipeline.clock().nanoTime());
      if (wait < 0) {
        p.breaker.releasePermission();
        reject(Rejection.RATE_LIMITED, p.rateLimitedMessage());
        return;
      }
      if (wait > 0 && scheduleRatePermit(n, wait)) {
        return;
      }
    }
    takeSlot(n);
  }

  /**
   * Waits on the timer for a rate permit that is due in {@code waitNanos}, then takes the bulkhead slot; the
   * application's cancel meanwhile gives the breaker permission back. False when the timer cannot take it:
   * the attempt then goes ahead at once.
   */
  private boolean scheduleRatePermit(int n, long waitNanos) {
    CompletableFuture<Void> due = new CompletableFuture<>();
    ScheduledFuture<?> timeout;
    try {
      Faults.at(Faults.Step.SCHEDULE);
      timeout = pipeline.timer().schedule(() -> due.complete(null), waitNanos, TimeUnit.NANOSECONDS);
    } catch (Throwable t) {
      LeveeLog.warnOnce("pipeline.schedule", "could not schedule a rate-limit wait; the attempt is made at once", t);
      return false;
    }
    pending = due;
    due.whenComplete((nothing, cancelled) -> {
      timeout.cancel(false);
      if (cancelled != null || result.isDone()) {
        p.breaker.releasePermission();
      } else {
        takeSlot(n);
      }
    });
    return true;
  }

  /** Takes a bulkhead slot (waiting for a fixed one on the timer) and launches attempt {@code n}. */
  private void takeSlot(int n) {
    if (p.tryAcquireSlot()) {
      launch(n);
      return;
    }
    long wait = Math.min(p.maxWaitNanos, deadline - pipeline.clock().nanoTime());
    if (wait <= 0) {
      p.breaker.releasePermission();
      reject(Rejection.BULKHEAD_FULL, p.bulkheadFullMessage());
      return;
    }
    CompletableFuture<Boolean> permit = p.acquireSlotAsync(wait, pipeline.timer());
    pending = permit;
    permit.whenComplete(
        (granted, error) -> {
          if (Boolean.TRUE.equals(granted)) {
            if (result.isDone()) {
              p.releaseBulkhead();
              p.breaker.releasePermission();
            } else {
              launch(n);
            }
          } else {
            p.breaker.releasePermission();
            reject(Rejection.BULKHEAD_FULL, p.bulkheadFullMessage());
          }
        });
  }

  private void launch(int n) {
    InFlight attemptState = new InFlight();
    current = attemptState;
    long began = pipeline.clock().nanoTime();
    long timeout = deadline - began;
    if (timeout <= 0) {
      if (attemptState.finish()) {
        p.releaseBulkhead();
        p.breaker.releasePermission();
      }
      reject(Rejection.DEADLINE_EXPIRED, CallBudget.expiredMessage(call.target(), timeout));
      return;
    }
    CompletableFuture<R> future;
    AttemptContext context = new AttemptContext(pipeline, budget, call, mayRetry, n, began, Math.min(p.attemptNanos, timeout));
    attemptState.context = context;
    try {
      future = attempt.start(context);
    } catch (RuntimeException | Error e) {
      if (attemptState.finish()) {
        p.releaseBulkhead();
        if (context.settle()) {
          p.breaker.releasePermission();
        }
      }
      if (n == 1 && beginning) {
        throw e; // as the client would have thrown it, on the caller's thread
      }
      deliver(() -> result.completeExceptionally(e));
      return;
    }
    attemptState.future = future;
    if (result.isDone()) {
      future.cancel(true);
    }
    future.whenComplete((value, error) -> attemptDone(attemptState, context, value, unwrap(error)));
  }

  private void attemptDone(InFlight attemptState, AttemptContext context, R value, Throwable error) {
    if (!attemptState.finish()) {
      // the application cancelled while the attempt ran; its permits are back already
      if (value != null) {
        classifier.discard(value);
      }
      return;
    }
    p.releaseBulkhead();
    int n = context.number();
    long delay = pipeline.afterAttempt(context, value, error, classifier);
    if (delay < 0) {
      complete(value, error);
      return;
    }
    classifier.discard(value);
    if (delay > 0) {
      try {
        Faults.at(Faults.Step.SCHEDULE);
        pending = pipeline.timer().schedule(() -> startAttempt(n + 1), delay, TimeUnit.NANOSECONDS);
        return;
      } catch (Throwable t) {
        // Levee cannot wait for the next attempt: it is made at once (a response the call is retried after
        // may have been read and dropped already, so ending the call with it is no longer an option)
        LeveeLog.warnOnce("pipeline.schedule", "could not schedule a backoff; the next attempt is made at once", t);
      }
    }
    startAttempt(n + 1);
  }

  private void complete(R value, Throwable error) {
    deliver(() -> {
      if (error != null) {
        result.completeExceptionally(error);
      } else if (!result.complete(value) && value != null) {
        classifier.discard(value);
      }
    });
  }

  private void reject(Rejection reason, String message) {
    Exception rejection = CallPipeline.rejection(p, classifier, reason, message);
    deliver(() -> result.completeExceptionally(rejection));
  }

  /**
   * Completes the application's future, whose dependent stages and callbacks run on the completing thread:
   * never Levee's timer ({@link LeveeTimer#offTimer}).
   */
  private static void deliver(Runnable completion) {
    LeveeTimer.offTimer(completion);
  }

  /** The application cancelled the call: stop what is pending and give back what is held. */
  private void onCancelled() {
    Future<?> waiting = pending;
    if (waiting != null) {
      waiting.cancel(false);
    }
    InFlight attemptState = current;
    if (attemptState != null && attemptState.finish()) {
      p.releaseBulkhead();
      AttemptContext context = attemptState.context;
      if (context == null || context.settle()) {
        p.breaker.releasePermission();
      }
      CompletableFuture<R> future = attemptState.future;
      if (future != null) {
        future.cancel(true);
      }
    }
  }

  static Throwable unwrap(Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  /** One attempt's permits: released exactly once, by its completion or by a cancel, whichever is first. */
  private final class InFlight {
    private final AtomicBoolean finished = new AtomicBoolean();
    volatile CompletableFuture<R> future;
    /** Null until the attempt is about to start. */
    volatile AttemptContext context;

    boolean finish() {
      return finished.compareAndSet(false, true);
    }
  }

  /** The future the application holds; cancelling it reaches the attempt in flight. */
  private final class ResultFuture extends CompletableFuture<R> {
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      if (cancelled) {
        onCancelled();
      }
      return cancelled;
    }
  }
}
