package dev.levee.instrumentation.okhttp;

import dev.levee.instrumentation.api.LibraryMethods;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.TimeUnit;

/**
 * OkHttp's public API as the hooks call it: reflectively, through {@link LibraryMethods}, because OkHttp
 * lives in an application class loader that the agent's loader cannot name. Only methods present in
 * OkHttp 3.12+, 4.x and 5.x are used here; each one is a public method of a public OkHttp type.
 */
final class OkHttpApi {

  private OkHttpApi() {}

  /** Invokes a public method; throws what it throws (an IOException of the call, typically). */
  static Object call(Object target, String name, Object... args) throws Exception {
    try {
      return LibraryMethods.invoke(target, name, args);
    } catch (Exception | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new UndeclaredThrowableException(t);
    }
  }

  /** As {@link #call}, for methods that throw no checked exception. */
  static Object get(Object target, String name, Object... args) {
    try {
      return LibraryMethods.invoke(target, name, args);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new UndeclaredThrowableException(t);
    }
  }

  static boolean isCanceled(Object call) {
    return Boolean.TRUE.equals(get(call, "isCanceled"));
  }

  static void cancelQuietly(Object call) {
    try {
      LibraryMethods.invoke(call, "cancel");
    } catch (Throwable ignored) {
      // a call that cannot be cancelled ends by its own timeout
    }
  }

  /** {@code call.timeout().timeout(nanos, NANOSECONDS)} (OkHttp 3.12+): the call timeout of one call. */
  static Object callTimeout(Object call) {
    return get(call, "timeout");
  }

  static void setTimeout(Object timeout, long nanos) {
    get(timeout, "timeout", nanos, TimeUnit.NANOSECONDS);
  }
}
