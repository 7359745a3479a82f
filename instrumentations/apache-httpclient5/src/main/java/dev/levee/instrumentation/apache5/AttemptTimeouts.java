package dev.levee.instrumentation.apache5;

import dev.levee.instrumentation.api.LibraryMethods;

/**
 * The timeouts of one attempt, as a {@code RequestConfig}: the app's effective config with each timeout
 * tightened to the attempt's budget, never loosened. HttpClient 5 takes its timeouts from several places,
 * and a value set closer to the request wins:
 *
 * <ul>
 *   <li>connect: {@code RequestConfig.connectTimeout} if set (deprecated since 5.2 but still honoured),
 *       else the connection manager's {@code ConnectionConfig.connectTimeout} (5.2+);
 *   <li>response (classic): {@code RequestConfig.responseTimeout} if set, else the socket timeout the
 *       connection got from {@code ConnectionConfig.socketTimeout} or {@code SocketConfig.soTimeout};
 *   <li>waiting for a pooled connection: {@code RequestConfig.connectionRequestTimeout}.
 * </ul>
 *
 * <p>Levee reads all of them (the manager's through its fields: HttpClient has no getter for them; when
 * that fails, only the RequestConfig values count) and sets the minimum of the app's value, Levee's, and
 * the attempt's budget in the RequestConfig, where it wins over the others. The async client checks
 * timeouts only once per I/O reactor select interval (1 s), so there a timer of Levee's own also ends the
 * attempt on time ({@link AsyncAttemptFuture}). Not read: the async client's
 * {@code IOReactorConfig.soTimeout}; an app that bounds responses only there gets Levee's attempt budget
 * instead, when that is longer.
 */
final class AttemptTimeouts {

  static final long UNBOUNDED = Long.MAX_VALUE;

  private static final String REQUEST_CONFIG_ATTRIBUTE = "http.request-config";

  /** The app's own config and bounds for one call, read once before its first attempt. */
  final Object config;
  final long connectMillis;
  final long responseMillis;
  final long leaseMillis;

  private AttemptTimeouts(Object config, long connectMillis, long responseMillis, long leaseMillis) {
    this.config = config;
    this.connectMillis = connectMillis;
    this.responseMillis = responseMillis;
    this.leaseMillis = leaseMillis;
  }

  /**
   * What the app's client would apply to this request.
   *
   * @param client the {@code CloseableHttpClient} or {@code CloseableHttpAsyncClient}
   * @param host the {@code HttpHost} the app passed, or null
   * @param context the app's {@code HttpContext}, or null
   */
  static AttemptTimeouts ofApp(HttpClient5Classes hc, Object client, Object host, Object request, Object context)
      throws Throwable {
    Object config = effectiveConfig(hc, client, request, context);
    long connect = millis(LibraryMethods.invoke(config, "getConnectTimeout"));
    long response = millis(LibraryMethods.invoke(config, "getResponseTimeout"));
    long lease = millis(LibraryMethods.invoke(config, "getConnectionRequestTimeout"));
    if (connect < 0 || response < 0) {
      ManagerConfig manager = ManagerConfig.of(hc, client, host, request);
      if (connect < 0) {
        connect = manager.connectMillis;
      }
      if (response < 0) {
        response = manager.socketMillis;
      }
    }
    return new AttemptTimeouts(config, bound(connect), bound(response), bound(lease));
  }

  /**
   * The RequestConfig for one attempt.
   *
   * @param responseAndLease also bound the response and the wait for a pooled connection
   */
  Object forAttempt(HttpClient5Classes hc, long attemptNanos, long leveeConnectNanos, boolean responseAndLease)
      throws Throwable {
    long budget = Math.max(1, (attemptNanos + 999_999) / 1_000_000);
    Object builder = hc.copyConfig(config);
    long connect = Math.min(Math.min(connectMillis, Math.max(1, leveeConnectNanos / 1_000_000)), budget);
    LibraryMethods.invoke(builder, "setConnectTimeout", hc.timeoutOfMillis(connect));
    if (responseAndLease) {
      LibraryMethods.invoke(builder, "setResponseTimeout", hc.timeoutOfMillis(Math.min(responseMillis, budget)));
      LibraryMethods.invoke(builder, "setConnectionRequestTimeout", hc.timeoutOfMillis(Math.min(leaseMillis, budget)));
    }
    return LibraryMethods.invoke(builder, "build");
  }

