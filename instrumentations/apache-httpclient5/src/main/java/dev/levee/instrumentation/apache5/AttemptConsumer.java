package dev.levee.instrumentation.apache5;

import dev.levee.core.LeveeLog;
import dev.levee.core.Outcome;
import dev.levee.core.pipeline.AttemptContext;
import dev.levee.core.pipeline.HttpFailures;
import dev.levee.instrumentation.api.LibraryMethods;
import dev.levee.instrumentation.api.LibraryProxies;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@code AsyncResponseConsumer} of one async attempt. When the response head arrives the pipeline says
 * whether the call is retried after it: if so, Levee reads its body to the end and drops it (within the
 * attempt's budget); if not, it is the call's answer, and from then on everything goes to the application's
 * own consumer, which thus only ever sees the one response the call ends with, whatever kind of consumer
 * it is (a {@code SimpleResponseConsumer}, a streaming one of the app's own). The answer's body is bounded
 * by the call's deadline: past it, the attempt fails with {@code SocketTimeoutException} and the next chunk
 * that arrives aborts the exchange, which closes its connection.
 */
final class AttemptConsumer implements InvocationHandler {

  private final AppConsumer app;
  private final AttemptContext attempt;
  private final AsyncAttemptFuture future;
  private final String target;
  private volatile Object head;
  /** True once this attempt's response is the call's answer: the app's consumer takes it. */
  private volatile boolean answering;
  /** A retried response's: completed when its body has been read to the end. */
  private volatile Object discarded;

  private AttemptConsumer(AppConsumer app, AttemptContext attempt, AsyncAttemptFuture future, String target) {
    this.app = app;
    this.attempt = attempt;
    this.future = future;
    this.target = target;
  }

  static AttemptConsumer create(AppConsumer app, AttemptContext attempt, AsyncAttemptFuture future, String target) {
    return new AttemptConsumer(app, attempt, future, target);
  }

  /** The response head this attempt got, or null. */
  Object head() {
    return head;
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    switch (method.getName()) {
      case "consumeResponse":
        return consumeResponse(method, args);
      case "consume":
        if (future.isCompletedExceptionally()) {
          throw new SocketTimeoutException("levee: the exchange with " + target + " ran past its time; aborted");
        }
        if (!answering) {
          ByteBuffer data = (ByteBuffer) args[0];
          data.position(data.limit()); // a retried response's body, dropped
          return null;
        }
        return app.delegate(method, args);
      case "updateCapacity":
        if (!answering) {
          LibraryMethods.invoke(args[0], "update", Integer.MAX_VALUE);
          return null;
        }
        return app.delegate(method, args);
      case "streamEnd":
        if (!answering) {
          LibraryMethods.invoke(discarded, "completed", (Object) null);
          return null;
        }
        return app.delegate(method, args);
      case "failed":
      case "releaseResources":
        return answering ? app.delegate(method, args) : null;
      default: // informationResponse: a 1xx, before any verdict
        return app.delegate(method, args);
    }
  }

  private Object consumeResponse(Method method, Object[] args) throws Throwable {
    Object response = args[0];
    head = response;
    boolean retried;
    try {
      int status = ApacheOutcomes.code(response);
      retried = attempt.isRetried(Outcome.status(status),
          HttpFailures.retryAfterMillis(status, ApacheRequests.header(response, "Retry-After"), System.currentTimeMillis()));
    } catch (Throwable t) {
      LeveeLog.warnOnce("apache-httpclient5.head", "could not judge an async response head; the app's consumer reads it", t);
      retried = false;
    }
    if (retried) {
      if (!future.headArrived(Math.min(attempt.timeoutNanos(), attempt.nanosLeft()),
          "levee: discarding a retried response from " + target + " took too long")) {
        throw lateHead();
      }
      discarded = args[3];
      if (args[1] == null) { // no entity
        LibraryMethods.invoke(discarded, "completed", (Object) null);
      }
      return null;
    }
    long left = attempt.nanosLeft();
    if (!future.headArrived(left, "levee: the response body from " + target
        + " was not complete within the call's deadline (" + left / 1_000_000 + "ms after its headers)")) {
      throw lateHead();
    }
    answering = true;
    app.answering();
    return app.delegate(method, args);
  }

  /** A head that arrives after Levee gave up on its attempt: the exchange is aborted, nobody reads it. */
  private SocketTimeoutException lateHead() {
    return new SocketTimeoutException("levee: a response from " + target + " arrived after its attempt had ended; aborted");
  }

  /**
   * The application's consumer of one call: given the answer's response by the attempt that gets it, and
   * told of the call's end exactly as HttpClient would tell it ({@code failed} at most once, then
   * {@code releaseResources} once) when no attempt gave it a response.
   */
  static final class AppConsumer {
    final Object consumer;
    private final AtomicBoolean used = new AtomicBoolean();
    private final AtomicBoolean failed = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();

    AppConsumer(Object consumer) {
      this.consumer = consumer;
    }

    /** An attempt's response is the answer: from now on HttpClient tells this consumer of the end itself. */
    void answering() {
      used.set(true);
    }

    Object delegate(Method method, Object[] args) throws Throwable {
      if ((method.getName().equals("failed") && !failed.compareAndSet(false, true))
          || (method.getName().equals("releaseResources") && !released.compareAndSet(false, true))) {
        return null;
      }
      return LibraryProxies.delegate(consumer, method, args);
    }

    /** The call has ended; if no attempt handed this consumer a response, it hears of the end now. */
    void callEnded(Throwable error) {
      if (used.get()) {
        return;
      }
      try {
        if (error instanceof Exception && failed.compareAndSet(false, true)) {
          LibraryMethods.invoke(consumer, "failed", error);
        }
        if (released.compareAndSet(false, true)) {
          LibraryMethods.invoke(consumer, "releaseResources");
        }
      } catch (Throwable t) {
        LeveeLog.warnOnce("apache-httpclient5.consumer", "an application AsyncResponseConsumer threw", t);
      }
    }
  }
}
