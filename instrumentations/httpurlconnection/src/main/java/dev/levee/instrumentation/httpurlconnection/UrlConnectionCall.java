package dev.levee.instrumentation.httpurlconnection;

import dev.levee.core.Faults;
import dev.levee.core.LeveeLog;
import dev.levee.core.LeveeTimer;
import dev.levee.core.Target;
import dev.levee.core.pipeline.Attempt;
import dev.levee.core.pipeline.AttemptContext;
import dev.levee.core.pipeline.CallSpec;
import dev.levee.core.pipeline.LeveeFault;
import dev.levee.instrumentation.api.BoundedStream;
import dev.levee.instrumentation.api.DeclaredExceptions;
import dev.levee.instrumentation.api.PassThrough;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.ProtocolException;
import java.net.Proxy;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One connection object of the app's, as a call through the pipeline. The app sets it up as it always does;
 * when it first needs the response ({@code getResponseCode}, {@code getInputStream}, a header), the call
 * runs: each attempt opens a fresh JDK connection, gives it everything the app set (method, headers,
 * timeouts, body, TLS settings), tightens its timeouts to the attempt's budget, adds the deadline header and
 * reads the response head. The final attempt's connection is then the app's answer: every getter reads it, a
 * 503 after the last attempt included ({@code getResponseCode() == 503}, its {@code getErrorStream()}).
 *
 * <p>A body the app writes is buffered, as the JDK buffers it itself unless a streaming mode is set, and so
 * can be sent again. With {@code setFixedLengthStreamingMode} or {@code setChunkedStreamingMode} the body goes
 * straight to the wire and cannot be replayed: such a call has one attempt, from {@code getOutputStream} to the
 * response head, admitted and bounded like any other ({@link #startStreamed}).
 */
final class UrlConnectionCall {

  /** What the call reads from the app's connection object, whichever JDK class it extends. */
  interface AppConnection {
    /** The app's connection, for its settings' public getters. */
    HttpURLConnection settings();

    /** The request headers as the app left them when its connection was marked connected. */
    Map<String, List<String>> requestHeaders();

    /** Whether the app set a fixed-length or chunked streaming mode. */
    boolean streaming();

    /** Copies what only this kind of connection has (TLS settings, the authenticator) to a JDK connection. */
    void copyExtrasTo(HttpURLConnection real);
  }

  private static final List<String> DECLARED = Collections.singletonList(IOException.class.getName());

  private final AppConnection app;
  private final URL url;
  private final Proxy proxy;
  private final HttpUrlConnectionHooks hooks;

  private ByteArrayOutputStream body;
  private volatile boolean sent;
  /** The JDK connection whose response the app reads; null until sent, or when the call failed. */
  private volatile HttpURLConnection answer;
  /** What the call failed with, thrown again by every later getter (as the JDK's connection does); null until then. */
  private Throwable failure;
  private volatile BoundedStream input;
  private volatile BoundedStream error;
  private volatile Expiry bodyLimit;
  /** The JDK connection of the attempt in flight, for the app's {@code disconnect()} from another thread. */
  private volatile HttpURLConnection current;
  private volatile boolean disconnected;
  /** A streaming-mode call's one attempt, from {@code getOutputStream} to the response head. */
  private StreamedAttempt streamed;
  private final HttpUrlConnectionOutcomes outcomes = new HttpUrlConnectionOutcomes(new BooleanSupplier() {
    @Override
    public boolean getAsBoolean() {
      return disconnected;
    }
  });

  UrlConnectionCall(AppConnection app, URL url, Proxy proxy, HttpUrlConnectionHooks hooks) {
    this.app = app;
    this.url = url;
    this.proxy = proxy;
    this.hooks = hooks;
  }

  // ---- what the app's connection asks ----

  /**
   * {@code getOutputStream()}: a buffer, as the JDK's own {@code PosterOutputStream}; in a streaming mode the
   * stream of the JDK connection the call's one attempt opened ({@link #startStreamed}).
   */
  synchronized OutputStream outputStream() throws IOException {
    HttpURLConnection settings = app.settings();
    if (!settings.getDoOutput()) {
      throw new ProtocolException("cannot write to a URLConnection if doOutput=false - call setDoOutput(true)");
    }
    if (app.streaming()) {
      if (!sent) {
        startStreamed();
      }
      StreamedAttempt s = streamed;
      return s != null ? s.out : answer().getOutputStream();
    }
    if (sent) {
      throw new ProtocolException("Cannot write output after reading input.");
    }
    if (body == null) {
      body = new ByteArrayOutputStream();
    }
    return body;
  }

  /** The JDK connection the app reads; runs the call first. Throws what the call ended with. */
  synchronized HttpURLConnection answer() throws IOException {
    if (!sent) {
      send();
    }
    StreamedAttempt s = streamed;
    if (s != null) {
      streamed = null;
      s.finish();
      finish(s.result);
    }
    if (answer == null) {
      throw rethrown(failure);
    }
    return answer;
  }

  private static IOException rethrown(Throwable failure) {
    if (failure instanceof RuntimeException) {
      throw (RuntimeException) failure;
    }
    if (failure instanceof Error) {
      throw (Error) failure;
    }
    return (IOException) failure;
  }

  /** The answer, or null when the call has not run or failed: for getters that never throw. */
  HttpURLConnection answerIfAny() {
    try {
      return answer();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The answer if the call has run, without running it; else null. */
  HttpURLConnection answerIfSent() {
    return answer;
  }

  /** Null until the call ran (the JDK's {@code getErrorStream} does not connect), else the answer's. */
  InputStream errorStream() {
    HttpURLConnection a = answer;
    if (a == null) {
      return null;
    }
    InputStream raw = a.getErrorStream();
    if (raw == null || bodyLimit == null) {
      return raw;
    }
    BoundedStream e = error;
    if (e == null || e.raw() != raw) {
      e = new BoundedStream(raw, bodyLimit);
      error = e;
    }
    return e;
  }

  InputStream inputStream() throws IOException {
    HttpURLConnection a = answer();
    InputStream raw = a.getInputStream();
    if (bodyLimit == null) {
      return raw;
    }
    BoundedStream in = input;
    if (in == null || in.raw() != raw) {
      in = new BoundedStream(raw, bodyLimit);
      input = in;
    }
    return in;
  }

  /**
   * {@code disconnect()}: the answer's connection, or the attempt's in flight (from another thread, as the JDK
   * lets an app abort a call); a call the app disconnected is not retried.
   */
  void disconnect() {
    if (sent) {
      disconnected = true;
    }
    HttpURLConnection inFlight = current;
    if (inFlight != null) {
      inFlight.disconnect();
    }
    Expiry limit = bodyLimit;
    if (limit != null) {
      limit.disarm();
    }
    HttpURLConnection a = answer;
    if (a != null) {
      a.disconnect();
    }
  }

  // ---- the call ----

  private void send() throws IOException {
    sent = true;
    Prepared p = prepare();
    if (p == null) {
      runUntouched();
      return;
    }
    try {
      Exchange exchange = hooks.pipeline.execute(p.spec, new BufferedAttempts(p.request), outcomes);
      answer = exchange.connection;
      boundBody(exchange);
    } catch (LeveeFault fault) {
      LeveeLog.warnOnce("httpurlconnection.call",
          "could not apply Levee to an HttpURLConnection call; it runs untouched", fault.getCause());
      runUntouched();
    } catch (Exception e) {
      throw failed(e);
    }
  }

  /**
   * A streaming-mode call: the body goes to the wire as the app writes it, so it has one attempt, which starts
   * at {@code getOutputStream} (admitted by the breaker, the rate limiter and the bulkhead first, its timeouts
   * tightened and the deadline header added) and ends when the app asks for the response. The pipeline's
   * non-blocking form lets the attempt span the app's own writing; this thread waits for its admission.
   */
  private void startStreamed() throws IOException {
    sent = true;
    Prepared p = prepare();
    if (p == null) {
      runUntouched();
      return;
    }
    CompletableFuture<AttemptContext> admitted = new CompletableFuture<>();
    CompletableFuture<Exchange> head = new CompletableFuture<>();
    CompletableFuture<Exchange> result;
    try {
      result = hooks.pipeline.executeAsync(p.spec, attempt -> {
        admitted.complete(attempt);
        return head;
      }, outcomes);
    } catch (LeveeFault fault) {
      LeveeLog.warnOnce("httpurlconnection.call",
          "could not apply Levee to an HttpURLConnection call; it runs untouched", fault.getCause());
      runUntouched();
      return;
    }
    try {
      CompletableFuture.anyOf(admitted, result).get();
    } catch (ExecutionException refused) {
      // the call ended before an attempt started: finish says how
    } catch (InterruptedException e) {
      result.cancel(true);
      throw failed(e);
    }
    if (!admitted.isDone()) {
      finish(result);
      return;
    }
    AttemptContext attempt = admitted.join();
    HttpURLConnection real = null;
    Expiry limit = null;
    try {
      real = open();
      copySettings(real, p.request.method, p.request.headers);
      addLeveeSettings(real, attempt);
      limit = headLimit(real, attempt.timeoutNanos());
      current = real;
      streamed = new StreamedAttempt(real, attempt, real.getOutputStream(), limit, head, result);
    } catch (IOException | RuntimeException | Error e) {
      if (real != null) {
        real.disconnect();
      }
      if (limit != null) {
        limit.disarm();
      }
      head.completeExceptionally(limit != null && e instanceof IOException ? limit.failure((IOException) e) : e);
      finish(result);
    }
  }

  /** The call's end: its answer, or what it failed with, which is thrown. */
  private void finish(CompletableFuture<Exchange> result) throws IOException {
    try {
      Exchange exchange = result.get();
      answer = exchange.connection;
      boundBody(exchange);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw failed(cause);
    } catch (InterruptedException e) {
      result.cancel(true);
      throw failed(e);
    } finally {
      current = null;
    }
  }

  /**
   * What the app gets for the call's exception: its own IOException (or unchecked exception), remembered for
   * every later getter; anything else checked becomes the IOException the JDK's methods declare.
   */
  private IOException failed(Throwable e) {
    Throwable thrown = e instanceof IOException || e instanceof RuntimeException || e instanceof Error
        ? e
        : DeclaredExceptions.asDeclared(e, DECLARED);
    failure = thrown;
    return rethrown(thrown);
  }

  /** The request and its spec, read before anything is sent; null when Levee could not (the call runs untouched). */
  private Prepared prepare() {
    try {
      Request request = request();
      Faults.at(Faults.Step.REQUEST);
      return new Prepared(request, spec(request));
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      LeveeLog.warnOnce("httpurlconnection.request",
          "could not apply Levee to an HttpURLConnection call; it runs untouched", t);
      return null;
    }
  }

  private static final class Prepared {
    final Request request;
    final CallSpec spec;

    Prepared(Request request, CallSpec spec) {
      this.request = request;
      this.spec = spec;
    }
  }

  /** A streaming-mode call's attempt between {@code getOutputStream} and the response head. */
  private final class StreamedAttempt {
    final HttpURLConnection real;
    final AttemptContext attempt;
    final OutputStream out;
    final Expiry limit;
    final CompletableFuture<Exchange> head;
    final CompletableFuture<Exchange> result;

    StreamedAttempt(HttpURLConnection real, AttemptContext attempt, OutputStream out, Expiry limit,
        CompletableFuture<Exchange> head, CompletableFuture<Exchange> result) {
      this.real = real;
      this.attempt = attempt;
      this.out = out;
      this.limit = limit;
      this.head = head;
      this.result = result;
    }

    /** The app asks for the response: the head is read, and the attempt ends with it. */
    void finish() {
      try {
        real.getResponseCode();
        head.complete(new Exchange(real, attempt));
      } catch (IOException e) {
        real.disconnect();
        head.completeExceptionally(limit.failure(e));
      } catch (RuntimeException e) {
        head.completeExceptionally(e);
      } finally {
        limit.disarm();
      }
    }
  }

  /** The app's request as it stands when the call starts. */
  private Request request() {
    HttpURLConnection s = app.settings();
    return new Request(s.getRequestMethod(), app.requestHeaders(), body == null ? null : body.toByteArray(), app.streaming());
  }

  private CallSpec spec(Request request) {
    Target target = Target.ofHttp(url.getProtocol(), url.getHost(), url.getPort());
    String idempotencyKey = request.header("Idempotency-Key");
    long inherited = hooks.deadlineHeaders.inherited(request.header(hooks.deadlineHeaders.name()), System.currentTimeMillis());
    return new CallSpec(target, request.method, idempotencyKey != null, !request.streaming, inherited);
  }

  /** The app's connection as the JDK alone would run it: one JDK connection with the app's settings. */
  private void runUntouched() throws IOException {
    sent = true;
    HttpURLConnection real = open();
    copySettings(real, app.settings().getRequestMethod(), app.requestHeaders());
    byte[] bytes = body == null ? null : body.toByteArray();
    if (bytes != null) {
      writeBody(real, bytes);
    }
    answer = real;
  }

  /** One attempt: a fresh JDK connection, the app's settings and Levee's, the request sent and the head read. */
  private Exchange attempt(Request request, AttemptContext attempt) throws IOException {
    if (disconnected) {
      throw new SocketException("Socket closed: the app disconnected");
    }
    HttpURLConnection real = open();
    copySettings(real, request.method, request.headers);
    addLeveeSettings(real, attempt);
    Expiry limit = headLimit(real, attempt.timeoutNanos());
    current = real;
    boolean[] inAttempt = HttpUrlConnectionHooks.attempting();
    try {
      if (request.body != null) {
        writeBody(real, request.body);
      }
      real.getResponseCode();
      return new Exchange(real, attempt);
    } catch (IOException e) {
      real.disconnect();
      throw limit.failure(e);
    } finally {
      inAttempt[0] = false;
      limit.disarm();
      current = null;
    }
  }

  /** Each attempt of a call whose body, if any, is buffered: {@link #attempt}. A class, not a lambda: see Startup. */
  private final class BufferedAttempts implements Attempt<Exchange> {
    private final Request request;

    BufferedAttempts(Request request) {
      this.request = request;
    }

    @Override
    public Exchange run(AttemptContext attempt) throws IOException {
      return attempt(request, attempt);
    }
  }

  /** The attempt's timeouts and the deadline header; should that fail, the attempt goes with the app's own. */
  private void addLeveeSettings(HttpURLConnection real, AttemptContext attempt) {
    try {
      Faults.at(Faults.Step.ATTEMPT);
      Target target = Target.ofHttp(url.getProtocol(), url.getHost(), url.getPort());
      AttemptTimeouts.apply(real, attempt.timeoutNanos(), hooks.pipeline.policyFor(target).timeout().connect().toNanos());
      if (attempt.deadlineMillis() != CallSpec.NO_DEADLINE && hooks.deadlineHeaders.sendsTo(target)) {
        real.setRequestProperty(hooks.deadlineHeaders.name(),
            hooks.deadlineHeaders.value(attempt.deadlineMillis(), System.currentTimeMillis()));
      }
    } catch (Throwable t) {
      LeveeLog.warnOnce("httpurlconnection.attempt", "could not add the deadline header and timeouts to an "
          + "HttpURLConnection attempt; it goes with the app's own", t);
    }
  }

  /** Levee's timer for the attempt: the response head must be in within its budget. */
  private Expiry headLimit(HttpURLConnection real, long timeoutNanos) {
    return Expiry.arm(hooks.pipeline.timer(), real, timeoutNanos,
        "levee: no response head from " + url.getHost() + ":" + port() + " within " + timeoutNanos / 1_000_000 + "ms");
  }

  private int port() {
    return url.getPort() >= 0 ? url.getPort() : url.getDefaultPort();
  }

  /** The answer's body must be read before the call's deadline, when it has one. */
  private void boundBody(Exchange exchange) {
    long left = exchange.attempt.nanosLeft();
    if (left == Long.MAX_VALUE) {
      return;
    }
    try {
      bodyLimit = Expiry.arm(hooks.pipeline.timer(), exchange.connection, left,
          "levee: the response body from " + url.getHost() + ":" + port() + " was not complete within the call's "
              + "deadline (" + left / 1_000_000 + "ms after its headers)");
    } catch (Throwable t) {
      LeveeLog.warnOnce("httpurlconnection.body", "could not bound a response body by the call's deadline", t);
    }
  }

  /** A JDK connection for the URL, opened with the thread marked so that the handler's hook lets it through. */
  private HttpURLConnection open() throws IOException {
    PassThrough.mark();
    try {
      return (HttpURLConnection) (proxy == null ? url.openConnection() : url.openConnection(proxy));
    } finally {
      PassThrough.clear();
    }
  }

  /** Everything the app set on its connection, onto a JDK connection. */
  private void copySettings(HttpURLConnection real, String method, Map<String, List<String>> headers) throws IOException {
    HttpURLConnection s = app.settings();
    real.setRequestMethod(method);
    real.setDoInput(s.getDoInput());
    real.setDoOutput(s.getDoOutput());
    real.setUseCaches(s.getUseCaches());
    real.setIfModifiedSince(s.getIfModifiedSince());
    real.setAllowUserInteraction(s.getAllowUserInteraction());
    real.setInstanceFollowRedirects(s.getInstanceFollowRedirects());
    real.setConnectTimeout(s.getConnectTimeout());
    real.setReadTimeout(s.getReadTimeout());
    for (Map.Entry<String, List<String>> h : headers.entrySet()) {
      if (h.getKey() == null) {
        continue;
      }
      for (String v : h.getValue()) {
        real.addRequestProperty(h.getKey(), v);
      }
    }
    app.copyExtrasTo(real);
  }

  private static void writeBody(HttpURLConnection real, byte[] bytes) throws IOException {
    real.setDoOutput(true);
    try (OutputStream out = real.getOutputStream()) {
      out.write(bytes);
    }
  }

  /** The streaming mode and the authenticator the app set, onto a JDK connection: both kinds of connection have them. */
  static void copyStreamingAndAuthenticator(HttpURLConnection app, HttpURLConnection real, int chunkLength,
      int fixedContentLength, long fixedContentLengthLong, java.net.Authenticator authenticator) {
    if (chunkLength != -1) {
      real.setChunkedStreamingMode(chunkLength);
    } else if (fixedContentLengthLong != -1) {
      real.setFixedLengthStreamingMode(fixedContentLengthLong);
    } else if (fixedContentLength != -1) {
      real.setFixedLengthStreamingMode(fixedContentLength);
    }
    if (authenticator != null) {
      real.setAuthenticator(authenticator);
    }
  }

  /** {@code usingProxy()}: the answer's, else whether the app asked for an HTTP proxy. */
  static boolean usingProxy(UrlConnectionCall call) {
    HttpURLConnection a = call.answer;
    if (a != null) {
      return a.usingProxy();
    }
    return call.proxy != null && call.proxy.type() == Proxy.Type.HTTP;
  }

  /** A header's first value in a map of the app's headers, its name compared case-insensitively. */
  static String firstValue(Map<String, List<String>> headers, String name) {
    if (name == null) {
      return null;
    }
    for (Map.Entry<String, List<String>> h : headers.entrySet()) {
      if (name.equalsIgnoreCase(h.getKey()) && !h.getValue().isEmpty()) {
        return h.getValue().get(0);
      }
    }
    return null;
  }

  /** What an attempt sends: the app's request, read once when the call starts. */
  static final class Request {
    final String method;
    final Map<String, List<String>> headers;
    final byte[] body;
    final boolean streaming;

    Request(String method, Map<String, List<String>> headers, byte[] body, boolean streaming) {
      this.method = method;
      this.headers = headers;
      this.body = body;
      this.streaming = streaming;
    }

    String header(String name) {
      return firstValue(headers, name);
    }
  }

  /** An attempt's JDK connection with its response head read, and the attempt it belongs to. */
  static final class Exchange {
    final HttpURLConnection connection;
    final AttemptContext attempt;

    Exchange(HttpURLConnection connection, AttemptContext attempt) {
      this.connection = connection;
      this.attempt = attempt;
    }
  }

  /** {@code disconnect()} of a JDK connection, as a task. */
  private static final class Disconnect implements Runnable {
    private final HttpURLConnection connection;

    Disconnect(HttpURLConnection connection) {
      this.connection = connection;
    }

    @Override
    public void run() {
      connection.disconnect();
    }
  }

  /**
   * A timer of Levee's that ends a JDK connection's exchange on time by disconnecting it: the JDK's read
   * timeout is renewed by every byte, so a server that trickles its head or its body never trips it. What the
   * exchange then throws reaches the caller as a {@code SocketTimeoutException}, the JDK's own type for a read
   * that ran out of time.
   */
  static final class Expiry implements BoundedStream.Limit, Runnable {
    private final HttpURLConnection connection;
    private final String why;
    private volatile ScheduledFuture<?> armed;
    private volatile IOException expired;

    private Expiry(HttpURLConnection connection, String why) {
      this.connection = connection;
      this.why = why;
    }

    /** @param why the message of the {@code SocketTimeoutException} the exchange ends with, should the timer fire */
    static Expiry arm(java.util.concurrent.ScheduledExecutorService timer, HttpURLConnection connection, long nanos,
        String why) {
      Expiry e = new Expiry(connection, why);
      try {
        Faults.at(Faults.Step.SCHEDULE);
        e.armed = timer.schedule(e, Math.max(nanos, 0), TimeUnit.NANOSECONDS);
      } catch (Throwable t) {
        LeveeLog.warnOnce("httpurlconnection.timer", "could not arm Levee's timer for an HttpURLConnection exchange; "
            + "its own timeouts bound it", t);
      }
      return e;
    }

    /**
     * The timer fired: the exchange ends now. The reader's next read fails with {@link #expired}; the
     * connection is disconnected off Levee's timer, since the JDK's {@code disconnect()} first drains what is
     * left of a short keep-alive body, as slowly as the server sends it: on the timer that held up every other
     * call's timer behind it (a second trickled body read to its end long past its deadline).
     */
    @Override
    public void run() {
      expired = new SocketTimeoutException(why);
      LeveeTimer.offTimer(new Disconnect(connection));
    }

    @Override
    public void disarm() {
      ScheduledFuture<?> a = armed;
      if (a != null) {
        a.cancel(false);
      }
    }

    /** The timer's exception when it ended the exchange (the JDK's as its cause), else {@code thrown}. */
    @Override
    public IOException failure(IOException thrown) {
      return BoundedStream.expiredOr(expired, thrown);
    }

    @Override
    public IOException expired() {
      return expired;
    }
  }
}
