package dev.levee.instrumentation.apache5;

import dev.levee.core.Target;
import dev.levee.core.deadline.DeadlineHeaders;
import dev.levee.core.pipeline.CallSpec;
import dev.levee.instrumentation.api.LibraryMethods;
import java.net.URI;

/**
 * Reads what the pipeline needs from an HttpClient 5 request ({@code ClassicHttpRequest} or the async
 * {@code HttpRequest} head), and puts the deadline header on it for each attempt. HttpClient requests are
 * mutable and the app's own object is what HttpClient sends (an {@code HttpUriRequestBase} is also what the
 * app cancels), so the header is set on it per attempt and the app's own headers of that name are put back
 * when the call ends: a request the app sends again does not carry a stale deadline.
 */
final class ApacheRequests {

  private final DeadlineHeaders deadlineHeaders;
  private final String deadlineHeader;

  ApacheRequests(DeadlineHeaders deadlineHeaders) {
    this.deadlineHeaders = deadlineHeaders;
    this.deadlineHeader = deadlineHeaders.name();
  }

  String deadlineHeader() {
    return deadlineHeader;
  }

  /**
   * @param host the {@code HttpHost} the app passed, or null (HttpClient then takes it from the request)
   * @param replayable whether the body (and, async, the response consumer) can take another attempt
   */
  CallSpec spec(Object host, Object request, boolean replayable) throws Throwable {
    Target target = target(host, request);
    String method = String.valueOf(LibraryMethods.invoke(request, "getMethod")).toUpperCase(java.util.Locale.ROOT);
    boolean idempotencyKey = header(request, "Idempotency-Key") != null;
    return new CallSpec(target, method, idempotencyKey, replayable, inheritedDeadline(request));
  }

  static Target target(Object host, Object request) throws Throwable {
    if (host != null) {
      return Target.ofHttp(
          (String) LibraryMethods.invoke(host, "getSchemeName"),
          (String) LibraryMethods.invoke(host, "getHostName"),
          (Integer) LibraryMethods.invoke(host, "getPort"));
    }
    URI uri = (URI) LibraryMethods.invoke(request, "getUri");
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("request without a host: " + uri);
    }
    return Target.ofHttp(uri.getScheme(), uri.getHost(), uri.getPort());
  }

  /** A classic request's body can be sent again: none, or a repeatable {@code HttpEntity}. */
  static boolean hasReplayableEntity(Object classicRequest) throws Throwable {
    Object entity = LibraryMethods.invoke(classicRequest, "getEntity");
    return entity == null || Boolean.TRUE.equals(LibraryMethods.invoke(entity, "isRepeatable"));
  }

  /** The thread's deadline or one the application already put on the request: the earlier one wins. */
  private long inheritedDeadline(Object request) throws Throwable {
    return deadlineHeaders.inherited(header(request, deadlineHeader), System.currentTimeMillis());
  }

  /** The first value of a header, or null. */
  static String header(Object message, String name) throws Throwable {
    Object header = LibraryMethods.invoke(message, "getFirstHeader", name);
    return header == null ? null : (String) LibraryMethods.invoke(header, "getValue");
  }

  /** The app's own headers of the deadline header's name, to put back with {@link #restore}. */
  Object[] saveDeadlineHeaders(Object request) throws Throwable {
    return (Object[]) LibraryMethods.invoke(request, "getHeaders", deadlineHeader);
  }

  /** Sets the deadline header on a request to {@code target}; a host that gets none keeps the app's own. */
  void setDeadline(Object request, Target target, long deadlineMillis) throws Throwable {
    if (deadlineHeaders.sendsTo(target)) {
      LibraryMethods.invoke(request, "setHeader", deadlineHeader,
          deadlineHeaders.value(deadlineMillis, System.currentTimeMillis()));
    }
  }

  void restore(Object request, Object[] saved) throws Throwable {
    LibraryMethods.invoke(request, "removeHeaders", deadlineHeader);
    if (saved != null) {
      for (Object header : saved) {
        LibraryMethods.invoke(request, "addHeader", header);
      }
    }
  }
}
