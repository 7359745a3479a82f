package dev.levee.instrumentation.okhttp;

import dev.levee.core.Faults;
import dev.levee.core.LeveeLog;
import dev.levee.core.pipeline.AttemptContext;
import dev.levee.core.pipeline.CallPipeline;
import dev.levee.core.pipeline.CallSpec;
import dev.levee.core.pipeline.LeveeFault;
import dev.levee.instrumentation.api.DeclaredExceptions;
import dev.levee.instrumentation.api.LeveeRuntime;
import dev.levee.instrumentation.api.PassThrough;
import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;

/**
 * What the hooked {@code RealCall} methods hand over to. The application's call object is never run itself
 * when Levee handles it: each attempt is a fresh call ({@code newCall}) on a client derived from the
 * application's ({@link AttemptClients}), carrying the deadline header and bounded by the attempt's timeout,
 * and run through the same hooked method with {@link PassThrough} marked, so it runs untouched.
 */
final class OkHttpHooks {

  /** A void method's hook returns non-null to make the method return at once. */
  private static final Object RETURN_NOW = Boolean.TRUE;

  private final CallPipeline pipeline;
  private final OkHttpRequests requests;

  OkHttpHooks(LeveeRuntime runtime) {
    this.pipeline = runtime.http();
    this.requests = new OkHttpRequests(runtime.deadlineHeaders());
  }

  /** {@code RealCall.execute()}: the pipeline on the caller's thread. */
  Object execute(Object self, Object[] args) throws Exception {
    Prepared p = prepare(self);
    if (p == null) {
      return null;
    }
    if (!RealCalls.markExecuted(self)) {
      throw new IllegalStateException("Already Executed");
    }
    HandledCall handled = HandledCall.start(self);
    try {
      return pipeline.execute(
          p.spec,
          attempt -> attempt(p, handled, attempt),
          OkHttpOutcomes.INSTANCE);
    } catch (LeveeFault fault) {
      // the app's call is marked executed already: OkHttp's own execute would refuse it now, so it runs on a
      // fresh call of the app's own client, untouched
      LeveeLog.warnOnce("okhttp.execute", "could not apply Levee to an OkHttp Call.execute; it runs untouched", fault.getCause());
      return untouched(p);
    } catch (CancelledAttempt cancelled) {
      throw cancelled.okHttpException();
    } finally {
      HandledCall.finish(self);
    }
  }

  private Object attempt(Prepared p, HandledCall handled, AttemptContext attempt) throws Exception {
    if (handled.isCancelled()) {
      throw new CancelledAttempt(new IOException("Canceled"));
    }
    Object call = OkHttpApi.call(p.attemptClient, "newCall", requests.forAttempt(p.request, attempt));
    AttemptTimeout timeout = AttemptTimeout.limit(call, attempt);
    handled.attemptStarting(call);
    Object response;
    PassThrough.mark();
    try {
      response = OkHttpApi.call(call, "execute");
    } catch (IOException e) {
      if (handled.isCancelled() || CancelledAttempt.isCancellation(call, e)) {
        throw new CancelledAttempt(e);
      }
      throw e;
    } finally {
      PassThrough.clear();
    }
    if (timeout != null) {
      timeout.headersReceived();
    }
    return response;
  }

  /** Fail open, after the app's call was marked executed: the request on a fresh call of the app's own client. */
  private static Object untouched(Prepared p) throws Exception {
    Object call = OkHttpApi.call(p.appClient, "newCall", p.request);
    PassThrough.mark();
    try {
      return OkHttpApi.call(call, "execute");
    } finally {
      PassThrough.clear();
    }
  }

  /**
   * {@code RealCall.enqueue(callback)}: the pipeline without blocking any thread. The application's callback
   * fires exactly once, with the application's call object, on OkHttp's dispatcher.
   */
  Object enqueue(Object self, Object[] args) {
    Object callback = args[0];
    Prepared p = prepare(self);
    if (p == null) {
      return null;
    }
    if (!RealCalls.markExecuted(self)) {
      throw new IllegalStateException("Already Executed");
    }
    HandledCall handled = HandledCall.start(self);
    CompletableFuture<Object> result;
    try {
      result = pipeline.executeAsync(
          p.spec,
          attempt -> startAttempt(p.attemptClient, p.request, handled, attempt),
          OkHttpOutcomes.INSTANCE);
    } catch (RuntimeException | Error e) { // a LeveeFault, or the first attempt failed to start
      LeveeLog.warnOnce("okhttp.enqueue", "could not apply Levee to an OkHttp Call.enqueue; it runs untouched",
          e instanceof LeveeFault ? e.getCause() : e);
      result = untouchedAsync(p, handled);
    }
    handled.result(result);
    result.whenComplete((response, error) -> deliver(p.appClient, self, callback, response, error));
    return RETURN_NOW;
  }

