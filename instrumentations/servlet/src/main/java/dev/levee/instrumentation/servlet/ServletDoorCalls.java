package dev.levee.instrumentation.servlet;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;

/**
 * The calls the door ({@link InboundRequestScope}) makes on the requests and responses of one Servlet API: the
 * request's path and dispatch, its async state, and the shed answer. Found once per request class by
 * interface name, as {@link RequestHeaders} does (the API lives in a loader Levee's own cannot name), and kept
 * in a {@link ClassValue}: no strong reference to a web app's loader.
 */
final class ServletDoorCalls {

  private static final MethodType OBJECT_TO_STRING = MethodType.methodType(String.class, Object.class);

  private static final ClassValue<ServletDoorCalls> BY_REQUEST_CLASS = new ClassValue<ServletDoorCalls>() {
    @Override
    protected ServletDoorCalls computeValue(Class<?> type) {
      Class<?> request = RequestHeaders.httpRequestInterface(type);
      return request == null ? NOT_HTTP : new ServletDoorCalls(request);
    }
  };

  private static final ServletDoorCalls NOT_HTTP = new ServletDoorCalls();

  private final boolean http;
  private final MethodHandle getRequestUri;
  /** Null before Servlet 3.0, where every dispatch that reaches the outermost filter is a request. */
  private final MethodHandle getDispatcherType;
  /** Null before Servlet 3.0: no async requests. */
  private final MethodHandle isAsyncStarted;
  private final MethodHandle getAsyncContext;
  private final Class<?> asyncListener;
  private final Method addListener;
  private final MethodHandle setStatus;
  private final MethodHandle setHeader;
  private final MethodHandle setContentType;
  private final MethodHandle setContentLength;
  private final MethodHandle getOutputStream;
  /** Null before Servlet 3.0: a 5xx the handler answered is then not seen. */
  private final MethodHandle getStatus;

  private ServletDoorCalls() {
    http = false;
    getRequestUri = getDispatcherType = isAsyncStarted = getAsyncContext = null;
    setStatus = setHeader = setContentType = setContentLength = getOutputStream = getStatus = null;
    asyncListener = null;
    addListener = null;
  }

  private ServletDoorCalls(Class<?> request) {
    String api = request.getName().substring(0, request.getName().indexOf(".http."));
    ClassLoader loader = request.getClassLoader();
    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
    try {
      Class<?> response = Class.forName(api + ".http.HttpServletResponse", false, loader);
      http = true;
      getRequestUri = lookup.findVirtual(request, "getRequestURI", MethodType.methodType(String.class))
          .asType(OBJECT_TO_STRING);
      setStatus = lookup.findVirtual(response, "setStatus", MethodType.methodType(void.class, int.class))
          .asType(MethodType.methodType(void.class, Object.class, int.class));
      setHeader = lookup.findVirtual(response, "setHeader",
          MethodType.methodType(void.class, String.class, String.class))
          .asType(MethodType.methodType(void.class, Object.class, String.class, String.class));
      setContentType = lookup.findVirtual(response, "setContentType", MethodType.methodType(void.class, String.class))
          .asType(MethodType.methodType(void.class, Object.class, String.class));
      setContentLength = lookup.findVirtual(response, "setContentLength", MethodType.methodType(void.class, int.class))
          .asType(MethodType.methodType(void.class, Object.class, int.class));
      Class<?> outputStream = Class.forName(api + ".ServletOutputStream", false, loader);
      getOutputStream = lookup.findVirtual(response, "getOutputStream", MethodType.methodType(outputStream))
          .asType(MethodType.methodType(OutputStream.class, Object.class));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("no Servlet API calls of " + request.getName(), e);
    }
    MethodHandle dispatcherType = null;
    MethodHandle asyncStarted = null;
    MethodHandle asyncContext = null;
    Class<?> listener = null;
    Method add = null;
    MethodHandle status = null;
    try {
      Class<?> dispatcherTypes = Class.forName(api + ".DispatcherType", false, loader);
      dispatcherType = lookup.findVirtual(request, "getDispatcherType", MethodType.methodType(dispatcherTypes))
          .asType(MethodType.methodType(Object.class, Object.class));
      asyncStarted = lookup.findVirtual(request, "isAsyncStarted", MethodType.methodType(boolean.class))
          .asType(MethodType.methodType(boolean.class, Object.class));
      Class<?> context = Class.forName(api + ".AsyncContext", false, loader);
      asyncContext = lookup.findVirtual(request, "getAsyncContext", MethodType.methodType(context))
          .asType(MethodType.methodType(Object.class, Object.class));
      listener = Class.forName(api + ".AsyncListener", false, loader);
      add = context.getMethod("addListener", listener);
      Class<?> response = Class.forName(api + ".http.HttpServletResponse", false, loader);
      status = lookup.findVirtual(response, "getStatus", MethodType.methodType(int.class))
          .asType(MethodType.methodType(int.class, Object.class));
    } catch (ReflectiveOperationException servlet25) {
      // an API before 3.0: no dispatcher types, no async, no status to read back
    }
    getDispatcherType = dispatcherType;
    isAsyncStarted = asyncStarted;
    getAsyncContext = asyncContext;
    asyncListener = listener;
    addListener = add;
    getStatus = status;
  }

