package dev.levee.instrumentation.apache4;

import dev.levee.core.Target;
import dev.levee.core.deadline.DeadlineHeaders;
import dev.levee.core.pipeline.CallSpec;
import dev.levee.instrumentation.api.LibraryMethods;
import java.net.URI;
import java.util.Locale;

/**
 * Reads what the pipeline needs from an HttpClient 4 {@code HttpRequest}, and makes each attempt's copy of
 * it. HttpClient requests are mutable and an app may share one between threads (HttpClient itself only reads
 * it: its exec chain sends a wrapper), so Levee never changes the app's object either: each attempt sends a
 * copy of Levee's own, built by HttpClient's {@code RequestBuilder} (so an {@code HttpRequestBase}, which
 * Levee's timer can {@code abort()}), carrying the app's method, URI, protocol version and headers, the
 * deadline header and the attempt's timeouts. The app's entity is the same object, sent again only when it
 * is repeatable.
 */
final class ApacheRequests {

  private final DeadlineHeaders deadlineHeaders;
  private final String deadlineHeader;

  ApacheRequests(DeadlineHeaders deadlineHeaders) {
    this.deadlineHeaders = deadlineHeaders;
    this.deadlineHeader = deadlineHeaders.name();
  }

  /** @param host the {@code HttpHost} doExecute got (HttpClient derives it from an absolute URI), or null */
  CallSpec spec(HttpClient4Classes hc, Object host, Object request) throws Throwable {
    Target target = target(hc, host, request);
    String method = method(request).toUpperCase(Locale.ROOT);
    boolean idempotencyKey = header(request, "Idempotency-Key") != null;
    long inherited = deadlineHeaders.inherited(header(request, deadlineHeader), System.currentTimeMillis());
    return new CallSpec(target, method, idempotencyKey, hasReplayableEntity(hc, request), inherited);
  }

  static Target target(HttpClient4Classes hc, Object host, Object request) throws Throwable {
    if (host != null) {
      return Target.ofHttp(
          (String) LibraryMethods.invoke(host, "getSchemeName"),
          (String) LibraryMethods.invoke(host, "getHostName"),
          (Integer) LibraryMethods.invoke(host, "getPort"));
    }
    URI uri = uri(hc, request);
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("request without a host: " + uri);
    }
    return Target.ofHttp(uri.getScheme(), uri.getHost(), uri.getPort());
  }

  /** No body, or a repeatable {@code HttpEntity}. */
  static boolean hasReplayableEntity(HttpClient4Classes hc, Object request) throws Throwable {
    if (!hc.entityEnclosingRequest.isInstance(request)) {
      return true;
    }
    Object entity = LibraryMethods.invoke(request, "getEntity");
    return entity == null || Boolean.TRUE.equals(LibraryMethods.invoke(entity, "isRepeatable"));
  }

  /**
   * The request one attempt sends.
   *
   * @param config the attempt's {@code RequestConfig}
   * @param deadlineMillis the deadline for the header, or {@link CallSpec#NO_DEADLINE}: the headers as the app set them
   */
  Object copy(HttpClient4Classes hc, Object request, Object config, long deadlineMillis) throws Throwable {
    Object builder = hc.requestBuilder(method(request));
    if (hc.httpUriRequest.isInstance(request)) {
      LibraryMethods.invoke(builder, "setUri", LibraryMethods.invoke(request, "getURI"));
    } else {
      LibraryMethods.invoke(builder, "setUri", (String) LibraryMethods.invoke(LibraryMethods.invoke(request, "getRequestLine"), "getUri"));
    }
    Object version = LibraryMethods.invoke(request, "getProtocolVersion");
    if (version != null) {
      LibraryMethods.invoke(builder, "setVersion", version);
    }
    if (hc.entityEnclosingRequest.isInstance(request)) {
      LibraryMethods.invoke(builder, "setEntity", LibraryMethods.invoke(request, "getEntity"));
    }
    for (Object header : (Object[]) LibraryMethods.invoke(request, "getAllHeaders")) {
      LibraryMethods.invoke(builder, "addHeader", header);
    }
    if (deadlineMillis != CallSpec.NO_DEADLINE) {
      LibraryMethods.invoke(builder, "setHeader", deadlineHeader, deadlineHeaders.value(deadlineMillis, System.currentTimeMillis()));
    }
    LibraryMethods.invoke(builder, "setConfig", config);
    return LibraryMethods.invoke(builder, "build");
  }

  /**
   * The deadline an attempt's copy carries in its header: the call's, when it has one and {@code target}
   * gets the header; else {@link CallSpec#NO_DEADLINE}, and the copy keeps the app's own header as it is.
   */
  long headerDeadline(long callDeadlineMillis, Target target) {
    return callDeadlineMillis != CallSpec.NO_DEADLINE && deadlineHeaders.sendsTo(target) ? callDeadlineMillis : CallSpec.NO_DEADLINE;
  }

  static String method(Object request) throws Throwable {
    return String.valueOf(LibraryMethods.invoke(LibraryMethods.invoke(request, "getRequestLine"), "getMethod"));
  }

  private static URI uri(HttpClient4Classes hc, Object request) throws Throwable {
    if (hc.httpUriRequest.isInstance(request)) {
      return (URI) LibraryMethods.invoke(request, "getURI");
    }
    return URI.create((String) LibraryMethods.invoke(LibraryMethods.invoke(request, "getRequestLine"), "getUri"));
  }

  /** The first value of a header, or null. */
  static String header(Object message, String name) throws Throwable {
    Object header = LibraryMethods.invoke(message, "getFirstHeader", name);
    return header == null ? null : (String) LibraryMethods.invoke(header, "getValue");
  }
}
