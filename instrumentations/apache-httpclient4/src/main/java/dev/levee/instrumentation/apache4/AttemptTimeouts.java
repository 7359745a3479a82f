package dev.levee.instrumentation.apache4;

import dev.levee.instrumentation.api.LibraryMethods;

/**
 * The timeouts of one attempt: the app's effective ones, each tightened to the attempt's budget, never
 * loosened. HttpClient 4 reads them from two places, depending on the client:
 *
 * <ul>
 *   <li>the builder's clients ({@code InternalHttpClient}, {@code MinimalHttpClient}): a
 *       {@code RequestConfig}: the request's own, else the one in the app's context, else the client's
 *       default; a socket timeout it leaves unset (-1) is the connection manager's
 *       {@code SocketConfig.soTimeout}. Levee gives each attempt's copy a {@code RequestConfig} with
 *       {@code connectTimeout}, {@code socketTimeout} and {@code connectionRequestTimeout} tightened;
 *   <li>the deprecated {@code AbstractHttpClient} ({@code DefaultHttpClient}): {@code HttpParams}, the
 *       request's over the client's ({@code http.connection.timeout}, {@code http.socket.timeout},
 *       {@code http.conn-manager.timeout}); the copy gets the tightened values over the app's request params.
 * </ul>
 *
 * <p>In both 0 means "no limit" and a value left unset is none either (the JDK's default): Levee's budget
 * then applies. The socket timeout is per read, so it bounds a silent server, not a trickling one; the
 * attempt's timer ({@link dev.levee.instrumentation.api.TimedAttempt}) bounds that.
 */
final class AttemptTimeouts {

  static final long UNBOUNDED = Long.MAX_VALUE;

  private static final String REQUEST_CONFIG_ATTRIBUTE = "http.request-config";
  private static final String SOCKET_PARAM = "http.socket.timeout";
  private static final String CONNECT_PARAM = "http.connection.timeout";
  private static final String LEASE_PARAM = "http.conn-manager.timeout";

  /** The app's effective RequestConfig (builder clients); null for the deprecated ones. */
  final Object config;
  final long connectMillis;
  final long socketMillis;
  final long leaseMillis;

  private AttemptTimeouts(Object config, long connectMillis, long socketMillis, long leaseMillis) {
    this.config = config;
    this.connectMillis = connectMillis;
    this.socketMillis = socketMillis;
    this.leaseMillis = leaseMillis;
  }

  /** Whether the client reads its timeouts from {@code HttpParams} (the deprecated clients). */
  boolean usesParams() {
    return config == null;
  }

  /**
   * What the app's client would apply to this request.
   *
   * @param host the {@code HttpHost} doExecute got, or null
   * @param context the app's {@code HttpContext}, or null
   */
  static AttemptTimeouts ofApp(HttpClient4Classes hc, Object client, Object host, Object request, Object context)
      throws Throwable {
    if (hc.abstractHttpClient.isInstance(client)) {
      Object clientParams = LibraryMethods.invoke(client, "getParams");
      Object requestParams = LibraryMethods.invoke(request, "getParams");
      long connect = param(requestParams, clientParams, CONNECT_PARAM);
      long lease = param(requestParams, clientParams, LEASE_PARAM);
      // unset, the wait for a pooled connection is bounded by the connect timeout (HttpClientParams)
      return new AttemptTimeouts(null, bound(connect), bound(param(requestParams, clientParams, SOCKET_PARAM)),
          bound(lease < 0 ? connect : lease));
    }
    Object config = effectiveConfig(hc, client, request, context);
    long socket = millis((Integer) LibraryMethods.invoke(config, "getSocketTimeout"));
    if (socket < 0) {
      socket = managerSocketTimeout(client, host);
    }
    return new AttemptTimeouts(config,
        bound(millis((Integer) LibraryMethods.invoke(config, "getConnectTimeout"))),
        bound(socket),
        bound(millis((Integer) LibraryMethods.invoke(config, "getConnectionRequestTimeout"))));
  }

  /** The attempt's {@code RequestConfig}: the app's with each timeout tightened. */
  Object forAttempt(HttpClient4Classes hc, long attemptNanos, long leveeConnectNanos) throws Throwable {
    long budget = budgetMillis(attemptNanos);
    Object builder = hc.copyConfig(config != null ? config : hc.defaultConfig);
    LibraryMethods.invoke(builder, "setConnectTimeout", connectFor(budget, leveeConnectNanos));
    LibraryMethods.invoke(builder, "setSocketTimeout", atMost(socketMillis, budget));
    LibraryMethods.invoke(builder, "setConnectionRequestTimeout", atMost(leaseMillis, budget));
    return LibraryMethods.invoke(builder, "build");
  }