  /** One async attempt; without an {@code attempt} (failing open) the request goes as the app made it. */
  private CompletableFuture<Object> startAttempt(Object client, Object request, HandledCall handled, AttemptContext attempt) {
    try {
      Object sent = attempt != null ? requests.forAttempt(request, attempt) : request;
      Object call = OkHttpApi.call(client, "newCall", sent);
      AttemptTimeout timeout = attempt != null ? AttemptTimeout.limit(call, attempt) : null;
      AttemptCallback.Future future = new AttemptCallback.Future(call);
      Object callback = AttemptCallback.create(call, future, handled, timeout);
      handled.attemptStarting(call);
      PassThrough.mark();
      try {
        OkHttpApi.call(call, "enqueue", callback);
      } finally {
        PassThrough.clear();
      }
      return future;
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("levee: could not start an OkHttp attempt", e);
    }
  }

  private CompletableFuture<Object> untouchedAsync(Prepared p, HandledCall handled) {
    try {
      return startAttempt(p.appClient, p.request, handled, null);
    } catch (RuntimeException | Error e) {
      CompletableFuture<Object> failed = new CompletableFuture<>();
      failed.completeExceptionally(new IOException("could not enqueue the call", e));
      return failed;
    }
  }

  /**
   * Hands the call's end to the application's callback, exactly once. On the dispatcher thread that
   * completed it when there is one; otherwise (a rejection decided on the app's own thread, a cancel) on
   * the dispatcher's executor, where OkHttp runs callbacks.
   */
  private static void deliver(Object appClient, Object originalCall, Object callback, Object response, Throwable error) {
    HandledCall.finish(originalCall);
    Runnable run = () -> {
      try {
        if (error == null) {
          OkHttpApi.call(callback, "onResponse", originalCall, response);
        } else {
          OkHttpApi.call(callback, "onFailure", originalCall, asOkHttpFailure(error));
        }
      } catch (Exception e) {
        throw DeclaredExceptions.<RuntimeException>rethrow(e);
      }
    };
    if (AttemptCallback.runAfterOnThisDispatcherThread(run)) {
      return;
    }
    ExecutorService dispatcher;
    try {
      dispatcher = (ExecutorService) OkHttpApi.call(OkHttpApi.call(appClient, "dispatcher"), "executorService");
    } catch (Exception | Error e) {
      dispatcher = null;
    }
    if (dispatcher != null) {
      try {
        dispatcher.execute(run);
        return;
      } catch (RuntimeException rejected) {
        // the dispatcher is shut down: tell the app on this thread, as OkHttp does for a rejected call
      }
    }
    run.run();
  }

  /** What {@code Callback.onFailure} gets: OkHttp's own exception where there is one, else OkHttp's shapes. */
  static IOException asOkHttpFailure(Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof CancelledAttempt) {
      return ((CancelledAttempt) e).okHttpException();
    }
    if (e instanceof CancellationException) {
      return new IOException("Canceled");
    }
    if (e instanceof IOException) {
      return (IOException) e;
    }
    IOException wrapped = new IOException("canceled due to " + e);
    wrapped.addSuppressed(e);
    return wrapped;
  }

  /** {@code RealCall.cancel()}: reaches the attempt Levee runs for the call; OkHttp's own cancel then runs too. */
  Object cancel(Object self, Object[] args) {
    try {
      HandledCall.cancelled(self);
    } catch (Throwable t) {
      LeveeLog.warnOnce("okhttp.cancel", "could not forward an OkHttp Call.cancel to its attempt", t);
    }
    return null;
  }

  /**
   * Everything read from the app's call before anything is sent; null: the call runs untouched (a web
   * socket's, or one cancelled already). A fault reading it is a {@link LeveeFault}.
   */
  private Prepared prepare(Object call) {
    return LeveeFault.guard(() -> {
      Faults.at(Faults.Step.REQUEST);
      if (RealCalls.isForWebSocket(call)) {
        return null; // a web socket's upgrade needs its own call object all the way through
      }
      if (OkHttpApi.isCanceled(call)) {
        return null; // OkHttp's own path fails it with IOException("Canceled")
      }
      long nowNanos = System.nanoTime();
      long appCallDeadlineNanos = AttemptTimeout.appCallDeadlineNanos(call, nowNanos);
      Object request = OkHttpApi.call(call, "request");
      CallSpec spec = requests.spec(request);
      if (appCallDeadlineNanos != 0) {
        // the app's own call timeout bounds the whole call, all attempts and backoffs: a deadline it carries
        long left = appCallDeadlineNanos - nowNanos;
        spec = OkHttpRequests.withEarlierDeadline(spec, System.currentTimeMillis() + (left + 999_999) / 1_000_000);
      }
      Object appClient = RealCalls.client(call);
      long connectMillis = pipeline.policyFor(spec.target()).timeout().connect().toMillis();
      return new Prepared(request, spec, appClient, AttemptClients.forAttempts(appClient, connectMillis));
    });
  }

  private static final class Prepared {
    final Object request;
    final CallSpec spec;
    final Object appClient;
    final Object attemptClient;

    Prepared(Object request, CallSpec spec, Object appClient, Object attemptClient) {
      this.request = request;
      this.spec = spec;
      this.appClient = appClient;
      this.attemptClient = attemptClient;
    }
  }
}
