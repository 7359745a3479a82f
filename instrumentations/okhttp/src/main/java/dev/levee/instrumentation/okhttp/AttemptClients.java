package dev.levee.instrumentation.okhttp;

import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The client each attempt of an application's call runs on: derived once from the application's client
 * ({@code newBuilder()}, so it shares its connection pool, dispatcher, interceptors, event listeners,
 * caches and every other setting) with two changes:
 *
 * <ul>
 *   <li>{@code retryOnConnectionFailure(false)}: OkHttp would otherwise resend a request itself after some
 *       I/O failures, multiplying Levee's attempts;
 *   <li>the connect timeout is Levee's {@code timeout.connect} for the target where that is stricter than
 *       the application's (0, OkHttp's "none", is never stricter).
 * </ul>
 *
 * <p>Derived clients are kept per application client weakly (a derived client holds no reference back to
 * the one it came from), in a map owned by the OkHttpClient class itself through a {@link ClassValue}: the
 * agent keeps no strong reference into the application's class loader.
 */
final class AttemptClients {

  private static final ClassValue<Map<Object, Derived>> BY_CLIENT_CLASS =
      new ClassValue<Map<Object, Derived>>() {
        @Override
        protected Map<Object, Derived> computeValue(Class<?> type) {
          return new WeakHashMap<>();
        }
      };

  private AttemptClients() {}

  /** The client for attempts of a call made with {@code appClient} to a target whose connect timeout is given. */
  static Object forAttempts(Object appClient, long connectTimeoutMillis) throws Exception {
    Map<Object, Derived> derived = BY_CLIENT_CLASS.get(appClient.getClass());
    Derived d;
    synchronized (derived) {
      d = derived.get(appClient);
      if (d == null) {
        d = new Derived();
        derived.put(appClient, d);
      }
    }
    Object client = d.byConnectTimeout.get(connectTimeoutMillis);
    if (client == null) {
      client = derive(appClient, connectTimeoutMillis);
      Object raced = d.byConnectTimeout.putIfAbsent(connectTimeoutMillis, client);
      if (raced != null) {
        client = raced;
      }
    }
    return client;
  }

  static Object derive(Object appClient, long connectTimeoutMillis) throws Exception {
    Object builder = OkHttpApi.call(appClient, "newBuilder");
    OkHttpApi.call(builder, "retryOnConnectionFailure", Boolean.FALSE);
    long appConnect = ((Number) OkHttpApi.call(appClient, "connectTimeoutMillis")).longValue();
    if (appConnect == 0 || appConnect > connectTimeoutMillis) {
      OkHttpApi.call(builder, "connectTimeout", connectTimeoutMillis, TimeUnit.MILLISECONDS);
    }
    return OkHttpApi.call(builder, "build");
  }

  /** The derived clients of one application client, by connect timeout (one per host rule, at most). */
  private static final class Derived {
    final ConcurrentHashMap<Long, Object> byConnectTimeout = new ConcurrentHashMap<>(2);
  }
}
