package dev.levee.instrumentation.jdkhttp;

import dev.levee.core.Faults;
import dev.levee.core.LeveeTimer;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A response body given a time limit. The JDK's request timeout ends at the response headers; a body that
 * arrives one byte at a time would otherwise keep the application (inside {@code send}, or reading an
 * {@code ofInputStream}) waiting as long as the server likes. When the limit passes, the subscription is
 * cancelled, which closes an HTTP/1.1 connection (it never goes back to the pool with a body half read)
 * and resets an HTTP/2 stream, and the body ends:
 *
 * <ul>
 *   <li>the answer's body ({@link #forAnswer}) with {@code HttpTimeoutException}, the JDK's own type, in the
 *       application's subscriber: {@code send} throws it, {@code sendAsync}'s future fails with it, an
 *       {@code InputStream} body fails its next read with the JDK's {@code IOException("closed")} around it;
 *   <li>a retried response's body, which Levee discards ({@link #discarding}), quietly: the retry goes on.
 * </ul>
 *
 * <p>The limit fires on Levee's timer thread while the JDK may be delivering a chunk on its own: a gate lets
 * only one of them signal the downstream subscriber at a time, and the one that finds the other inside
 * leaves the ending to it, so the subscriber still sees its signals one after another.
 */
final class BoundedBody<T> implements HttpResponse.BodySubscriber<T> {

  private final HttpResponse.BodySubscriber<T> downstream;
  /** Null for a discarded body: it ends quietly. */
  private final String timeoutMessage;
  private final ScheduledFuture<?> expiry;
  /** 1 while a signal is being passed downstream (by the JDK's thread or the timer's). */
  private final AtomicInteger gate = new AtomicInteger();
  private volatile Flow.Subscription upstream;
  private volatile boolean expired;
  private volatile boolean ended;

  private BoundedBody(HttpResponse.BodySubscriber<T> downstream, long limitNanos, ScheduledExecutorService timer,
      String timeoutMessage) {
    this.downstream = downstream;
    this.timeoutMessage = timeoutMessage;
    Faults.at(Faults.Step.SCHEDULE);
    // the downstream may be the application's own subscriber: it is never signalled on Levee's timer
    this.expiry = timer.schedule(() -> LeveeTimer.offTimer(this::expire), Math.max(limitNanos, 0), TimeUnit.NANOSECONDS);
  }

  /** The application's subscriber for the call's answer, failed with a timeout at the deadline. */
  static <T> HttpResponse.BodySubscriber<T> forAnswer(HttpResponse.BodySubscriber<T> app, long nanosLeft,
      ScheduledExecutorService timer, String target) {
    return new BoundedBody<>(app, nanosLeft, timer, "levee: the response body from " + target
        + " was not complete within the call's deadline (" + Math.max(nanosLeft, 0) / 1_000_000 + "ms after its headers)");
  }

  /**
   * A retried response's body, which {@code discarding} reads to the end (for the connection's sake), for at
   * most {@code limitNanos}.
   */
  static <T> HttpResponse.BodySubscriber<T> discarding(HttpResponse.BodySubscriber<T> discarding, long limitNanos,
      ScheduledExecutorService timer) {
    return new BoundedBody<>(discarding, limitNanos, timer, null);
  }

  @Override
  public CompletionStage<T> getBody() {
    return downstream.getBody();
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    upstream = subscription;
    downstream.onSubscribe(new Flow.Subscription() {
      @Override
      public void request(long n) {
        subscription.request(n);
      }

      @Override
      public void cancel() {
        ended = true; // the application gave up the body itself
        expiry.cancel(false);
        subscription.cancel();
      }
    });
    if (expired) {
      subscription.cancel();
      endOnTime();
    }
  }

  @Override
  public void onNext(List<ByteBuffer> item) {
    if (enter()) {
      try {
        downstream.onNext(item);
      } finally {
        leave();
      }
    }
  }

  @Override
  public void onError(Throwable throwable) {
    if (enter()) {
      try {
        end();
        downstream.onError(throwable);
      } finally {
        leave();
      }
    }
  }

  @Override
  public void onComplete() {
    if (enter()) {
      try {
        end();
        downstream.onComplete();
      } finally {
        leave();
      }
    }
  }

  private void expire() {
    expired = true;
    Flow.Subscription s = upstream;
    if (s != null) {
      s.cancel();
      endOnTime();
    }
  }

  /** Gives the downstream its end for running out of time, unless a signal is under way: then that does it. */
  private void endOnTime() {
    if (!gate.compareAndSet(0, 1)) {
      return;
    }
    try {
      if (!ended) {
        end();
        if (timeoutMessage == null) {
          downstream.onComplete();
        } else {
          downstream.onError(new HttpTimeoutException(timeoutMessage));
        }
      }
    } finally {
      gate.set(0);
    }
  }

  /** False when the body has ended, or is being ended on time right now: the signal is dropped. */
  private boolean enter() {
    return !ended && gate.compareAndSet(0, 1) && (!ended || release());
  }

  private boolean release() {
    gate.set(0);
    return false;
  }

  private void leave() {
    gate.set(0);
    if (expired && upstream != null) {
      endOnTime();
    }
  }

  private void end() {
    ended = true;
    expiry.cancel(false);
  }
}