  /**
   * The deprecated clients: the copy's params are the tightened timeouts over the app's request params
   * ({@code DefaultedHttpParams}). Not {@code HttpParams.copy()}: httpcore 4.4's {@code BasicHttpParams}
   * clone shares its map with the original, so setting a value on the copy would change the app's.
   */
  void applyParams(HttpClient4Classes hc, Object appRequest, Object copy, long budgetMillis, long leveeConnectNanos)
      throws Throwable {
    Object params = hc.newParams();
    LibraryMethods.invoke(params, "setIntParameter", CONNECT_PARAM, connectFor(budgetMillis, leveeConnectNanos));
    LibraryMethods.invoke(params, "setIntParameter", SOCKET_PARAM, atMost(socketMillis, budgetMillis));
    LibraryMethods.invoke(params, "setParameter", LEASE_PARAM, (long) atMost(leaseMillis, budgetMillis));
    LibraryMethods.invoke(copy, "setParams", hc.paramsOver(params, LibraryMethods.invoke(appRequest, "getParams")));
  }

  static long budgetMillis(long attemptNanos) {
    return Math.max(1, (attemptNanos + 999_999) / 1_000_000);
  }

  private int connectFor(long budget, long leveeConnectNanos) {
    return atMost(Math.min(connectMillis, Math.max(1, leveeConnectNanos / 1_000_000)), budget);
  }

  private static int atMost(long app, long budget) {
    return (int) Math.min(Math.min(app, budget), Integer.MAX_VALUE);
  }

  /** The request's own config, else the context's, else the client's default, else RequestConfig.DEFAULT. */
  static Object effectiveConfig(HttpClient4Classes hc, Object client, Object request, Object context) throws Throwable {
    if (hc.configurable.isInstance(request)) {
      Object own = LibraryMethods.invoke(request, "getConfig");
      if (own != null) {
        return own;
      }
    }
    if (context != null) {
      Object inContext = contextConfig(context);
      if (inContext != null) {
        return inContext;
      }
    }
    Object clientDefault = LibraryMethods.field(client, "defaultConfig"); // InternalHttpClient; 4.3 has no getter
    return clientDefault != null ? clientDefault : hc.defaultConfig;
  }

  static Object contextConfig(Object context) throws Throwable {
    return LibraryMethods.invoke(context, "getAttribute", REQUEST_CONFIG_ATTRIBUTE);
  }

  static void setContextConfig(Object context, Object config) throws Throwable {
    if (config == null) {
      LibraryMethods.invoke(context, "removeAttribute", REQUEST_CONFIG_ATTRIBUTE);
    } else {
      LibraryMethods.invoke(context, "setAttribute", REQUEST_CONFIG_ATTRIBUTE, config);
    }
  }

  /** The pool's {@code SocketConfig.soTimeout} for the host (best effort: -1 when it cannot be read). */
  private static long managerSocketTimeout(Object client, Object host) {
    try {
      Object manager = LibraryMethods.field(client, "connManager");
      if (manager == null) {
        return -1;
      }
      Object socketConfig = host == null ? null : ifPresent(manager, "getSocketConfig", host); // pooling, per host
      if (socketConfig == null) {
        socketConfig = ifPresent(manager, "getDefaultSocketConfig"); // pooling
      }
      if (socketConfig == null) {
        socketConfig = ifPresent(manager, "getSocketConfig"); // basic
      }
      return socketConfig == null ? -1 : millis((Integer) LibraryMethods.invoke(socketConfig, "getSoTimeout"));
    } catch (Throwable t) {
      return -1;
    }
  }

  private static Object ifPresent(Object target, String method, Object... args) throws Throwable {
    try {
      return LibraryMethods.invoke(target, method, args);
    } catch (NoSuchMethodException absent) {
      return null;
    }
  }

  /** A timeout in milliseconds: -1 when unset, {@link #UNBOUNDED} when 0 (HttpClient's "none"). */
  static long millis(int value) {
    return value < 0 ? -1 : value == 0 ? UNBOUNDED : value;
  }

  /** A param's value, the request's over the client's: -1 when neither sets it, UNBOUNDED when 0. */
  private static long param(Object requestParams, Object clientParams, String name) throws Throwable {
    for (Object params : new Object[] {requestParams, clientParams}) {
      Object value = params == null ? null : LibraryMethods.invoke(params, "getParameter", name);
      if (value instanceof Number) {
        long v = ((Number) value).longValue();
        return v <= 0 ? UNBOUNDED : v;
      }
    }
    return -1;
  }

  private static long bound(long millis) {
    return millis < 0 ? UNBOUNDED : millis;
  }
}
