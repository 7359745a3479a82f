package dev.levee.instrumentation.jdkhttp;

import dev.levee.core.Faults;
import dev.levee.core.pipeline.CallPipeline;
import dev.levee.core.pipeline.AttemptContext;
import dev.levee.core.pipeline.CallSpec;
import dev.levee.core.pipeline.LeveeFault;
import dev.levee.instrumentation.api.LeveeRuntime;
import dev.levee.instrumentation.api.PassThrough;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * What the hooked JDK HttpClient methods hand over to: the pipeline run on the caller's thread, or async.
 * The guard around each (the pipeline's own attempts pass untouched, a fault of Levee's before anything is
 * sent lets the call run untouched) is the hook seam's ({@code MethodHook.entry}).
 */
final class JdkHttpClientHooks {

  /**
   * Set while this thread starts one of Levee's attempts: the JDK builds the attempt's {@code MultiExchange}
   * and calls its {@code responseAsync} on the thread that sends, so its field hook knows the exchange is
   * one of Levee's attempts.
   */
  private static final ThreadLocal<boolean[]> STARTING_ATTEMPT = ThreadLocal.withInitial(() -> new boolean[1]);

  private final CallPipeline pipeline;
  private final JdkHttpRequests requests;
  private final Duration connectTimeout;

  JdkHttpClientHooks(LeveeRuntime runtime) {
    this.pipeline = runtime.http();
    this.requests = new JdkHttpRequests(runtime.deadlineHeaders());
    this.connectTimeout = runtime.config().http().defaults().timeout().connect();
  }

  /** {@code HttpClientImpl.send(request, handler)}. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  Object send(Object self, Object[] args) throws Exception {
    HttpClient client = (HttpClient) self;
    HttpRequest request = (HttpRequest) args[0];
    HttpResponse.BodyHandler handler = (HttpResponse.BodyHandler) args[1];
    CallSpec call = spec(request);
    return pipeline.execute(
        call,
        attempt -> attempt(request, handler, attempt, call, client::send),
        JdkHttpOutcomes.INSTANCE);
  }

  /** {@code HttpClientImpl.sendAsync(request, handler, pushPromiseHandler)}. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  Object sendAsync(Object self, Object[] args) {
    HttpClient client = (HttpClient) self;
    HttpRequest request = (HttpRequest) args[0];
    HttpResponse.BodyHandler handler = (HttpResponse.BodyHandler) args[1];
    HttpResponse.PushPromiseHandler pushPromises = (HttpResponse.PushPromiseHandler) args[2];
    CallSpec call = spec(request);
    return pipeline.executeAsync(
        call,
        attempt -> attempt(request, handler, attempt, call, (sent, attemptHandler) -> client.sendAsync(sent, attemptHandler, pushPromises)),
        JdkHttpOutcomes.INSTANCE);
  }

  /** The client's own {@code send} or {@code sendAsync} of one attempt's request. */
  private interface Send<T, E extends Exception> {
    T send(HttpRequest sent, HttpResponse.BodyHandler<?> handler) throws E;
  }

  /**
   * One attempt: the request's copy for it and the app's body handler behind the attempt's, sent by the client
   * itself with the thread marked, so that the woven method runs untouched.
   */
  private <T, E extends Exception> T attempt(HttpRequest request, HttpResponse.BodyHandler<?> handler,
      AttemptContext attempt, CallSpec call, Send<T, E> send) throws E {
    HttpRequest sent = requests.forAttempt(request, attempt);
    HttpResponse.BodyHandler<?> attemptHandler = new AttemptBodyHandler<>(handler, attempt, pipeline.timer(), call.target().toString());
    boolean[] starting = startingAttempt();
    try {
      return send.send(sent, attemptHandler);
    } finally {
      PassThrough.clear();
      starting[0] = false;
    }
  }

  /** Marks the thread: the send it makes now is one of Levee's attempts. Cleared by the caller. */
  private static boolean[] startingAttempt() {
    boolean[] starting = STARTING_ATTEMPT.get();
    starting[0] = true;
    PassThrough.mark();
    return starting;
  }

  /**
   * {@code MultiExchange.responseAsync}, on entry: the JDK re-sends a request once by itself when a connection
   * closes before any response byte (on a fresh connection too), and retries a refused connect once. Inside
   * one of Levee's attempts that would multiply Levee's own attempts, so the exchange starts as if it had
   * already retried once ({@code expiredOnce}, {@code retriedOnce} in newer JDKs): the JDK then fails at once
   * with the very exception it would have ended with after its own retry, and Levee decides.
   */
  Object alreadyRetried(Object exchange, Object retried) {
    boolean[] starting = STARTING_ATTEMPT.get();
    if (!starting[0]) {
      return null;
    }
    starting[0] = false; // one exchange per send: taken by the first
    return Boolean.TRUE;
  }

  /** The builder's connect timeout: the app's when it is stricter, else http.defaults.timeout.connect. */
  Object connectTimeout(Object builder, Object appTimeout) {
    if (appTimeout instanceof Duration && ((Duration) appTimeout).compareTo(connectTimeout) <= 0) {
      return appTimeout;
    }
    return connectTimeout;
  }

  private CallSpec spec(HttpRequest request) {
    return LeveeFault.guard(() -> {
      Faults.at(Faults.Step.REQUEST);
      return requests.spec(request);
    });
  }
}
