package dev.levee.instrumentation.apache5;

import dev.levee.core.LeveeLog;
import dev.levee.core.Outcome;
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
 * call runs untouched. The response-handler overloads call {@code doExecute} and then the handler: the
 * handler sees the call's final response only.
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
    try {
      hc = HttpClient5Classes.beside(client);
      spec = requests.spec(host, request, ApacheRequests.hasReplayableEntity(request));
      timeouts = AttemptTimeouts.ofApp(hc, client, host, request, appContext);
      scope = new CallScope(hc, requests, request, spec.target(), appContext);
    } catch (Throwable t) {
      LeveeLog.warnOnce("apache-httpclient5.spec", "could not read an HttpClient request; the call runs untouched", t);
      return null;
    }
    long leveeConnectNanos = pipeline.policyFor(spec.target()).timeout().connect().toNanos();
    try {
      return pipeline.execute(
          spec,
          (timeoutNanos, deadlineMillis, attempt) -> {
            try {
              Object config = timeouts.forAttempt(hc, timeoutNanos, leveeConnectNanos, true);
              Object context = scope.forAttempt(config, deadlineMillis);
              PassThrough.mark();
              try {
                return LibraryMethods.invoke(client, "execute", host, request, context);
              } finally {
                PassThrough.clear();
              }
            } catch (Exception | Error e) {
              throw e;
            } catch (Throwable t) {
              throw new IllegalStateException(t);
            }
          },
          new Outcomes(request));
    } catch (LeveeFault fault) {
      LeveeLog.warnOnce("apache-httpclient5.execute", "could not apply Levee to an HttpClient call; it runs untouched", fault.getCause());
      return null;
    } catch (Exception e) {
      throw Sneaky.<RuntimeException>rethrow(e);
    } finally {
      scope.restore();
    }
  }

  /** {@code HttpRequestRetryExec.execute(request, scope, chain)}. */
  Object retryExec(Object exec, Object[] args) {
    return ClientRetries.execute(exec, args, 1, "org.apache.hc.client5.http.impl.classic.HttpRequestRetryExec", false);
  }

  /** A classic call's outcomes: a {@code CloseableHttpResponse}'s status, or the exception's kind. */
  static final class Outcomes implements OutcomeClassifier<Object> {
    private final Object request;

    Outcomes(Object request) {
      this.request = request;
    }

    @Override
    public Outcome classify(Object response) {
      try {
        return Outcome.status(ApacheOutcomes.code(response));
      } catch (Throwable t) {
        return Outcome.SUCCESS;
      }
    }

    @Override
    public Outcome classify(Throwable error) {
      if (error instanceof InterruptedIOException && cancelledByTheApp()) {
        return Outcome.APPLICATION_ERROR; // "Request aborted": the app cancelled it; not a failure to retry
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
    public long retryAfterMillis(Object response, long nowEpochMillis) {
      return ApacheOutcomes.retryAfterMillis(response, nowEpochMillis);
    }

    /** Closing a response HttpClient returned releases its pooled connection (it is not reused). */
    @Override
    public void discard(Object response) {
      if (response != null) {
        try {
          LibraryMethods.invoke(response, "close");
        } catch (Throwable ignored) {
          // the response is being dropped for a retry; nothing to tell the app
        }
      }
    }

    @Override
    public Exception rejection(Rejection reason, String message) {
      return ApacheOutcomes.rejection(reason, message);
    }
  }
}
