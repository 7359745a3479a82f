package dev.levee.instrumentation.apache5;

import dev.levee.core.Faults;
import dev.levee.core.LeveeLog;
import dev.levee.core.Outcome;
import dev.levee.core.Target;
import dev.levee.core.pipeline.CallPipeline;
import dev.levee.core.pipeline.CallSpec;
import dev.levee.core.pipeline.LeveeFault;
import dev.levee.core.pipeline.OutcomeClassifier;
import dev.levee.core.pipeline.Rejection;
import dev.levee.instrumentation.api.AppStop;
import dev.levee.instrumentation.api.InFlight;
import dev.levee.instrumentation.api.LeveeRuntime;
import dev.levee.instrumentation.api.LibraryMethods;
import dev.levee.instrumentation.api.LibraryProxies;
import dev.levee.instrumentation.api.PassThrough;
import dev.levee.instrumentation.api.TimedAttempt;
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
  /** The calls in flight whose app request's {@code cancel()} Levee hooks, by that request. */
  private final InFlight<AppStop> inFlight = new InFlight<>();

  ApacheClassicHooks(LeveeRuntime runtime) {
    this.pipeline = runtime.http();
    this.requests = new ApacheRequests(runtime.deadlineHeaders());
  }

  /** {@code InternalHttpClient.doExecute(target, request, context)} (and {@code MinimalHttpClient}'s). */
  Object doExecute(Object client, Object[] args) throws Throwable {
    Object host = args[0];
    Object request = args[1];
    Prepared p = LeveeFault.guard(() -> prepare(client, host, request, args[2]));
    if (p == null) {
      return null; // cancelled before it started: HttpClient fails it as it always does
    }
    Target callTarget = p.spec.target();
    String target = callTarget.toString();
    p.appCancel.register(inFlight);
    try {
      TimedAttempt answer = pipeline.execute(
          p.spec,
          attempt -> {
            Object config = null;
            Object copy = null;
            try {
              Faults.at(Faults.Step.ATTEMPT);
              config = p.timeouts.forAttempt(p.hc, attempt.timeoutNanos(), p.leveeConnectNanos, true);
              copy = requests.classicCopy(p.hc, request, config, requests.headerDeadline(attempt.deadlineMillis(), callTarget));
            } catch (Throwable t) {
              LeveeLog.warnOnce("apache-httpclient5.attempt", "could not build an HttpClient attempt; the app's request goes as it is", t);
            }
            Object context = p.scope.forAttempt(null);
            Object[] exchange = ExchangePhase.arm();
            long budget = attempt.timeoutNanos();
            TimedAttempt a = TimedAttempt.start(copy, "cancel", "apache-httpclient5", attempt, pipeline.timer(), target,
                () -> ExchangePhase.timedOut(exchange[0], target, budget / 1_000_000));
            p.appCancel.attempting(copy);
            PassThrough.mark();
            try {
              a.headersIn(LibraryMethods.invoke(client, "execute", host, copy != null ? copy : request, context));
            } catch (Throwable t) {
              a.disarm();
              throw a.failure(t);
            } finally {
              PassThrough.clear();
              ExchangePhase.disarm();
            }
            return a;
          },
          new Outcomes(p.appCancel));
      try {
        answer.boundBody(p.hc.httpEntity);
      } catch (Throwable t) {
        LeveeLog.warnOnce("apache-httpclient5.body", "could not bound a response body by the call's deadline", t);
      }
      return answer.response();
    } finally {
      p.appCancel.done(inFlight);
      p.scope.restore();
    }
  }

  /**
   * {@code HttpUriRequestBase.cancel()}: when the request is one a call is in flight for, the attempt HttpClient is
   * sending (Levee's copy) is cancelled too. Null: the app's {@code cancel()} runs as it is.
   */
  Object appCancelled(Object request, Object[] args) {
    AppStop cancel = inFlight.get(request);
    if (cancel != null) {
      cancel.stoppedByTheApp();
    }
    return null;
  }

  /** What one call needs from the app's objects, read before anything is sent; null when it is cancelled already. */
  private Prepared prepare(Object client, Object host, Object request, Object appContext) throws Throwable {
    Faults.at(Faults.Step.REQUEST);
    HttpClient5Classes hc = HttpClient5Classes.beside(client);
    AppStop appCancel = appCancelOf(hc, request);
    if (appCancel == null) {
      return null;
    }
    CallSpec spec = requests.spec(host, request, ApacheRequests.hasReplayableEntity(request));
    return new Prepared(hc, spec, AttemptTimeouts.ofApp(hc, client, host, request, appContext),
        new CallScope(hc, appContext), appCancel, pipeline.policyFor(spec.target()).timeout().connect().toNanos());
  }

  private static final class Prepared {
    final HttpClient5Classes hc;
    final CallSpec spec;
    final AttemptTimeouts timeouts;
    final CallScope scope;
    final AppStop appCancel;
    final long leveeConnectNanos;

    Prepared(HttpClient5Classes hc, CallSpec spec, AttemptTimeouts timeouts, CallScope scope, AppStop appCancel,
        long leveeConnectNanos) {
      this.hc = hc;
      this.spec = spec;
      this.timeouts = timeouts;
      this.scope = scope;
      this.appCancel = appCancel;
      this.leveeConnectNanos = leveeConnectNanos;
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
   * The app's own {@code cancel()} of its request, passed on to the attempt in flight ({@link AppStop}): a request
   * of HttpClient's own classes ({@code HttpUriRequestBase}) through Levee's hook on its {@code cancel()}; any
   * other {@code CancellableDependency} is made to depend on the attempt, as HttpClient itself makes the request
   * it executes depend on its exchange ({@code setDependency}). Null when the app's request is already
   * cancelled; for a request that cannot be cancelled, one that stops nothing.
   */
  static AppStop appCancelOf(HttpClient5Classes hc, Object request) throws Throwable {
    if (!hc.cancellableDependency.isInstance(request)) {
      return new AppStop(request, false, "cancel", "isCancelled");
    }
    if (Boolean.TRUE.equals(LibraryMethods.invoke(request, "isCancelled"))) {
      return null;
    }
    boolean hooked = hc.cancelHooked.isInstance(request);
    AppStop cancel = new AppStop(request, hooked, "cancel", "isCancelled");
    if (!hooked) {
      LibraryMethods.invoke(request, "setDependency", LibraryProxies.implement(hc.cancellable, (proxy, method, margs) -> {
        Object current = cancel.attempt();
        return current == null ? Boolean.TRUE : LibraryMethods.invoke(current, "cancel");
      }));
    }
    return cancel;
  }

  /** A classic call's outcomes: an attempt's response status, or the exception's kind. */
  static final class Outcomes implements OutcomeClassifier<TimedAttempt> {
    private final AppStop appCancel;

    Outcomes(AppStop appCancel) {
      this.appCancel = appCancel;
    }

    @Override
    public Outcome classify(TimedAttempt attempt) {
      try {
        return Outcome.status(ApacheOutcomes.code(attempt.response()));
      } catch (Throwable t) {
        return Outcome.SUCCESS;
      }
    }

    @Override
    public Outcome classify(Throwable error) {
      if (error instanceof InterruptedIOException && appCancel.byTheApp()) {
        return Outcome.LOCAL; // "Request aborted": the app cancelled it; neither a failure nor to be retried
      }
      return ApacheOutcomes.classify(error);
    }


    @Override
    public long retryAfterMillis(TimedAttempt attempt, long nowEpochMillis) {
      return ApacheOutcomes.retryAfterMillis(attempt.response(), nowEpochMillis);
    }

    @Override
    public void discard(TimedAttempt attempt) {
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
