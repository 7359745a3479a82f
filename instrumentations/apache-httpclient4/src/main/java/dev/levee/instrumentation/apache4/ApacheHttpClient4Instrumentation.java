package dev.levee.instrumentation.apache4;

import dev.levee.instrumentation.api.LeveeInstrumentation;
import dev.levee.instrumentation.api.LeveeRuntime;
import dev.levee.instrumentation.api.MethodHook;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Apache HttpClient 4.3 to 4.5, the classic (blocking) client. Hooked by exact class, name and descriptor;
 * the same ones hold in 4.3.6 and 4.5.14 (checked with javap on both). A version without one of them is
 * skipped there with one warning.
 *
 * <ul>
 *   <li>{@code doExecute(HttpHost, HttpRequest, HttpContext)}, abstract in {@code CloseableHttpClient}, where
 *       every {@code execute} overload ends (with or without a {@code ResponseHandler}, an {@code HttpHost},
 *       an {@code HttpContext}), in its three implementations: {@code InternalHttpClient} (every
 *       {@code HttpClients.createDefault/custom/createSystem/HttpClientBuilder} client),
 *       {@code MinimalHttpClient} ({@code HttpClients.createMinimal}) and the deprecated
 *       {@code AbstractHttpClient} ({@code DefaultHttpClient}, {@code SystemDefaultHttpClient});
 *   <li>the client's own retries, which stand aside inside Levee's attempts ({@link ClientRetries}):
 *       {@code RetryExec.execute} (any {@code HttpRequestRetryHandler}, the app's own included) and
 *       {@code ServiceUnavailableRetryExec.execute} (a {@code ServiceUnavailableRetryStrategy}) of the
 *       builder's clients, and {@code AbstractHttpClient.getHttpRequestRetryHandler}, which hands the
 *       deprecated clients' request director its retry handler;
 *   <li>{@code AbstractExecutionAwareRequest.abort()} (every request class's), which passes the app's abort of
 *       its request on to the attempt in flight ({@code AppStop}) and then runs as it is.
 * </ul>
 */
public final class ApacheHttpClient4Instrumentation implements LeveeInstrumentation<ApacheClient4Hooks> {

  static final String DO_EXECUTE = "(Lorg/apache/http/HttpHost;Lorg/apache/http/HttpRequest;"
      + "Lorg/apache/http/protocol/HttpContext;)Lorg/apache/http/client/methods/CloseableHttpResponse;";
  /** Every exec chain element's {@code execute}. */
  static final String EXEC_EXECUTE = "(Lorg/apache/http/conn/routing/HttpRoute;Lorg/apache/http/client/methods/HttpRequestWrapper;"
      + "Lorg/apache/http/client/protocol/HttpClientContext;Lorg/apache/http/client/methods/HttpExecutionAware;)"
      + "Lorg/apache/http/client/methods/CloseableHttpResponse;";
  static final String GET_RETRY_HANDLER = "()Lorg/apache/http/client/HttpRequestRetryHandler;";

  /** What every exec chain element's {@code execute} declares. */
  private static final String[] EXEC_THROWS = {"java.io.IOException", "org.apache.http.HttpException"};

  /** The base of HttpClient's request classes, whose {@code abort()} reaches the attempt in flight. */
  static final String ABORTABLE_REQUEST = "org.apache.http.client.methods.AbstractExecutionAwareRequest";

  private static final String CLIENT_PACKAGE = "org.apache.http.impl.client.";
  private static final String EXEC_PACKAGE = "org.apache.http.impl.execchain.";

  @Override
  public String name() {
    return "apache-httpclient4";
  }

  /** Declared when one of these loads: an app without HttpClient 4 pays nothing for it at startup. */
  @Override
  public List<String> hookedClasses() {
    return Arrays.asList(CLIENT_PACKAGE + "InternalHttpClient", CLIENT_PACKAGE + "MinimalHttpClient",
        CLIENT_PACKAGE + "AbstractHttpClient", EXEC_PACKAGE + "RetryExec", EXEC_PACKAGE + "ServiceUnavailableRetryExec",
        ABORTABLE_REQUEST);
  }

  @Override
  public List<MethodHook<ApacheClient4Hooks>> methodHooks() {
    // one handler for the three doExecute: each method reference spins a class of its own at startup
    MethodHook.Handler<ApacheClient4Hooks> doExecute = ApacheClient4Hooks::doExecute;
    return Arrays.asList(
        MethodHook.<ApacheClient4Hooks>call(CLIENT_PACKAGE + "InternalHttpClient", "doExecute", DO_EXECUTE,
            doExecute).declaring(IOException.class),
        MethodHook.<ApacheClient4Hooks>call(CLIENT_PACKAGE + "MinimalHttpClient", "doExecute", DO_EXECUTE,
            doExecute).declaring(IOException.class),
        MethodHook.<ApacheClient4Hooks>call(CLIENT_PACKAGE + "AbstractHttpClient", "doExecute", DO_EXECUTE,
            doExecute).declaring(IOException.class),
        MethodHook.<ApacheClient4Hooks>returnEarly(ABORTABLE_REQUEST, "abort", "()V", ApacheClient4Hooks::appAborted),
        MethodHook.<ApacheClient4Hooks>returnEarly(EXEC_PACKAGE + "RetryExec", "execute", EXEC_EXECUTE,
            (h, self, args) -> ClientRetries.retryExec(self, args)).declaring(EXEC_THROWS),
        MethodHook.<ApacheClient4Hooks>returnEarly(EXEC_PACKAGE + "ServiceUnavailableRetryExec", "execute", EXEC_EXECUTE,
            (h, self, args) -> ClientRetries.serviceUnavailableRetryExec(self, args)).declaring(EXEC_THROWS),
        MethodHook.<ApacheClient4Hooks>returnEarly(CLIENT_PACKAGE + "AbstractHttpClient", "getHttpRequestRetryHandler",
            GET_RETRY_HANDLER, (h, self, args) -> ClientRetries.retryHandler(self)));
  }

  /** The library's classes and members the default client's first call looks up (~10 ms of it on JDK 25). */
  @Override
  public void warmUp(ClassLoader loader) throws Exception {
    HttpClient4Classes.lookUpBesideDefaultClient(loader);
  }

  @Override
  public ApacheClient4Hooks hooks(LeveeRuntime runtime) {
    return new ApacheClient4Hooks(runtime);
  }
}
