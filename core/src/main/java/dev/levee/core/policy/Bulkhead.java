package dev.levee.core.policy;

import dev.levee.core.Target;
import dev.levee.core.config.BulkheadConfig;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * At most {@code maxConcurrentCalls} calls in flight to one target. A call that finds it full waits
 * at most {@code maxWaitDuration} (and the pipeline's shorter bound, if any) in one FIFO queue shared by
 * blocking and asynchronous callers; {@link #release()} hands its permit straight to the oldest waiter,
 * so a newcomer can never overtake a waiter.
 *
 * <p>Every waiter is a {@code CompletableFuture<Boolean>}: completed true by a release (the permit is
 * then the waiter's), or false by its timeout or its caller. Whoever completes it first wins, so a
 * permit handed to a waiter that already gave up goes to the next one instead of being lost.
 * Futures are only ever completed outside the lock, because completing one runs the caller's
 * dependent stages on the spot.
 */
public final class Bulkhead {

  private final Target target;
  private final int maxConcurrentCalls;
  private final long maxWaitNanos;
  private final Object lock = new Object();
  /** Permits taken and not released, including ones handed to a waiter but not yet taken up. */
  private int inFlight;
  /** Non-empty only while inFlight == maxConcurrentCalls. */
  private final ArrayDeque<CompletableFuture<Boolean>> waiters = new ArrayDeque<>();

  public Bulkhead(Target target, BulkheadConfig config) {
    this.target = Objects.requireNonNull(target, "target");
    this.maxConcurrentCalls = config.maxConcurrentCalls();
    this.maxWaitNanos = Nanos.of(config.maxWaitDuration());
  }

  public Target target() {
    return target;
  }

  public int maxConcurrentCalls() {
    return maxConcurrentCalls;
  }

  /** Calls holding a permit now. */
  public int inFlight() {
    synchronized (lock) {
      return inFlight;
    }
  }

  /** Callers queued for a permit now. */
  public int waiting() {
    synchronized (lock) {
      return waiters.size();
    }
  }

  /** Takes a permit if one is free now; never waits. */
  public boolean tryAcquire() {
    synchronized (lock) {
      // a free permit implies an empty queue, so taking it overtakes no one
      if (inFlight < maxConcurrentCalls) {
        inFlight++;
        return true;
      }
      return false;
    }
  }

  /**
   * Takes a permit, blocking at most min(waitNanos, maxWaitDuration) for one. If interrupted while
   * waiting, holds no permit and throws.
   */
  public boolean tryAcquire(long waitNanos) throws InterruptedException {
    long wait = Math.min(waitNanos, maxWaitNanos);
    if (tryAcquire()) {
      return true;
    }
    if (wait <= 0) {
      return false;
    }
    CompletableFuture<Boolean> waiter = enqueueOrTake();
    if (waiter == null) {
      return true;
    }
    try {
      return waiter.get(wait, TimeUnit.NANOSECONDS);
    } catch (TimeoutException timedOut) {
      // false if a release completed it first: then the permit is ours after all
      return !giveUp(waiter);
    } catch (InterruptedException interrupted) {
      if (!giveUp(waiter)) {
        release(); // handed a permit at the same moment: pass it on
      }
      throw interrupted;
    } catch (ExecutionException impossible) {
      // never completed exceptionally by us; treat it as given up
      giveUp(waiter);
      return false;
    }
  }

  /**
   * Takes a permit without blocking the calling thread. The future completes true at once when a
   * permit is free; else it waits in the queue and completes true when a {@link #release()} hands it a
   * permit (on the releasing thread), or false after min(waitNanos, maxWaitDuration) (on {@code timer}).
   * Cancelling it (or completing it false) gives up the place in the queue; a permit that was already
   * on its way goes to the next waiter. Use an async stage after it to keep the releasing thread free.
   */
  public CompletableFuture<Boolean> acquireAsync(long waitNanos, ScheduledExecutorService timer) {
    long wait = Math.min(waitNanos, maxWaitNanos);
    if (tryAcquire()) {
      return CompletableFuture.completedFuture(Boolean.TRUE);
    }
    if (wait <= 0) {
      return CompletableFuture.completedFuture(Boolean.FALSE);
    }
    CompletableFuture<Boolean> waiter = enqueueOrTake();
    if (waiter == null) {
      return CompletableFuture.completedFuture(Boolean.TRUE);
    }
    ScheduledFuture<?> timeout;
    try {
      timeout = timer.schedule(() -> giveUp(waiter), wait, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException timerShutDown) {
      giveUp(waiter); // no way to time it out: give up now rather than wait forever
      return waiter;
    }
    // Whatever ends the wait (permit, timeout, the caller's cancel): leave the queue, stop the timer.
    waiter.whenComplete(
        (granted, error) -> {
          timeout.cancel(false);
          if (!Boolean.TRUE.equals(granted)) {
            removeWaiter(waiter);
          }
        });
    return waiter;
  }

  /**
   * Gives back a permit: to the oldest waiter still waiting, else to the pool. A release with no
   * permit in flight is ignored, so misuse can never raise the limit.
   */
  public void release() {
    while (true) {
      CompletableFuture<Boolean> next;
      synchronized (lock) {
        next = waiters.poll();
        if (next == null) {
          if (inFlight > 0) {
            inFlight--;
          }
          return;
        }
      }
      // Outside the lock: completing runs the waiter's dependent stages. If it already gave up
      // (timed out, cancelled), the permit is still counted in inFlight: offer it to the next one.
      if (next.complete(Boolean.TRUE)) {
        return;
      }
    }
  }

  /** Why a call was refused, assuming it waited the longest it may. */
  public String rejectionMessage() {
    return rejectionMessage(maxWaitNanos);
  }

  /** Why a call was refused after waiting {@code waitedNanos}: what, which target, when to retry. */
  public String rejectionMessage(long waitedNanos) {
    return "levee: bulkhead full for " + target + " (" + inFlight() + " of " + maxConcurrentCalls
        + " calls in flight, waited " + TimeUnit.NANOSECONDS.toMillis(Math.max(0, waitedNanos))
        + "ms); retry when one completes";
  }

  @Override
  public String toString() {
    return "bulkhead " + target + " " + inFlight() + "/" + maxConcurrentCalls;
  }

  /** Queues a waiter, or returns null having taken a permit freed since the fast path failed. */
  private CompletableFuture<Boolean> enqueueOrTake() {
    synchronized (lock) {
      if (inFlight < maxConcurrentCalls) {
        inFlight++;
        return null;
      }
      CompletableFuture<Boolean> waiter = new CompletableFuture<>();
      waiters.add(waiter);
      return waiter;
    }
  }

  /** Ends a wait without a permit; false when a release got there first and the permit is the waiter's. */
  private boolean giveUp(CompletableFuture<Boolean> waiter) {
    boolean gaveUp = waiter.complete(Boolean.FALSE);
    if (gaveUp) {
      removeWaiter(waiter);
    }
    return gaveUp;
  }

  private void removeWaiter(CompletableFuture<Boolean> waiter) {
    synchronized (lock) {
      waiters.remove(waiter);
    }
  }
}
