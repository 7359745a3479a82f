package dev.levee.instrumentation.apache5;

import dev.levee.core.LeveeLog;
import dev.levee.instrumentation.api.DeclaredExceptions;
import dev.levee.instrumentation.api.LibraryMethods;

/**
 * Keeps HttpClient's own retries out of Levee's attempts, so that the number of requests a server sees is
 * Levee's {@code maxAttempts}, never multiplied.
 *
 * <p>HttpClient retries in one place per API: the exec handler {@code HttpRequestRetryExec} (classic) and
 * {@code AsyncHttpRequestRetryExec} (async), each asking whatever {@code HttpRequestRetryStrategy} the app
 * configured (the default one repeats 429/503 and some I/O errors; an app may plug in its own class). So
 * the hook sits on the exec handler's {@code execute}, not on one strategy class: while Levee runs an
 * attempt (the attempt's context carries {@link #ATTEMPT}), the call is handed to a twin handler built by
 * the same library version with a strategy that never retries ({@code new
 * DefaultHttpRequestRetryStrategy(0, ZERO)}). Everything else the handler does (a non-repeatable body is
 * never resent, an aborted request becomes "Request aborted", NoHttpResponseException names the host) is
 * still the library's own code, so the app sees exactly the exceptions HttpClient with retries off would
 * throw. Outside Levee's attempts (Levee off for a call, or failing open) the app's strategy applies as
 * always.
 */
final class ClientRetries {

  /** The attribute Levee sets on the HttpContext of each of its attempts. */
  static final String ATTEMPT = "dev.levee.attempt";

  private static final Object UNAVAILABLE = new Object();

  /** The twin exec handler that never retries, per exec handler class (so per library copy). */
  private static final ClassValue<Object> NEVER_RETRYING =
      new ClassValue<Object>() {
        @Override
        protected Object computeValue(Class<?> execClass) {
          try {
            ClassLoader loader = execClass.getClassLoader();
            Class<?> timeValue = Class.forName("org.apache.hc.core5.util.TimeValue", false, loader);
            Class<?> strategyType = Class.forName("org.apache.hc.client5.http.HttpRequestRetryStrategy", false, loader);
            Object zero = timeValue.getField("ZERO_MILLISECONDS").get(null);
            Object never = Class.forName("org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy", false, loader)
                .getConstructor(int.class, timeValue)
                .newInstance(0, zero);
            return execClass.getConstructor(strategyType).newInstance(never);
          } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            LeveeLog.warnOnce("apache-httpclient5.retries." + execClass.getName(),
                "cannot turn off " + execClass.getName() + "'s own retries inside Levee's attempts; "
                    + "a server may see more than maxAttempts requests",
                e);
            return UNAVAILABLE;
          }
        }
      };

  private ClientRetries() {}

  /**
   * {@code HttpRequestRetryExec.execute(request, scope, chain)} and {@code AsyncHttpRequestRetryExec.execute(
   * request, entityProducer, scope, chain, callback)}: inside a Levee attempt, runs the never-retrying twin
   * and returns its result (or {@code Boolean.TRUE} for the void async method); otherwise null.
   *
   * @param scopeIndex where the {@code Scope} is in {@code args}
   * @param execClassName the exec handler's own class (an app's subclass maps to it)
   */
  static Object execute(Object exec, Object[] args, int scopeIndex, String execClassName, boolean returnsVoid) {
    Object twin;
    try {
      if (!inLeveeAttempt(args[scopeIndex])) {
        return null;
      }
      Class<?> execClass = exec.getClass();
      while (execClass != null && !execClass.getName().equals(execClassName)) {
        execClass = execClass.getSuperclass();
      }
      twin = execClass == null ? UNAVAILABLE : NEVER_RETRYING.get(execClass);
    } catch (RuntimeException e) {
      LeveeLog.warnOnce("apache-httpclient5.retries", "cannot read an HttpClient exec scope; its own retries apply", e);
      return null;
    }
    if (twin == UNAVAILABLE || twin == exec) {
      return null;
    }
    try {
      Object result = LibraryMethods.invoke(twin, "execute", args);
      return returnsVoid ? Boolean.TRUE : result;
    } catch (Throwable t) {
      throw DeclaredExceptions.<RuntimeException>rethrow(t);
    }
  }

  /** The scope's {@code clientContext} carries Levee's attempt mark. */
  static boolean inLeveeAttempt(Object scope) {
    Object context = HttpClient5Classes.field(scope, "clientContext");
    if (context == null) {
      return false;
    }
    try {
      return LibraryMethods.invoke(context, "getAttribute", ATTEMPT) != null;
    } catch (Throwable t) {
      return false;
    }
  }
}
