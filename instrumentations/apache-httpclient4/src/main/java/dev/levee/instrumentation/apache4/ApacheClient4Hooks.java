package dev.levee.instrumentation.apache4;

import dev.levee.core.Faults;
import dev.levee.core.LeveeLog;
import dev.levee.core.Outcome;
import dev.levee.core.Target;
import dev.levee.core.pipeline.CallPipeline;
import dev.levee.core.pipeline.Attempt;
import dev.levee.core.pipeline.AttemptContext;
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
import java.net.SocketTimeoutException;
import java.util.function.Supplier;

/**
 * The classic {@code CloseableHttpClient} of HttpClient 4: every {@code execute} overload ends in the
 * protected {@code doExecute(HttpHost, HttpRequest, HttpContext)}, hooked in its three implementations. The
 * pipeline runs on the caller's thread; each attempt calls the public {@code execute(HttpHost, HttpRequest,
 * HttpContext)} of the same client again (it goes straight to {@code doExecute}) with the thread marked, so
 * that inner call runs untouched, with a copy of the app's request ({@link ApacheRequests#copy}): the app's
 * object is never changed. The {@code ResponseHandler} overloads call {@code doExecute} and then the handler:
 * the handler sees the call's final response only, its body bounded by the call's deadline. A retried
 * attempt's response is read to its end and closed ({@link TimedAttempt#discard}), so its pooled connection
 * goes back to the pool. The app's {@code abort()} of its request reaches the attempt in flight ({@link AppStop}).
 */
final class ApacheClient4Hooks {

  static final String NAME = "apache-httpclient4";

  private final CallPipeline pipeline;
  private final ApacheRequests requests;
  /** The calls in flight whose app request's {@code abort()} Levee hooks, by that request (identity). */
  private final InFlight<AppStop> inFlight = new InFlight<>();

  ApacheClient4Hooks(LeveeRuntime runtime) {
    this.pipeline = runtime.http();
    this.requests = new ApacheRequests(runtime.deadlineHeaders());
  }

  /** {@code doExecute(target, request, context)} of {@code InternalHttpClient}, {@code MinimalHttpClient}, {@code AbstractHttpClient}. */
  Object doExecute(Object client, Object[] args) throws Throwable {
    Call call = new Call(client, args[0], args[1], args[2]);
    Prepared p = LeveeFault.guard(call);
    if (p == null) {
      return null; // aborted before it started: HttpClient fails it as it always does
    }
    call.prepared = p;
    call.target = p.spec.target().toString();
    p.appAbort.register(inFlight);
    try {
      TimedAttempt answer = pipeline.execute(p.spec, call, new Outcomes(p.appAbort));
      try {
        answer.boundBody(p.hc.httpEntity);
      } catch (Throwable t) {
        LeveeLog.warnOnce(NAME + ".body", "could not bound a response body by the call's deadline", t);
      }
      return answer.response();
    } finally {
      p.appAbort.done(inFlight);
      p.restoreContext(call.appContext);
    }
  }

  /**
   * One app call: what it reads before anything is sent ({@link #prepare}), then each attempt. A class, not
   * lambdas: each lambda spins a class of its own on the app's first call (docs/performance.md).
   */
  private final class Call implements LeveeFault.Step<Prepared>, Attempt<TimedAttempt> {
    final Object client;
    final Object host;
    final Object request;
    final Object appContext;
    Prepared prepared;
    /** The target, as messages name it. */
    String target;

    Call(Object client, Object host, Object request, Object appContext) {
      this.client = client;
      this.host = host;
      this.request = request;
      this.appContext = appContext;
    }

    @Override
    public Prepared run() throws Throwable {
      return prepare(client, host, request, appContext);
    }

    @Override
    public TimedAttempt run(AttemptContext attempt) throws Throwable {
      Prepared p = prepared;
      Target callTarget = p.spec.target();
      Object copy = null;
      try {
        Faults.at(Faults.Step.ATTEMPT);
        long deadline = requests.headerDeadline(attempt.deadlineMillis(), callTarget);
        if (p.timeouts.usesParams()) {
          copy = requests.copy(p.hc, request, p.hc.defaultConfig, deadline);
          p.timeouts.applyParams(p.hc, request, copy, AttemptTimeouts.budgetMillis(attempt.timeoutNanos()), p.leveeConnectNanos);
        } else {
          copy = requests.copy(p.hc, request, p.timeouts.forAttempt(p.hc, attempt.timeoutNanos(), p.leveeConnectNanos), deadline);
        }
      } catch (Throwable t) {
        copy = null;
        LeveeLog.warnOnce(NAME + ".attempt", "could not build an HttpClient attempt; the app's request goes as it is", t);
      }
      TimedAttempt a = TimedAttempt.start(copy, "abort", NAME, attempt, pipeline.timer(), target,
          new NoResponse(target, attempt.timeoutNanos() / 1_000_000));
      Object context = appContext != null ? appContext : p.hc.newContext();
      p.appAbort.attempting(copy);
      if (p.appAbort.byTheApp()) {
        p.appAbort.stopAttempt(); // the app aborted between attempts: this one is aborted at once
      }
      PassThrough.mark();
      boolean outer = ClientRetries.enter();
      try {
        a.headersIn(p.hc.execute(client, host, copy != null ? copy : request, context));
      } catch (Throwable t) {
        a.disarm();
        // refused, a connect timeout, the app's pool: HttpClient's own exception says more than Levee's timeout
        throw ApacheOutcomes.beforeTheExchange(t) ? t : a.failure(t);
      } finally {
        ClientRetries.exit(outer);
        PassThrough.clear();
      }
      return a;
    }
  }

