package dev.levee.instrumentation.servlet;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * How to read the headers of one request class, and its peer's address: {@code HttpServletRequest.getHeader(String)}
 * and {@code getRemoteAddr()} of whichever Servlet API the class implements, found by interface name (the API lives in the container's or the web
 * app's class loader, which Levee's own cannot name). Found once per class and kept in a
 * {@link ClassValue}, which holds no strong reference to the class's loader, so a redeployed web app can
 * be collected; the handle is exactly typed, so a read costs what a direct interface call costs.
 */
final class RequestHeaders {

  /** The HTTP request interfaces, as their binary names. */
  static final Set<String> HTTP_REQUEST_INTERFACES =
      Set.of("javax.servlet.http.HttpServletRequest", "jakarta.servlet.http.HttpServletRequest");

  private static final MethodType GET_HEADER = MethodType.methodType(String.class, String.class);
  private static final MethodType ERASED_GET_HEADER = MethodType.methodType(String.class, Object.class, String.class);
  private static final MethodType GET_REMOTE_ADDR = MethodType.methodType(String.class);
  private static final MethodType ERASED_GET_REMOTE_ADDR = MethodType.methodType(String.class, Object.class);

  /** A plain {@code ServletRequest} (no HTTP): it has no headers. */
  private static final RequestHeaders NOT_HTTP = new RequestHeaders(null, null);

  private static final ClassValue<RequestHeaders> BY_CLASS = new ClassValue<RequestHeaders>() {
    @Override
    protected RequestHeaders computeValue(Class<?> type) {
      Class<?> api = httpRequestInterface(type);
      if (api == null) {
        return NOT_HTTP;
      }
      try {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        return new RequestHeaders(
            lookup.findVirtual(api, "getHeader", GET_HEADER).asType(ERASED_GET_HEADER),
            lookup.findVirtual(api, "getRemoteAddr", GET_REMOTE_ADDR).asType(ERASED_GET_REMOTE_ADDR));
      } catch (NoSuchMethodException | IllegalAccessException e) {
        throw new IllegalStateException("no public " + api.getName() + ".getHeader(String) or getRemoteAddr()", e);
      }
    }
  };

  /** {@code (Object request, String name) -> String}, or null for a request that is not HTTP. */
  private final MethodHandle getHeader;
  /** {@code (Object request) -> String}, or null for a request that is not HTTP. */
  private final MethodHandle getRemoteAddr;

  private RequestHeaders(MethodHandle getHeader, MethodHandle getRemoteAddr) {
    this.getHeader = getHeader;
    this.getRemoteAddr = getRemoteAddr;
  }

  static RequestHeaders of(Class<?> requestClass) {
    return BY_CLASS.get(requestClass);
  }

  boolean isHttp() {
    return getHeader != null;
  }

  /** The first value of the header {@code name} (case-insensitive, as the Servlet API reads it), or null. */
  String read(Object request, String name) {
    try {
      return (String) getHeader.invokeExact(request, name);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new UndeclaredThrowableException(t);
    }
  }

  /**
   * The address of the request's peer as the container reports it: the TCP peer's IP, or, where the
   * container is set to take it from a proxy's headers (Tomcat's RemoteIpValve, Jetty's
   * ForwardedRequestCustomizer), the client's.
   */
  String remoteAddress(Object request) {
    try {
      return (String) getRemoteAddr.invokeExact(request);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new UndeclaredThrowableException(t);
    }
  }

  /** The HTTP request interface {@code type} implements, anywhere up its hierarchy, or null. */
  static Class<?> httpRequestInterface(Class<?> type) {
    Deque<Class<?>> todo = new ArrayDeque<>();
    Set<Class<?>> seen = new HashSet<>();
    todo.add(type);
    while (!todo.isEmpty()) {
      Class<?> next = todo.poll();
      if (!seen.add(next)) {
        continue;
      }
      if (next.isInterface() && HTTP_REQUEST_INTERFACES.contains(next.getName())) {
        return next;
      }
      if (next.getSuperclass() != null) {
        todo.add(next.getSuperclass());
      }
      for (Class<?> i : next.getInterfaces()) {
        todo.add(i);
      }
    }
    return null;
  }
}
