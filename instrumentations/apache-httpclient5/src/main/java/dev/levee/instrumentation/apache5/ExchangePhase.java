package dev.levee.instrumentation.apache5;

import dev.levee.instrumentation.api.LibraryMethods;
import java.lang.reflect.Constructor;
import java.net.SocketTimeoutException;

/**
 * Where an attempt's exchange stood when Levee's timer gave up on it, told as the exception HttpClient itself
 * throws when that phase runs out of time: still waiting for a pooled connection
 * ({@code ConnectionRequestTimeoutException}, the app's own pool: never held against the target),
 * connecting ({@code ConnectTimeoutException}: nothing was sent), or exchanging
 * ({@code SocketTimeoutException}).
 *
 * <p>HttpClient's exec runtime knows ({@code isEndpointAcquired}, {@code isEndpointConnected}); Levee gets
 * hold of it where the exchange starts: {@code ConnectExec.execute} and {@code AsyncConnectExec.execute}
 * run on the thread that calls {@code execute}, and there Levee's attempt has armed a slot for it. A client
 * without a connect exec (the minimal ones) leaves the slot empty, and an expiry is then a read timeout.
 */
final class ExchangePhase {

  private static final ThreadLocal<Object[]> SLOT = new ThreadLocal<>();

  private ExchangePhase() {}

  /** Before an attempt calls {@code execute}: the exec runtime of its exchange lands in the returned slot. */
  static Object[] arm() {
    Object[] slot = new Object[1];
    SLOT.set(slot);
    return slot;
  }

  static void disarm() {
    SLOT.remove();
  }

  /** {@code ConnectExec.execute(request, scope, chain)} and the async one: the hook keeps the scope's runtime. */
  static Object connectExec(Object exec, Object[] args, int scopeIndex) {
    Object[] slot = SLOT.get();
    if (slot != null && slot[0] == null) {
      slot[0] = HttpClient5Classes.field(args[scopeIndex], "execRuntime");
    }
    return null;
  }

  /**
   * The exception for an exchange Levee ended at its budget, as HttpClient would have thrown it for the
   * phase the exchange was in.
   *
   * @param runtime the exchange's exec runtime, or null when unknown
   */
  static Exception timedOut(Object runtime, String target, long budgetMillis) {
    String phase = phase(runtime);
    String name;
    String message;
    if (phase.equals("pool")) {
      name = "org.apache.hc.core5.http.ConnectionRequestTimeoutException";
      message = "levee: no pooled connection to " + target + " was free within " + budgetMillis + "ms";
    } else if (phase.equals("connect")) {
      name = ApacheOutcomes.CONNECT_TIMEOUT;
      message = "levee: connect to " + target + " not complete within " + budgetMillis + "ms";
    } else {
      return new SocketTimeoutException("levee: no response from " + target + " within " + budgetMillis + "ms");
    }
    try {
      Constructor<?> type = Class.forName(name, false, runtime.getClass().getClassLoader()).getConstructor(String.class);
      return (Exception) type.newInstance(message);
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return new SocketTimeoutException(message);
    }
  }

  /**
   * Ends an async exchange Levee gave up on, so that it holds nothing of the app's pool: a connection leased
   * to it alone (HttpClient's pooling client, HTTP/1.1) is closed and given back as not reusable
   * ({@code AsyncExecRuntime.discardEndpoint}, idempotent); an HTTP/2 stream, whose connection others may
   * share, is reset by cancelling the exchange. Without a runtime (the minimal clients) the exchange is left
   * to HttpClient's own timeouts.
   */
  static void end(Object runtime, java.util.concurrent.Future<?> exchange) {
    if (runtime == null) {
      return;
    }
    try {
      if (runtime.getClass().getName().endsWith(".InternalHttpAsyncExecRuntime") && !overHttp2(runtime)) {
        LibraryMethods.invoke(runtime, "discardEndpoint");
      } else if (exchange != null) {
        exchange.cancel(true);
      }
    } catch (Throwable t) {
      // the exchange ends on HttpClient's own timeouts instead
    }
  }

  /** Whether the runtime's connection speaks HTTP/2 ({@code getEndpointInfo}, 5.4+; unknown before: no). */
  private static boolean overHttp2(Object runtime) {
    try {
      Object info = LibraryMethods.invoke(runtime, "getEndpointInfo");
      Object protocol = info == null ? null : LibraryMethods.invoke(info, "getProtocol");
      return protocol != null && protocol.toString().startsWith("HTTP/2");
    } catch (Throwable t) {
      return false;
    }
  }

  private static String phase(Object runtime) {
    if (runtime == null) {
      return "exchange";
    }
    try {
      if (!Boolean.TRUE.equals(LibraryMethods.invoke(runtime, "isEndpointAcquired"))) {
        return "pool";
      }
      return Boolean.TRUE.equals(LibraryMethods.invoke(runtime, "isEndpointConnected")) ? "exchange" : "connect";
    } catch (Throwable t) {
      return "exchange";
    }
  }
}