  static ServletDoorCalls of(Class<?> requestClass) {
    return BY_REQUEST_CLASS.get(requestClass);
  }

  boolean isHttp() {
    return http;
  }

  /**
   * True for a request's first dispatch, the one the client's request makes: a forward, an include, an async
   * or an error dispatch belongs to a request admitted already.
   */
  boolean isRequestDispatch(Object request) throws Throwable {
    if (getDispatcherType == null) {
      return true;
    }
    Object type = (Object) getDispatcherType.invokeExact(request);
    return "REQUEST".equals(((Enum<?>) type).name());
  }

  /** The request's path, decoded, without path parameters ({@code ;jsessionid=...}) or query. */
  String path(Object request) throws Throwable {
    return decodedPath((String) getRequestUri.invokeExact(request));
  }

  boolean isAsyncStarted(Object request) throws Throwable {
    return isAsyncStarted != null && (boolean) isAsyncStarted.invokeExact(request);
  }

  /** Runs {@code onComplete} once when the request's async context completes (after a timeout or error too). */
  void whenAsyncCompletes(Object request, Runnable onComplete) throws Throwable {
    Object context = (Object) getAsyncContext.invokeExact(request);
    boolean[] ran = new boolean[1];
    Object listener = Proxy.newProxyInstance(asyncListener.getClassLoader(), new Class<?>[] {asyncListener},
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "onComplete":
              synchronized (ran) {
                if (ran[0]) {
                  return null;
                }
                ran[0] = true;
              }
              onComplete.run();
              return null;
            case "equals":
              return proxy == args[0];
            case "hashCode":
              return System.identityHashCode(proxy);
            case "toString":
              return "levee inbound place";
            default:
              return null; // onStartAsync, onTimeout, onError: the container completes the context after them
          }
        });
    addListener.invoke(context, listener);
  }

  /** The status the handler answered, or 0 where the API cannot say. */
  int status(Object response) throws Throwable {
    return getStatus == null ? 0 : (int) getStatus.invokeExact(response);
  }

  /** Writes the shed answer; the container sends it when the hooked method returns. */
  void answer(Object response, int status, long retryAfterSeconds, byte[] body) throws Throwable {
    setStatus.invokeExact(response, status);
    setHeader.invokeExact(response, "Retry-After", Long.toString(retryAfterSeconds));
    setContentType.invokeExact(response, "text/plain;charset=UTF-8");
    setContentLength.invokeExact(response, body.length);
    OutputStream out = (OutputStream) getOutputStream.invokeExact(response);
    out.write(body);
    out.flush();
  }

  /** Percent-escapes decoded as UTF-8; path parameters dropped. A malformed escape is kept as written. */
  static String decodedPath(String raw) {
    if (raw == null || raw.isEmpty()) {
      return "/";
    }
    StringBuilder plain = new StringBuilder(raw.length());
    int i = 0;
    while (i < raw.length()) {
      char c = raw.charAt(i);
      if (c == ';') {
        int next = raw.indexOf('/', i);
        i = next < 0 ? raw.length() : next;
        continue;
      }
      plain.append(c);
      i++;
    }
    String path = plain.toString();
    if (path.indexOf('%') < 0) {
      return path;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(path.length());
    int j = 0;
    while (j < path.length()) {
      int c = path.codePointAt(j);
      if (c == '%' && j + 2 < path.length() && Character.digit(path.charAt(j + 1), 16) >= 0
          && Character.digit(path.charAt(j + 2), 16) >= 0) {
        bytes.write(Character.digit(path.charAt(j + 1), 16) * 16 + Character.digit(path.charAt(j + 2), 16));
        j += 3;
      } else {
        byte[] b = new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8);
        bytes.write(b, 0, b.length);
        j += Character.charCount(c);
      }
    }
    return new String(bytes.toByteArray(), StandardCharsets.UTF_8);
  }
}
