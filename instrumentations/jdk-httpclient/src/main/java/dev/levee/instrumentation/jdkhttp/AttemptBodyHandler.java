package dev.levee.instrumentation.jdkhttp;

import dev.levee.core.LeveeLog;
import dev.levee.core.Outcome;
import dev.levee.core.pipeline.AttemptContext;
import dev.levee.core.pipeline.HttpFailures;
import java.net.http.HttpResponse;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The {@code BodyHandler} of one attempt. The JDK applies a send's handler to every response it receives,
 * before {@code send} returns; with the application's own handler on every attempt, a retried 503's body
 * would go through it too ({@code ofFile} writes it, and the final body lands over it). So each attempt
 * gets this handler instead: when the response head is in, the pipeline says whether the call is retried
 * after it; if so Levee reads and discards the body itself, and only the call's answer reaches the
 * application's handler.
 *
 * <p>The answer's body is bounded by the call's deadline, when it has one ({@link BoundedBody}); the body
 * of a retried response by the attempt's own budget as well, so a trickling error page cannot hold a retry
 * back.
 */
final class AttemptBodyHandler<T> implements HttpResponse.BodyHandler<T> {

  private final HttpResponse.BodyHandler<T> app;
  private final AttemptContext attempt;
  private final ScheduledExecutorService timer;
  private final String target;

  AttemptBodyHandler(HttpResponse.BodyHandler<T> app, AttemptContext attempt, ScheduledExecutorService timer, String target) {
    this.app = app;
    this.attempt = attempt;
    this.timer = timer;
    this.target = target;
  }

  @Override
  @SuppressWarnings("unchecked")
  public HttpResponse.BodySubscriber<T> apply(HttpResponse.ResponseInfo head) {
    boolean retried;
    try {
      int status = head.statusCode();
      String retryAfter = head.headers().firstValue("Retry-After").orElse(null);
      retried = attempt.isRetried(Outcome.status(status),
          HttpFailures.retryAfterMillis(status, retryAfter, System.currentTimeMillis()));
    } catch (Throwable t) {
      LeveeLog.warnOnce("jdk-httpclient.head", "could not judge a response head; the app's handler reads it", t);
      return app.apply(head);
    }
    if (retried) {
      return (HttpResponse.BodySubscriber<T>) bounded(HttpResponse.BodySubscribers.discarding(),
          Math.min(attempt.timeoutNanos(), attempt.nanosLeft()), true);
    }
    HttpResponse.BodySubscriber<T> answer = app.apply(head);
    long left = attempt.nanosLeft();
    return left == Long.MAX_VALUE ? answer : bounded(answer, left, false);
  }

  /** A body given a time limit; should Levee fail to set one, the body as it is. */
  private <B> HttpResponse.BodySubscriber<B> bounded(HttpResponse.BodySubscriber<B> body, long nanos, boolean discarded) {
    try {
      return discarded ? BoundedBody.discarding(body, nanos, timer) : BoundedBody.forAnswer(body, nanos, timer, target);
    } catch (Throwable t) {
      LeveeLog.warnOnce("jdk-httpclient.body", "could not bound a response body in time; it is read as it comes", t);
      return body;
    }
  }
}
