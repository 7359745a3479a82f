package dev.levee.instrumentation.apache5;

import dev.levee.core.LeveeLog;
import dev.levee.core.Outcome;
import dev.levee.core.Target;
import dev.levee.core.pipeline.CallPipeline;
import dev.levee.core.pipeline.CallSpec;
import dev.levee.core.pipeline.LeveeFault;
import dev.levee.core.pipeline.OutcomeClassifier;
import dev.levee.core.pipeline.Rejection;
import dev.levee.instrumentation.api.LeveeRuntime;
import dev.levee.instrumentation.api.LibraryMethods;
import dev.levee.instrumentation.api.PassThrough;
import java.io.InterruptedIOException;

/**
 * The classic {@code CloseableHttpClient}: every {@code execute} overload (with or without a response
 * handler, an {@code HttpHost}, an {@code HttpContext}) ends in the protected {@code doExecute(HttpHost,
 * ClassicHttpRequest, HttpContext)}, which is hooked in its implementations. The pipeline runs on the
 * caller's thread; each attempt calls the public {@code execute(HttpHost, ClassicHttpRequest, HttpContext)}
 * of the same client again (it goes straight to {@code doExecute}) with the thread marked, so that inner
 * call runs untouched, and with a copy of the app's request ({@link ApacheRequests#classicCopy}): the app's
 * object is never changed. The response-handler overloads call {@code doExecute} and then the handler: the
 * handler sees the call's final response only, its body bounded by the call's deadline.
 */
final class ApacheClassicHooks {

  private final CallPipeline pipeline;
  private final ApacheRequests requests;

  ApacheClassicHooks(LeveeRuntime runtime) {
    this.pipeline = runtime.http();
    this.requests = new ApacheRequests(runtime.deadlineHeaders());
  }

  /** {@code InternalHttpClient.doExecute(target, request, context)} (and {@code MinimalHttpClient}'s). */
  Object doExecute(Object client, Object[] args) {
    if (PassThrough.take()) {
      return null;
    }
    Object host = args[0];
    Object request = args[1];
    Object appContext = args[2];
    HttpClient5Classes hc;
    CallSpec spec;
    AttemptTimeouts timeouts;
    CallScope scope;
    AppCancel appCancel;
    try {
      hc = HttpClient5Classes.beside(client);
      appCancel = AppCancel.of(hc, request);
      if (appCancel == null) {
        return null; // cancelled before it started: HttpClient fails it as it always does
      }
      spec = requests.spec(host, request, ApacheRequests.hasReplayableEntity(request));
      timeouts = AttemptTimeouts.ofApp(hc, client, host, request, appContext);
      scope = new CallScope(hc, appContext);
    } catch (Throwable t) {
      LeveeLog.warnOnce("apache-httpclient5.spec", "could not read an HttpClient request; the call runs untouched", t);
      return null;
    }
    long leveeConnectNanos = pipeline.policyFor(spec.target()).timeout().connect().toNanos();
    Target callTarget = spec.target();
    String target = callTarget.toString();
    try {
      ClassicAttempt answer = pipeline.execute(
          spec,
          attempt -> {
            try {
              Object config = timeouts.forAttempt(hc, attempt.timeoutNanos(), leveeConnectNanos, true);
              Object copy = requests.classicCopy(hc, request, config, requests.headerDeadline(attempt.deadlineMillis(), callTarget));
              Object context = scope.forAttempt(null);
              Object[] exchange = ExchangePhase.arm();
              ClassicAttempt a = ClassicAttempt.start(copy, attempt, pipeline.timer(), target, exchange);
              appCancel.attempting(copy);
              PassThrough.mark();
              try {
                a.headersIn(LibraryMethods.invoke(client, "execute", host, copy, context));
              } catch (Throwable t) {
                a.disarm();
                throw a.failure(t);
              } finally {
                PassThrough.clear();
                ExchangePhase.disarm();
              }
              return a;
            } catch (Exception | Error e) {
              throw e;
            } catch (Throwable t) {
              throw new IllegalStateException(t);
            }
          },
          new Outcomes(request));
      try {
        answer.boundBody(hc);
      } catch (Throwable t) {
        LeveeLog.warnOnce("apache-httpclient5.body", "could not bound a response body by the call's deadline", t);
      }
      return answer.response();
    } catch (LeveeFault fault) {
      LeveeLog.warnOnce("apache-httpclient5.execute", "could not apply Levee to an HttpClient call; it runs untouched", fault.getCause());
      return null;
    } catch (Throwable e) {
      throw Sneaky.<RuntimeException>rethrow(e);
    } finally {
      scope.restore();
    }
  }

  /** {@code ConnectExec.execute(request, scope, chain)}: see {@link ExchangePhase}. */
  Object connectExec(Object exec, Object[] args) {
    return ExchangePhase.connectExec(exec, args, 1);
  }

  /** {@code HttpRequestRetryExec.execute(request, scope, chain)}. */
  Object retryExec(Object exec, Object[] args) {
    return ClientRetries.execute(exec, args, 1, "org.apache.hc.client5.http.impl.classic.HttpRequestRetryExec", false);
  }

  /**
   * The app's own {@code cancel()} of its request, passed on to the attempt in flight: HttpClient sends a
   * copy of Levee's, so the app's request is made to depend on it, as HttpClient itself makes the request
   * it executes depend on its exchange ({@code CancellableDependency.setDependency}).
   */
  static final class AppCancel {
    private volatile Object attempt;

    /** Null when the app's request is already cancelled; a no-op for a request that cannot be cancelled. */
    static AppCancel of(HttpClient5Classes hc, Object request) throws Throwable {
      AppCancel cancel = new AppCancel();
      if (hc.cancellableDependency.isInstance(request)) {
        if (Boolean.TRUE.equals(LibraryMethods.invoke(request, "isCancelled"))) {
          return null;
        }
        LibraryMethods.invoke(request, "setDependency", LibraryProxies.implement(hc.cancellable, (proxy, method, margs) -> {
          Object current = cancel.attempt;
          return current == null ? Boolean.TRUE : LibraryMethods.invoke(current, "cancel");
        }));
      }
      return cancel;
    }

    void attempting(Object copy) {
      attempt = copy;
    }
  }

  /** A classic call's outcomes: an attempt's response status, or the exception's kind. */
  static final class Outcomes implements OutcomeClassifier<ClassicAttempt> {
    private final Object request;

    Outcomes(Object request) {
      this.request = request;
    }

    @Override
    public Outcome classify(ClassicAttempt attempt) {
      try {
        return Outcome.status(ApacheOutcomes.code(attempt.response()));
      } catch (Throwable t) {
        return Outcome.SUCCESS;
      }
    }

    @Override
    public Outcome classify(Throwable error) {
      if (error instanceof InterruptedIOException && cancelledByTheApp()) {
        return Outcome.LOCAL; // "Request aborted": the app cancelled it; neither a failure nor to be retried
      }
      return ApacheOutcomes.classify(error);
    }

    private boolean cancelledByTheApp() {
      try {
        return Boolean.TRUE.equals(LibraryMethods.invoke(request, "isCancelled"));
      } catch (Throwable notCancellable) {
        return false;
      }
    }

    @Override
    public long retryAfterMillis(ClassicAttempt attempt, long nowEpochMillis) {
      return ApacheOutcomes.retryAfterMillis(attempt.response(), nowEpochMillis);
    }

    @Override
    public void discard(ClassicAttempt attempt) {
      if (attempt != null) {
        attempt.discard();
      }
    }

    @Override
    public Exception rejection(Rejection reason, String message) {
      return ApacheOutcomes.rejection(reason, message);
    }
  }
}
