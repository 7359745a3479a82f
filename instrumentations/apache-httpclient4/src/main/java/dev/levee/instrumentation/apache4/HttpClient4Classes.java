package dev.levee.instrumentation.apache4;

import dev.levee.instrumentation.api.LibraryProxies;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;

/**
 * Apache HttpClient 4 as one application class loader loaded it: the classes, constructors and methods the
 * hooks need, found once per loader. The hooks live in the agent's loader and must not link against
 * HttpClient (it may sit in any application loader, a web app's among them), so every type is reached by
 * name from a library object the hook was handed. Kept in a {@link ClassValue} of a library class: nothing
 * here holds the application's loader strongly.
 */
final class HttpClient4Classes {

  private static final ClassValue<HttpClient4Classes> BY_LOADER =
      new ClassValue<HttpClient4Classes>() {
        @Override
        protected HttpClient4Classes computeValue(Class<?> anchor) {
          try {
            return new HttpClient4Classes(anchor.getClassLoader());
          } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("HttpClient 4 classes not found beside " + anchor.getName(), e);
          }
        }
      };

  final Class<?> configurable;
  final Class<?> httpUriRequest;
  final Class<?> entityEnclosingRequest;
  final Class<?> httpEntity;
  final Class<?> httpClientContext;
  final Class<?> abstractHttpClient;
  final Class<?> executionAware;
  /** Whose {@code abort()} Levee hooks: every request class of HttpClient 4.3+ ({@code HttpGet}...). */
  final Class<?> abortHooked;
  final Class<?> cancellable;
  final Object defaultConfig;
  /** {@code new DefaultHttpRequestRetryHandler(0, false)}: one handler that never retries, per loader. */
  final Object neverRetrying;
  /**
   * {@code CloseableHttpClient.execute(host, request, context)} and {@code ClientExecChain.execute(route, request,
   * context, execAware)}, the calls every attempt makes: method handles of Objects, made with the rest of these
   * (in the warm-up, when there is one), not {@code Method}s, whose first invoke on JDK 18+ spins some twenty
   * classes on the app's thread (issue 11).
   */
  private final MethodHandle execute;
  private final MethodHandle execChainExecute;
  private final Method createRequest;
  private final Method copyConfig;
  private final Constructor<?> newContext;
  private final Constructor<?> newRetryExec;
  private final Constructor<?> newParams;
  private final Constructor<?> newDefaultedParams;

  private HttpClient4Classes(ClassLoader loader) throws ReflectiveOperationException {
    configurable = load(loader, "org.apache.http.client.methods.Configurable");
    httpUriRequest = load(loader, "org.apache.http.client.methods.HttpUriRequest");
    entityEnclosingRequest = load(loader, "org.apache.http.HttpEntityEnclosingRequest");
    httpEntity = load(loader, "org.apache.http.HttpEntity");
    httpClientContext = load(loader, "org.apache.http.client.protocol.HttpClientContext");
    abstractHttpClient = load(loader, "org.apache.http.impl.client.AbstractHttpClient");
    executionAware = load(loader, "org.apache.http.client.methods.HttpExecutionAware");
    abortHooked = load(loader, ApacheHttpClient4Instrumentation.ABORTABLE_REQUEST);
    cancellable = load(loader, "org.apache.http.concurrent.Cancellable");
    Class<?> httpContext = load(loader, "org.apache.http.protocol.HttpContext");
    execute = generic(load(loader, "org.apache.http.impl.client.CloseableHttpClient").getMethod("execute",
        load(loader, "org.apache.http.HttpHost"), load(loader, "org.apache.http.HttpRequest"), httpContext));
    execChainExecute = generic(load(loader, "org.apache.http.impl.execchain.ClientExecChain").getMethod("execute",
        load(loader, "org.apache.http.conn.routing.HttpRoute"), load(loader, "org.apache.http.client.methods.HttpRequestWrapper"),
        httpClientContext, executionAware));
    createRequest = load(loader, "org.apache.http.client.methods.RequestBuilder").getMethod("create", String.class);
    Class<?> requestConfig = load(loader, "org.apache.http.client.config.RequestConfig");
    copyConfig = requestConfig.getMethod("copy", requestConfig);
    defaultConfig = requestConfig.getField("DEFAULT").get(null);
    newContext = load(loader, "org.apache.http.protocol.BasicHttpContext").getConstructor();
    Class<?> httpParams = load(loader, "org.apache.http.params.HttpParams");
    newParams = load(loader, "org.apache.http.params.BasicHttpParams").getConstructor();
    newDefaultedParams = load(loader, "org.apache.http.params.DefaultedHttpParams").getConstructor(httpParams, httpParams);
    neverRetrying = load(loader, "org.apache.http.impl.client.DefaultHttpRequestRetryHandler")
        .getConstructor(int.class, boolean.class).newInstance(0, false);
    newRetryExec = load(loader, "org.apache.http.impl.execchain.RetryExec").getConstructor(
        load(loader, "org.apache.http.impl.execchain.ClientExecChain"), load(loader, "org.apache.http.client.HttpRequestRetryHandler"));
  }

  /** Looks up the classes beside the default client, as its first call would ({@link ApacheHttpClient4Instrumentation#warmUp}). */
  static void lookUpBesideDefaultClient(ClassLoader loader) throws ClassNotFoundException {
    BY_LOADER.get(load(loader, "org.apache.http.impl.client.InternalHttpClient"));
  }

  /** The classes beside {@code libraryObject} (an HttpClient 4 object of the application's). */
  static HttpClient4Classes beside(Object libraryObject) {
    return BY_LOADER.get(libraryObject.getClass());
  }

  private static Class<?> load(ClassLoader loader, String name) throws ClassNotFoundException {
    return Class.forName(name, false, loader);
  }

  /** {@code client.execute(host, request, context)}: straight to {@code doExecute}; throws what it throws. */
  Object execute(Object client, Object host, Object request, Object context) throws Throwable {
    return (Object) execute.invokeExact(client, host, request, context);
  }

  /** A public method as a handle taking and returning Objects, the receiver first. */
  private static MethodHandle generic(Method method) throws IllegalAccessException {
    return MethodHandles.publicLookup().unreflect(method).asType(MethodType.genericMethodType(method.getParameterCount() + 1));
  }

  /** {@code exec.execute(route, request, context, execAware)} of an exec chain element; throws what it throws. */
  Object execChainExecute(Object exec, Object[] args) throws Throwable {
    return (Object) execChainExecute.invokeExact(exec, args[0], args[1], args[2], args[3]);
  }

  /** {@code RequestBuilder.create(method)}. */
  Object requestBuilder(String method) throws Throwable {
    return LibraryProxies.delegate(null, createRequest, new Object[] {method});
  }

  /** {@code RequestConfig.copy(config)}: a builder. */
  Object copyConfig(Object config) throws Throwable {
    return LibraryProxies.delegate(null, copyConfig, new Object[] {config});
  }

  /** {@code new BasicHttpContext()}: what HttpClient makes itself for a call without a context. */
  Object newContext() throws ReflectiveOperationException {
    return newContext.newInstance();
  }

  /** {@code new BasicHttpParams()}. */
  Object newParams() throws ReflectiveOperationException {
    return newParams.newInstance();
  }

  /** {@code new DefaultedHttpParams(local, defaults)}: {@code local}'s values over {@code defaults}'. */
  Object paramsOver(Object local, Object defaults) throws ReflectiveOperationException {
    return newDefaultedParams.newInstance(local, defaults);
  }

  /** {@code new RetryExec(next, neverRetrying)}: the exec chain's retry element, never retrying. */
  Object neverRetryingExec(Object next) throws ReflectiveOperationException {
    return newRetryExec.newInstance(next, neverRetrying);
  }
}
