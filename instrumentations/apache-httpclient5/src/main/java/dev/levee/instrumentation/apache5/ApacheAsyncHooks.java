package dev.levee.instrumentation.apache5;

import dev.levee.core.Faults;
import dev.levee.core.LeveeLog;
import dev.levee.core.Outcome;
import dev.levee.core.pipeline.AsyncAttempt;
import dev.levee.core.pipeline.AttemptContext;
import dev.levee.core.pipeline.CallPipeline;
import dev.levee.core.pipeline.CallSpec;
import dev.levee.core.pipeline.LeveeFault;
import dev.levee.core.pipeline.OutcomeClassifier;
import dev.levee.core.pipeline.Rejection;
import dev.levee.instrumentation.api.LeveeRuntime;
import dev.levee.instrumentation.api.LibraryMethods;
import dev.levee.instrumentation.api.LibraryProxies;
import dev.levee.instrumentation.api.PassThrough;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * The async {@code CloseableHttpAsyncClient}: every {@code execute} overload ({@code SimpleHttpRequest},
 * producer/consumer, with or without an {@code HttpHost}, a context, a push handler factory) ends in the
 * protected {@code doExecute(HttpHost, AsyncRequestProducer, AsyncResponseConsumer, HandlerFactory,
 * HttpContext, FutureCallback)}, which is hooked in {@code InternalAbstractHttpAsyncClient} (HTTP/1.1 and
 * HTTP/2 clients of {@code HttpAsyncClients}) and {@code AbstractMinimalHttpAsyncClientBase}.
 *
 * <p>Nothing blocks: each attempt calls the public six-argument {@code execute} of the same client again with
 * the thread marked (the inner {@code doExecute} runs untouched), with a callback of Levee's that completes
 * the attempt; backoffs and attempt timeouts run on the pipeline's timer, never on an I/O reactor thread.
 * The app's {@code FutureCallback} is called once, with the call's final outcome.
 *
 * <p>Which calls may take more than one attempt: the request is read through its producer before it is
 * sent, which works for {@code BasicRequestProducer} and its subclasses (what {@code SimpleHttpRequest},
 * {@code SimpleRequestProducer} and {@code AsyncRequestBuilder} make); a producer class of the app's own
 * runs untouched. A further attempt needs a response consumer and a body producer of its own (the
 * previous attempt's exchange may still be winding down), so a call is retried only when its consumer is a
 * {@code SimpleResponseConsumer} and its request has no body or is a {@code SimpleHttpRequest} (whose body
 * a fresh {@code SimpleRequestProducer} sends again); any other consumer streams into code that cannot be
 * rewound, so such a call gets one attempt, still with Levee's timeouts, breaker, bulkhead and deadline
 * header.
 */
final class ApacheAsyncHooks {

  private final CallPipeline pipeline;
  private final ApacheRequests requests;

  ApacheAsyncHooks(LeveeRuntime runtime) {
    this.pipeline = runtime.http();
    this.requests = new ApacheRequests(runtime.deadlineHeaders());
  }

  /** {@code doExecute(target, producer, consumer, pushHandlerFactory, context, callback)}. */
  Object doExecute(Object client, Object[] args) {
    Call call = LeveeFault.guard(() -> prepare(client, args));
    if (call == null) {
      return null;
    }
    CompletableFuture<AsyncResult> result;
    try {
      result = pipeline.executeAsync(call.spec, call, call);
    } catch (RuntimeException | Error e) {
      call.scope.restore(); // a LeveeFault (the seam runs the call untouched), or the first attempt's own throw
      throw e;
    }
    return ApplicationFuture.of(result, call.callback, error -> {
      call.scope.restore();
      call.appConsumer.callEnded(error);
    });
  }

  /** The call, read from the app's objects before anything is sent; null when Levee leaves it alone. */
  private Call prepare(Object client, Object[] args) throws Throwable {
    Faults.at(Faults.Step.REQUEST);
    Object host = args[0];
    Object producer = args[1];
    Object appContext = args[4];
    HttpClient5Classes hc = HttpClient5Classes.beside(client);
    if (!hc.basicRequestProducer.isInstance(producer)) {
      LeveeLog.warnOnce("apache-httpclient5.producer." + producer.getClass().getName(),
          "Apache HttpClient async requests sent through a " + producer.getClass().getName()
              + " run without Levee: only BasicRequestProducer-based requests (SimpleHttpRequest,"
              + " AsyncRequestBuilder) can be read before they are sent",
          null);
      return null;
    }
    Object[] peeked = peek(hc, producer, appContext);
    if (peeked == null) {
      return null;
    }
    Object request = peeked[0];
    // another attempt needs a body producer of its own (the previous attempt's exchange may still be
    // winding down, see AsyncAttemptFuture): a SimpleHttpRequest's body is bytes, sent again by a fresh
    // producer; any other body producer is sent once
    boolean retriable = peeked[1] == null || hc.simpleHttpRequest.isInstance(request);
    CallSpec spec = requests.spec(host, request, retriable);
    return new Call(client, hc, args, request, peeked[1], spec,
        AttemptTimeouts.ofApp(hc, client, host, request, appContext),
        new CallScope(hc, appContext),
        pipeline.policyFor(spec.target()).timeout().connect().toNanos());
  }

  /** {@code AsyncConnectExec.execute(request, entityProducer, scope, chain, callback)}: see {@link ExchangePhase}. */
  Object connectExec(Object exec, Object[] args) {
    return ExchangePhase.connectExec(exec, args, 2);
  }

  /** {@code AsyncHttpRequestRetryExec.execute(request, entityProducer, scope, chain, callback)}. */
  Object retryExec(Object exec, Object[] args) {
    return ClientRetries.execute(exec, args, 2, "org.apache.hc.client5.http.impl.async.AsyncHttpRequestRetryExec", true);
  }

  /**
   * The request head and entity details a {@code BasicRequestProducer} will send, or null: it hands them to
   * the channel it is given, synchronously and without other effect, so asking it once more is harmless.
   */
  static Object[] peek(HttpClient5Classes hc, Object producer, Object context) throws Throwable {
    Object[][] captured = new Object[1][];
    Object channel = LibraryProxies.implement(hc.requestChannel, (proxy, method, margs) -> {
      if (method.getName().equals("sendRequest")) {
        captured[0] = new Object[] {margs[0], margs[1]};
      }
      return null;
    });
    LibraryMethods.invoke(producer, "sendRequest", channel, context);
    return captured[0];
  }

  /** One application call: its attempts, and their outcomes. */
  private final class Call implements AsyncAttempt<AsyncResult>, OutcomeClassifier<AsyncResult> {
    private final Object client;
    private final HttpClient5Classes hc;
    private final Object host;
    private final Object request;
    private final Object entityProducer;
    private final AttemptConsumer.AppConsumer appConsumer;
    private final Object pushHandlers;
    private final Object callback;
    private final CallSpec spec;
    private final AttemptTimeouts timeouts;
    private final CallScope scope;
    private final long leveeConnectNanos;

    Call(Object client, HttpClient5Classes hc, Object[] args, Object request, Object entityProducer, CallSpec spec,
        AttemptTimeouts timeouts, CallScope scope, long leveeConnectNanos) {
      this.client = client;
      this.hc = hc;
      this.host = args[0];
      this.request = request;
      this.entityProducer = entityProducer;
      this.appConsumer = new AttemptConsumer.AppConsumer(args[2]);
      this.pushHandlers = args[3];
      this.callback = args[5];
      this.spec = spec;
      this.timeouts = timeouts;
      this.scope = scope;
      this.leveeConnectNanos = leveeConnectNanos;
    }

    /**
     * One attempt: a copy of the app's request (the app's object is never changed), a producer of its own
     * (a fresh {@code SimpleRequestProducer} for a {@code SimpleHttpRequest}, else the app's body producer
     * behind the copied head), and an {@link AttemptConsumer} in front of the app's consumer.
     */
    @Override
    public CompletableFuture<AsyncResult> start(AttemptContext a) {
      AsyncAttemptFuture attempt = new AsyncAttemptFuture(pipeline.timer());
      String target = spec.target().toString();
      Future<?> exchange;
      Object[] runtime;
      try {
        boolean simple = hc.simpleHttpRequest.isInstance(request);
        Object config = null;
        Object copy = request;
        try {
          Faults.at(Faults.Step.ATTEMPT);
          config = timeouts.forAttempt(hc, a.timeoutNanos(), leveeConnectNanos, true);
          copy = requests.asyncCopy(hc, request, config, requests.headerDeadline(a.deadlineMillis(), spec.target()));
        } catch (Throwable t) {
          LeveeLog.warnOnce("apache-httpclient5.async.attempt",
              "could not build an async HttpClient attempt; the app's request goes as it is", t);
        }
        Object context = scope.forAttempt(simple ? null : config);
        Object producer = simple ? hc.newSimpleRequestProducer(copy) : hc.newRequestProducer(copy, entityProducer);
        AttemptConsumer consuming = AttemptConsumer.create(appConsumer, a, attempt, target);
        Object consumer = LibraryProxies.implement(hc.asyncResponseConsumer, consuming);
        Object callback = LibraryProxies.implement(hc.futureCallback, (proxy, method, margs) -> {
          switch (method.getName()) {
            case "completed":
              attempt.complete(new AsyncResult(margs[0], consuming.head()));
              break;
            case "failed":
              attempt.completeExceptionally((Throwable) margs[0]);
              break;
            default:
              attempt.cancel(false);
          }
          return null;
        });
        runtime = ExchangePhase.arm();
        PassThrough.mark();
        try {
          exchange = (Future<?>) LibraryMethods.invoke(client, "execute", host, producer, consumer, pushHandlers, context, callback);
        } finally {
          PassThrough.clear();
          ExchangePhase.disarm();
        }
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable t) {
        attempt.completeExceptionally(t);
        return attempt;
      }
      attempt.started(exchange, a.timeoutNanos(), target, runtime);
      return attempt;
    }

    @Override
    public Outcome classify(AsyncResult result) {
      try {
        return result.head == null ? Outcome.SUCCESS : Outcome.status(ApacheOutcomes.code(result.head));
      } catch (Throwable t) {
        return Outcome.SUCCESS;
      }
    }

    @Override
    public Outcome classify(Throwable error) {
      return ApacheOutcomes.classify(error);
    }

    @Override
    public long retryAfterMillis(AsyncResult result, long nowEpochMillis) {
      return result.head == null ? -1 : ApacheOutcomes.retryAfterMillis(result.head, nowEpochMillis);
    }

    /** A retried response's body was read and dropped by its {@link AttemptConsumer}: nothing to free. */
    @Override
    public void discard(AsyncResult result) {}

    @Override
    public Exception rejection(Rejection reason, String message) {
      return ApacheOutcomes.rejection(reason, message);
    }
  }
}