  /** The exception of an attempt with no response head within its budget. */
  private static final class NoResponse implements Supplier<Exception> {
    private final String target;
    private final long budgetMillis;

    NoResponse(String target, long budgetMillis) {
      this.target = target;
      this.budgetMillis = budgetMillis;
    }

    @Override
    public Exception get() {
      return new SocketTimeoutException("levee: no response from " + target + " within " + budgetMillis + "ms");
    }
  }

  /**
   * {@code AbstractExecutionAwareRequest.abort()}: when the request is one a call is in flight for, the attempt
   * HttpClient is sending (Levee's copy) is aborted too. Null: the app's {@code abort()} runs as it is.
   */
  Object appAborted(Object request, Object[] args) {
    AppStop abort = inFlight.get(request);
    if (abort != null) {
      abort.stoppedByTheApp();
    }
    return null;
  }

  /** What one call needs from the app's objects, read before anything is sent; null when it is aborted already. */
  private Prepared prepare(Object client, Object host, Object request, Object appContext) throws Throwable {
    Faults.at(Faults.Step.REQUEST);
    HttpClient4Classes hc = HttpClient4Classes.beside(client);
    CallSpec spec = requests.spec(hc, host, request);
    AppStop appAbort = appAbortOf(hc, request);
    if (appAbort == null) {
      return null;
    }
    return new Prepared(hc, spec, appAbort, AttemptTimeouts.ofApp(hc, client, host, request, appContext),
        appContext == null ? null : AttemptTimeouts.contextConfig(appContext),
        pipeline.policyFor(spec.target()).timeout().connect().toNanos());
  }

  private static final class Prepared {
    final HttpClient4Classes hc;
    final CallSpec spec;
    final AppStop appAbort;
    final AttemptTimeouts timeouts;
    /** The app's context's RequestConfig before the call: HttpClient writes each attempt's into it. */
    final Object savedContextConfig;
    final long leveeConnectNanos;

    Prepared(HttpClient4Classes hc, CallSpec spec, AppStop appAbort, AttemptTimeouts timeouts, Object savedContextConfig,
        long leveeConnectNanos) {
      this.hc = hc;
      this.spec = spec;
      this.appAbort = appAbort;
      this.timeouts = timeouts;
      this.savedContextConfig = savedContextConfig;
      this.leveeConnectNanos = leveeConnectNanos;
    }

    /** Puts the app's context's RequestConfig back as it was (HttpClient recorded Levee's tightened one); never throws. */
    void restoreContext(Object appContext) {
      if (appContext == null) {
        return;
      }
      try {
        AttemptTimeouts.setContextConfig(appContext, savedContextConfig);
      } catch (Throwable t) {
        LeveeLog.warnOnce(NAME + ".restore", "could not put an HttpClient context back as the app made it", t);
      }
    }
  }

  /**
   * The app's own {@code abort()} of its request (from another thread), passed on to the attempt in flight
   * ({@link AppStop}): a request of HttpClient's own classes ({@code AbstractExecutionAwareRequest}) through
   * Levee's hook on its {@code abort()}; any other {@code HttpExecutionAware} request is handed a
   * {@code Cancellable} that does the same, as HttpClient itself hands the request it executes one
   * ({@code setCancellable}). Null when the app's request is aborted already; for a request that cannot be
   * aborted, one that stops nothing.
   */
  static AppStop appAbortOf(HttpClient4Classes hc, Object request) throws Throwable {
    if (!hc.executionAware.isInstance(request)) {
      return new AppStop(null, false, "abort", "isAborted");
    }
    if (AppStop.wasStopped(request, "isAborted")) {
      return null;
    }
    boolean hooked = hc.abortHooked.isInstance(request);
    AppStop abort = new AppStop(request, hooked, "abort", "isAborted");
    if (!hooked) {
      LibraryMethods.invoke(request, "setCancellable", LibraryProxies.implement(hc.cancellable, (proxy, method, margs) -> {
        abort.stoppedByTheApp();
        return Boolean.TRUE;
      }));
    }
    return abort;
  }

  /** A call's outcomes: an attempt's response status, or the exception's kind. */
  static final class Outcomes implements OutcomeClassifier<TimedAttempt> {
    private final AppStop appAbort;

    Outcomes(AppStop appAbort) {
      this.appAbort = appAbort;
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
      if (appAbort.byTheApp()) {
        return Outcome.LOCAL; // the app aborted it: neither a failure of the target nor to be retried
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
