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

  /** What an application's client means for the attempts made on its behalf. */
  static final class Profile {
    /** The client attempts run on. */
    final Object client;
    /** The application's own call timeout (0: none); it stays in force where it is stricter. */
    final long appCallTimeoutNanos;

    Profile(Object client, long appCallTimeoutNanos) {
      this.client = client;
      this.appCallTimeoutNanos = appCallTimeoutNanos;
    }
  }

  /** The profile for attempts of a call made with {@code appClient} to a target whose connect timeout is given. */
  static Profile forAttempts(Object appClient, long connectTimeoutMillis) throws Exception {
    Map<Object, Derived> derived = BY_CLIENT_CLASS.get(appClient.getClass());
    Derived d;
    synchronized (derived) {
      d = derived.get(appClient);
      if (d == null) {
        d = new Derived(callTimeoutNanos(appClient));
        derived.put(appClient, d);
      }
    }
    Profile p = d.byConnectTimeout.get(connectTimeoutMillis);
    if (p == null) {
      p = new Profile(derive(appClient, connectTimeoutMillis), d.appCallTimeoutNanos);
      Profile raced = d.byConnectTimeout.putIfAbsent(connectTimeoutMillis, p);
      if (raced != null) {
        p = raced;
      }
    }
    return p;
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

  private static long callTimeoutNanos(Object appClient) {
    try {
      return TimeUnit.MILLISECONDS.toNanos(((Number) OkHttpApi.call(appClient, "callTimeoutMillis")).longValue());
    } catch (Exception olderThan312) {
      return 0; // OkHttp before 3.12 had no call timeout
    }
  }

  private static final class Derived {
    final long appCallTimeoutNanos;
    final ConcurrentHashMap<Long, Profile> byConnectTimeout = new ConcurrentHashMap<>(2);

    Derived(long appCallTimeoutNanos) {
      this.appCallTimeoutNanos = appCallTimeoutNanos;
    }
  }
}