  /** The request's own config, else the context's, else the client's default, else RequestConfig.DEFAULT. */
  static Object effectiveConfig(HttpClient5Classes hc, Object client, Object request, Object context)
      throws Throwable {
    if (hc.configurable.isInstance(request)) {
      Object own = LibraryMethods.invoke(request, "getConfig");
      if (own != null) {
        return own;
      }
    }
    if (context != null) {
      Object inContext = contextConfig(hc, context);
      if (inContext != null) {
        return inContext;
      }
    }
    if (hc.configurable.isInstance(client)) {
      Object clientDefault = LibraryMethods.invoke(client, "getConfig");
      if (clientDefault != null) {
        return clientDefault;
      }
    }
    return hc.requestConfig.getField("DEFAULT").get(null);
  }

  static Object contextConfig(HttpClient5Classes hc, Object context) throws Throwable {
    return hc.httpClientContext.isInstance(context)
        ? LibraryMethods.invoke(context, "getRequestConfig")
        : LibraryMethods.invoke(context, "getAttribute", REQUEST_CONFIG_ATTRIBUTE);
  }

  static void setContextConfig(HttpClient5Classes hc, Object context, Object config) throws Throwable {
    if (hc.httpClientContext.isInstance(context)) {
      LibraryMethods.invoke(context, "setRequestConfig", config);
    } else if (config == null) {
      LibraryMethods.invoke(context, "removeAttribute", REQUEST_CONFIG_ATTRIBUTE);
    } else {
      LibraryMethods.invoke(context, "setAttribute", REQUEST_CONFIG_ATTRIBUTE, config);
    }
  }

  /** A {@code Timeout} in milliseconds: -1 when not set, {@link #UNBOUNDED} when 0 (HttpClient's "none"). */
  static long millis(Object timeout) throws Throwable {
    if (timeout == null) {
      return -1;
    }
    long ms = (Long) LibraryMethods.invoke(timeout, "toMilliseconds");
    return ms <= 0 ? UNBOUNDED : ms;
  }

  private static long bound(long millis) {
    return millis < 0 ? UNBOUNDED : millis;
  }

  /** The connection manager's connect and socket timeouts for the request's route; -1 when unknown. */
  static final class ManagerConfig {
    final long connectMillis;
    final long socketMillis;

    private ManagerConfig(long connectMillis, long socketMillis) {
      this.connectMillis = connectMillis;
      this.socketMillis = socketMillis;
    }

    static ManagerConfig of(HttpClient5Classes hc, Object client, Object host, Object request) {
      try {
        Object manager = HttpClient5Classes.field(client, "connManager");
        if (manager == null) {
          manager = HttpClient5Classes.field(client, "manager");
        }
        if (manager == null) {
          return new ManagerConfig(-1, -1);
        }
        Object connectionConfig = resolve(hc, manager, "connectionConfigResolver", "connectionConfig", host, request);
        Object socketConfig = resolve(hc, manager, "socketConfigResolver", "socketConfig", host, request);
        long connect = connectionConfig == null ? -1 : millis(LibraryMethods.invoke(connectionConfig, "getConnectTimeout"));
        long socket = connectionConfig == null ? -1 : millis(LibraryMethods.invoke(connectionConfig, "getSocketTimeout"));
        if (socket < 0 && socketConfig != null) {
          socket = millis(LibraryMethods.invoke(socketConfig, "getSoTimeout"));
        }
        return new ManagerConfig(connect, socket);
      } catch (Throwable t) {
        return new ManagerConfig(-1, -1); // best effort: the RequestConfig values still count
      }
    }

    private static Object resolve(HttpClient5Classes hc, Object manager, String resolverField, String valueField,
        Object host, Object request) throws Throwable {
      Object resolver = HttpClient5Classes.field(manager, resolverField);
      if (resolver != null) {
        Object target = host != null ? host : hc.determineHost(request);
        return target == null ? null : LibraryMethods.invoke(resolver, "resolve", hc.directRoute(target));
      }
      return HttpClient5Classes.field(manager, valueField);
    }
  }
}
