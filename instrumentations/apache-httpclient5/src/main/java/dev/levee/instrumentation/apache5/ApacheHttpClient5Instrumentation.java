package dev.levee.instrumentation.apache5;

import dev.levee.instrumentation.api.LeveeInstrumentation;
import dev.levee.instrumentation.api.LeveeRuntime;
import dev.levee.instrumentation.api.MethodHook;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Apache HttpClient 5, classic and async. Hooked by exact class, name and descriptor; the same six hold
 * from 5.2 to 5.6 (checked with javap on 5.2.3 and 5.6.5). A version without one of them is skipped there
 * with one warning.
 *
 * <ul>
 *   <li>classic: {@code doExecute(HttpHost, ClassicHttpRequest, HttpContext)} of {@code InternalHttpClient}
 *       (every {@code HttpClients.createDefault/custom/createSystem/HttpClientBuilder} client) and of
 *       {@code MinimalHttpClient} ({@code HttpClients.createMinimal}); it is abstract in
 *       {@code CloseableHttpClient}, where every {@code execute} overload ends;
 *   <li>async: {@code doExecute(HttpHost, AsyncRequestProducer, AsyncResponseConsumer, HandlerFactory,
 *       HttpContext, FutureCallback)} of {@code InternalAbstractHttpAsyncClient} (HTTP/1.1 and HTTP/2
 *       clients) and {@code AbstractMinimalHttpAsyncClientBase} (the minimal ones);
 *   <li>the client's own retries: {@code HttpRequestRetryExec.execute} and
 *       {@code AsyncHttpRequestRetryExec.execute}, which stand aside inside Levee's attempts
 *       ({@link ClientRetries});
 *   <li>where an exchange starts, {@code ConnectExec.execute} and {@code AsyncConnectExec.execute}: nothing
 *       changes, Levee only learns where an attempt it ends on time stood ({@link ExchangePhase}).
 *   <li>{@code HttpUriRequestBase.cancel()} (every classic request class's), which passes the app's cancel of its
 *       request on to the attempt in flight ({@code AppStop}) and then runs as it is.
 * </ul>
 */
public final class ApacheHttpClient5Instrumentation implements LeveeInstrumentation<ApacheHttpClient5Instrumentation.ApacheHooks> {

  static final String CLASSIC_DO_EXECUTE = "(Lorg/apache/hc/core5/http/HttpHost;Lorg/apache/hc/core5/http/ClassicHttpRequest;"
      + "Lorg/apache/hc/core5/http/protocol/HttpContext;)Lorg/apache/hc/client5/http/impl/classic/CloseableHttpResponse;";
  static final String ASYNC_DO_EXECUTE = "(Lorg/apache/hc/core5/http/HttpHost;Lorg/apache/hc/core5/http/nio/AsyncRequestProducer;"
      + "Lorg/apache/hc/core5/http/nio/AsyncResponseConsumer;Lorg/apache/hc/core5/http/nio/HandlerFactory;"
      + "Lorg/apache/hc/core5/http/protocol/HttpContext;Lorg/apache/hc/core5/concurrent/FutureCallback;)"
      + "Ljava/util/concurrent/Future;";
  /** Every classic exec handler's {@code execute}: the retry and the connect exec's alike. */
  static final String RETRY_EXEC_EXECUTE = "(Lorg/apache/hc/core5/http/ClassicHttpRequest;"
      + "Lorg/apache/hc/client5/http/classic/ExecChain$Scope;Lorg/apache/hc/client5/http/classic/ExecChain;)"
      + "Lorg/apache/hc/core5/http/ClassicHttpResponse;";
  static final String ASYNC_RETRY_EXEC_EXECUTE = "(Lorg/apache/hc/core5/http/HttpRequest;"
      + "Lorg/apache/hc/core5/http/nio/AsyncEntityProducer;Lorg/apache/hc/client5/http/async/AsyncExecChain$Scope;"
      + "Lorg/apache/hc/client5/http/async/AsyncExecChain;Lorg/apache/hc/client5/http/async/AsyncExecCallback;)V";

  /** What every exec handler's {@code execute} declares, classic and async alike. */
  private static final String[] EXEC_THROWS = {"java.io.IOException", "org.apache.hc.core5.http.HttpException"};

  /** The base of the classic request classes, whose {@code cancel()} reaches the attempt in flight. */
  static final String CANCELLABLE_REQUEST = "org.apache.hc.client5.http.classic.methods.HttpUriRequestBase";

  private static final String CLASSIC_PACKAGE = "org.apache.hc.client5.http.impl.classic.";
  private static final String ASYNC_PACKAGE = "org.apache.hc.client5.http.impl.async.";

  @Override
  public String name() {
    return "apache-httpclient5";
  }

  /** The library's classes and members the default classic client's first call looks up. */
  @Override
  public void warmUp(ClassLoader loader) throws Exception {
    HttpClient5Classes.lookUpBesideDefaultClient(loader);
  }

  /** Declared when one of these loads: an app without HttpClient 5 pays nothing for it at startup. */
  @Override
  public List<String> hookedClasses() {
    return Arrays.asList(CLASSIC_PACKAGE + "InternalHttpClient", CLASSIC_PACKAGE + "MinimalHttpClient",
        CLASSIC_PACKAGE + "HttpRequestRetryExec", CLASSIC_PACKAGE + "ConnectExec",
        ASYNC_PACKAGE + "InternalAbstractHttpAsyncClient", ASYNC_PACKAGE + "AbstractMinimalHttpAsyncClientBase",
        ASYNC_PACKAGE + "AsyncHttpRequestRetryExec", ASYNC_PACKAGE + "AsyncConnectExec", CANCELLABLE_REQUEST);
  }

  @Override
  public List<MethodHook<ApacheHooks>> methodHooks() {
    // one handler for both clients' doExecute, classic and async: each lambda spins a class of its own
    MethodHook.Handler<ApacheHooks> classicDoExecute = (h, self, args) -> h.classic.doExecute(self, args);
    MethodHook.Handler<ApacheHooks> asyncDoExecute = (h, self, args) -> h.async.doExecute(self, args);
    return Arrays.asList(
        MethodHook.<ApacheHooks>call(CLASSIC_PACKAGE + "InternalHttpClient", "doExecute", CLASSIC_DO_EXECUTE,
            classicDoExecute).declaring(IOException.class),
        MethodHook.<ApacheHooks>call(CLASSIC_PACKAGE + "MinimalHttpClient", "doExecute", CLASSIC_DO_EXECUTE,
            classicDoExecute).declaring(IOException.class),
        MethodHook.<ApacheHooks>returnEarly(CANCELLABLE_REQUEST, "cancel", "()Z",
            (h, self, args) -> h.classic.appCancelled(self, args)),
        MethodHook.<ApacheHooks>returnEarly(CLASSIC_PACKAGE + "HttpRequestRetryExec", "execute", RETRY_EXEC_EXECUTE,
            (h, self, args) -> h.classic.retryExec(self, args)).declaring(EXEC_THROWS),
        MethodHook.<ApacheHooks>returnEarly(CLASSIC_PACKAGE + "ConnectExec", "execute", RETRY_EXEC_EXECUTE,
            (h, self, args) -> h.classic.connectExec(self, args)).declaring(EXEC_THROWS),
        MethodHook.<ApacheHooks>call(ASYNC_PACKAGE + "InternalAbstractHttpAsyncClient", "doExecute", ASYNC_DO_EXECUTE,
            asyncDoExecute),
        MethodHook.<ApacheHooks>call(ASYNC_PACKAGE + "AbstractMinimalHttpAsyncClientBase", "doExecute", ASYNC_DO_EXECUTE,
            asyncDoExecute),
        MethodHook.<ApacheHooks>returnEarly(ASYNC_PACKAGE + "AsyncHttpRequestRetryExec", "execute", ASYNC_RETRY_EXEC_EXECUTE,
            (h, self, args) -> h.async.retryExec(self, args)).declaring(EXEC_THROWS),
        MethodHook.<ApacheHooks>returnEarly(ASYNC_PACKAGE + "AsyncConnectExec", "execute", ASYNC_RETRY_EXEC_EXECUTE,
            (h, self, args) -> h.async.connectExec(self, args)).declaring(EXEC_THROWS));
  }

  @Override
  public ApacheHooks hooks(LeveeRuntime runtime) {
    return new ApacheHooks(new ApacheClassicHooks(runtime), new ApacheAsyncHooks(runtime));
  }

  /** The classic and the async client's hooks. */
  static final class ApacheHooks {
    final ApacheClassicHooks classic;
    final ApacheAsyncHooks async;

    ApacheHooks(ApacheClassicHooks classic, ApacheAsyncHooks async) {
      this.classic = classic;
      this.async = async;
    }
  }
}
