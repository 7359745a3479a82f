package dev.levee.instrumentation.jdkhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A body with a time limit, in front of the JDK's own body subscribers; real timers of a few tens of ms. */
class BoundedBodyTest {

  final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  /** What the JDK's side sees: how much was asked for, and whether it was cancelled. */
  static final class Upstream implements Flow.Subscription {
    final AtomicBoolean cancelled = new AtomicBoolean();
    volatile long requested;

    @Override
    public void request(long n) {
      requested += n;
    }

    @Override
    public void cancel() {
      cancelled.set(true);
    }
  }

  static List<ByteBuffer> chunk(String text) {
    return List.of(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aBodyCompleteInTimeIsTheAppsUntouched() throws Exception {
    HttpResponse.BodySubscriber<String> body =
        BoundedBody.forAnswer(HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8), 5_000_000_000L, timer, "h:80");
    Upstream upstream = new Upstream();
    body.onSubscribe(upstream);
    body.onNext(chunk("flaky "));
    body.onNext(chunk("ok"));
    body.onComplete();
    assertEquals("flaky ok", body.getBody().toCompletableFuture().get(1, TimeUnit.SECONDS));
    assertTrue(upstream.requested > 0);
    assertTrue(!upstream.cancelled.get());
  }

  @Test
  void pastTheLimitTheAppsSubscriberFailsWithTheJdksTimeoutAndTheExchangeIsCancelled() throws Exception {
    HttpResponse.BodySubscriber<String> body =
        BoundedBody.forAnswer(HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8), 50_000_000L, timer, "h:80");
    Upstream upstream = new Upstream();
    body.onSubscribe(upstream);
    body.onNext(chunk("part"));
    CompletableFuture<String> result = body.getBody().toCompletableFuture();
    ExecutionException e = assertThrows(ExecutionException.class, () -> result.get(2, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof HttpTimeoutException, String.valueOf(e.getCause()));
    assertTrue(e.getCause().getMessage().contains("h:80"), e.getCause().getMessage());
    assertTrue(upstream.cancelled.get(), "the connection is closed, not returned to the pool half read");
    body.onNext(chunk("late"));
    body.onComplete(); // dropped: the subscriber has had its end
  }

  @Test
  void theAppsSubscriberIsNeverSignalledOnLeveesTimer() throws Exception {
    java.util.concurrent.ScheduledThreadPoolExecutor leveeTimer = dev.levee.core.LeveeTimer.create();
    try {
      CompletableFuture<String> signalledOn = new CompletableFuture<>();
      HttpResponse.BodySubscriber<String> app = HttpResponse.BodySubscribers.fromSubscriber(new Flow.Subscriber<List<ByteBuffer>>() {
        @Override
        public void onSubscribe(Flow.Subscription subscription) {
          subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> item) {}

        @Override
        public void onError(Throwable throwable) {
          signalledOn.complete(Thread.currentThread().getName());
        }

        @Override
        public void onComplete() {}
      }, s -> "");
      HttpResponse.BodySubscriber<String> body = BoundedBody.forAnswer(app, 30_000_000L, leveeTimer, "h:80");
      body.onSubscribe(new Upstream());
      String thread = signalledOn.get(2, TimeUnit.SECONDS);
      assertTrue(!thread.startsWith("levee-timer"), "the app's onError ran on " + thread);
    } finally {
      leveeTimer.shutdownNow();
    }
  }

  @Test
  void aRetriedResponsesBodyEndsQuietlyAtItsLimit() throws Exception {
    HttpResponse.BodySubscriber<Void> discarded = BoundedBody.discarding(HttpResponse.BodySubscribers.discarding(), 30_000_000L, timer);
    Upstream upstream = new Upstream();
    discarded.onSubscribe(upstream);
    discarded.onNext(chunk("503 page, trickling"));
    assertNull(discarded.getBody().toCompletableFuture().get(2, TimeUnit.SECONDS), "the retry goes on");
    assertTrue(upstream.cancelled.get());
  }

  @Test
  void aLimitAlreadyPassedAtSubscriptionEndsTheBodyThen() throws Exception {
    HttpResponse.BodySubscriber<String> body =
        BoundedBody.forAnswer(HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8), 0, timer, "h:80");
    Thread.sleep(50);
    Upstream upstream = new Upstream();
    body.onSubscribe(upstream);
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> body.getBody().toCompletableFuture().get(2, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof HttpTimeoutException);
    assertTrue(upstream.cancelled.get());
  }

  @Test
  void theAppGivingUpTheBodyStopsTheLimit() throws Exception {
    HttpResponse.BodySubscriber<java.io.InputStream> body =
        BoundedBody.forAnswer(HttpResponse.BodySubscribers.ofInputStream(), 50_000_000L, timer, "h:80");
    Upstream upstream = new Upstream();
    body.onSubscribe(upstream);
    java.io.InputStream in = body.getBody().toCompletableFuture().get(1, TimeUnit.SECONDS);
    in.close(); // the app is done with it: the JDK's stream cancels its subscription
    assertTrue(upstream.cancelled.get());
    Thread.sleep(120);
    body.onComplete(); // no expiry signal came in between, and this one is dropped quietly
  }
}
