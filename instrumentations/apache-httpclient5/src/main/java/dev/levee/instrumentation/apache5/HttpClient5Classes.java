package dev.levee.instrumentation.apache5;

import dev.levee.instrumentation.api.LibraryMethods;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;

/**
 * Apache HttpClient 5 as one application class loader loaded it: the classes, constructors and static
 * methods the hooks need, found once per loader. The hooks live in the agent's loader and must not link
 * against HttpClient (it may sit in any application loader, a web app's among them), so every type is
 * reached by name from a library object the hook was handed. Kept in a {@link ClassValue} of a library
 * class: nothing here holds the application's loader strongly.
 */
final class HttpClient5Classes {

  private static final ClassValue<HttpClient5Classes> BY_LOADER =
      new ClassValue<HttpClient5Classes>() {
        @Override
        protected HttpClient5Classes computeValue(Class<?> anchor) {
          try {
            return new HttpClient5Classes(anchor.getClassLoader());
          } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("HttpClient 5 classes not found beside " + anchor.getName(), e);
          }
        }
      };

  final Class<?> httpClientContext;
  final Class<?> configurable;
  final Class<?> requestConfig;
  final Class<?> timeout;
  final Class<?> requestChannel;
  final Class<?> asyncResponseConsumer;
  final Class<?> futureCallback;
  final Class<?> basicRequestProducer;
  final Class<?> simpleResponseConsumer;
  final Class<?> simpleHttpRequest;
  final Class<?> cancellable;
  final Class<?> cancellableDependency;
  /** Whose {@code cancel()} Levee hooks: the base of every classic request class ({@code HttpGet}...). */
  final Class<?> cancelHooked;
  final Class<?> httpEntity;
  private final Constructor<?> newContext;
  private final Constructor<?> newClassicRequest;
  private final Constructor<?> newRequestProducer;
  private final Method copySimpleRequest;
  private final Method copyRequestHead;
  private final Method copyConfig;
  private final Method timeoutOfMilliseconds;
  private final Method createSimpleResponseConsumer;
  private final Method createSimpleRequestProducer;
  private final Constructor<?> newRoute;
  private final Constructor<?> newHost;
  private final Method determineHost;

  private HttpClient5Classes(ClassLoader loader) throws ReflectiveOperationException {
    httpClientContext = load(loader, "org.apache.hc.client5.http.protocol.HttpClientContext");
    configurable = load(loader, "org.apache.hc.client5.http.config.Configurable");
    requestConfig = load(loader, "org.apache.hc.client5.http.config.RequestConfig");
    timeout = load(loader, "org.apache.hc.core5.util.Timeout");
    requestChannel = load(loader, "org.apache.hc.core5.http.nio.RequestChannel");
    asyncResponseConsumer = load(loader, "org.apache.hc.core5.http.nio.AsyncResponseConsumer");
    futureCallback = load(loader, "org.apache.hc.core5.concurrent.FutureCallback");
    basicRequestProducer = load(loader, "org.apache.hc.core5.http.nio.support.BasicRequestProducer");
    simpleResponseConsumer = load(loader, "org.apache.hc.client5.http.async.methods.SimpleResponseConsumer");
    cancellable = load(loader, "org.apache.hc.core5.concurrent.Cancellable");
    cancellableDependency = load(loader, "org.apache.hc.core5.concurrent.CancellableDependency");
    cancelHooked = load(loader, ApacheHttpClient5Instrumentation.CANCELLABLE_REQUEST);
    httpEntity = load(loader, "org.apache.hc.core5.http.HttpEntity");
    Class<?> httpRequest = load(loader, "org.apache.hc.core5.http.HttpRequest");
    newClassicRequest = load(loader, "org.apache.hc.client5.http.classic.methods.HttpUriRequestBase")
        .getConstructor(String.class, java.net.URI.class);
    newRequestProducer = basicRequestProducer.getConstructor(httpRequest,
        load(loader, "org.apache.hc.core5.http.nio.AsyncEntityProducer"));
    copySimpleRequest = load(loader, "org.apache.hc.client5.http.async.methods.SimpleRequestBuilder")
        .getMethod("copy", load(loader, "org.apache.hc.client5.http.async.methods.SimpleHttpRequest"));
    copyRequestHead = load(loader, "org.apache.hc.core5.http.support.BasicRequestBuilder").getMethod("copy", httpRequest);
    simpleHttpRequest = load(loader, "org.apache.hc.client5.http.async.methods.SimpleHttpRequest");
    createSimpleRequestProducer = load(loader, "org.apache.hc.client5.http.async.methods.SimpleRequestProducer")
        .getMethod("create", simpleHttpRequest);
    newContext = httpClientContext.getConstructor();
    copyConfig = requestConfig.getMethod("copy", requestConfig);
    timeoutOfMilliseconds = timeout.getMethod("ofMilliseconds", long.class);
    createSimpleResponseConsumer = simpleResponseConsumer.getMethod("create");
    Class<?> httpHost = load(loader, "org.apache.hc.core5.http.HttpHost");
    newRoute = load(loader, "org.apache.hc.client5.http.HttpRoute").getConstructor(httpHost);
    newHost = httpHost.getConstructor(String.class, String.class, int.class);
    determineHost = load(loader, "org.apache.hc.client5.http.routing.RoutingSupport").getMethod("determineHost", httpRequest);
  }

  /** Looks up the classes beside the default classic client, as its first call would. */
  static void lookUpBesideDefaultClient(ClassLoader loader) throws ClassNotFoundException {
    BY_LOADER.get(load(loader, "org.apache.hc.client5.http.impl.classic.InternalHttpClient"));
  }

  /** The classes beside {@code libraryObject} (an HttpClient 5 object of the application's). */
  static HttpClient5Classes beside(Object libraryObject) {
    return BY_LOADER.get(libraryObject.getClass());
  }

  private static Class<?> load(ClassLoader loader, String name) throws ClassNotFoundException {
    return Class.forName(name, false, loader);
  }

  /** {@code new HttpClientContext()}: the context HttpClient makes itself when the app passes none. */
  Object newContext() throws ReflectiveOperationException {
    return newContext.newInstance();
  }

  /** {@code new HttpUriRequestBase(method, uri)}: a classic request of Levee's own, which it can cancel. */
  Object newClassicRequest(String method, java.net.URI uri) throws ReflectiveOperationException {
    return newClassicRequest.newInstance(method, uri);
  }

  /** {@code SimpleRequestBuilder.copy(request)}: a builder of a copy, body and config included. */
  Object copySimpleRequest(Object simpleHttpRequest) throws ReflectiveOperationException {
    return copySimpleRequest.invoke(null, simpleHttpRequest);
  }

  /** {@code BasicRequestBuilder.copy(head)}: a builder of a copy of a request head. */
  Object copyRequestHead(Object httpRequest) throws ReflectiveOperationException {
    return copyRequestHead.invoke(null, httpRequest);
  }

  /** {@code new BasicRequestProducer(head, entityProducer)}. */
  Object newRequestProducer(Object head, Object entityProducer) throws ReflectiveOperationException {
    return newRequestProducer.newInstance(head, entityProducer);
  }

  /** {@code RequestConfig.copy(config)}: a builder. */
  Object copyConfig(Object config) throws ReflectiveOperationException {
    return copyConfig.invoke(null, config);
  }

  Object timeoutOfMillis(long millis) throws ReflectiveOperationException {
    return timeoutOfMilliseconds.invoke(null, millis);
  }

  Object newSimpleResponseConsumer() throws ReflectiveOperationException {
    return createSimpleResponseConsumer.invoke(null);
  }

  /** {@code SimpleRequestProducer.create(request)}: a producer with a body producer of its own. */
  Object newSimpleRequestProducer(Object simpleHttpRequest) throws ReflectiveOperationException {
    return createSimpleRequestProducer.invoke(null, simpleHttpRequest);
  }

  /**
   * {@code new HttpRoute(host)}: a direct route, good enough to ask a per-route config resolver; the port
   * filled in, as HttpClient's route planner does.
   */
  Object directRoute(Object httpHost) throws Throwable {
    int port = (Integer) dev.levee.instrumentation.api.LibraryMethods.invoke(httpHost, "getPort");
    Object host = httpHost;
    if (port < 0) {
      String scheme = (String) dev.levee.instrumentation.api.LibraryMethods.invoke(httpHost, "getSchemeName");
      String name = (String) dev.levee.instrumentation.api.LibraryMethods.invoke(httpHost, "getHostName");
      host = newHost.newInstance(scheme, name, "https".equalsIgnoreCase(scheme) ? 443 : 80);
    }
    return newRoute.newInstance(host);
  }

  /** {@code RoutingSupport.determineHost(request)}: the host HttpClient itself derives from a request. */
  Object determineHost(Object request) throws ReflectiveOperationException {
    return determineHost.invoke(null, request);
  }

  /** See {@link LibraryMethods#field}: used for a few fields HttpClient offers no getter for. */
  static Object field(Object target, String name) {
    return LibraryMethods.field(target, name);
  }
}
