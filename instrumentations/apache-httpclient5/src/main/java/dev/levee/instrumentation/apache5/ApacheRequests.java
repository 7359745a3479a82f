package dev.levee.instrumentation.apache5;

import dev.levee.core.Target;
import dev.levee.core.deadline.DeadlineHeaders;
import dev.levee.core.pipeline.CallSpec;
import dev.levee.instrumentation.api.LibraryMethods;
import java.net.URI;

/**
 * Reads what the pipeline needs from an HttpClient 5 request ({@code ClassicHttpRequest} or the async
 * {@code HttpRequest} head), and makes each attempt's copy of it. HttpClient requests are mutable, and an
 * app may share one request object between threads (HttpClient itself only reads it: its exec chain sends
 * a copy): so Levee never changes the app's object either. Each attempt sends a copy of Levee's own,
 * carrying the deadline header and the attempt's {@code RequestConfig}; the app's body (entity, or async
 * entity producer) is the same object, sent again only when it can be.
 */
final class ApacheRequests {

  private final DeadlineHeaders deadlineHeaders;
  private final String deadlineHeader;

  ApacheRequests(DeadlineHeaders deadlineHeaders) {
    this.deadlineHeaders = deadlineHeaders;
    this.deadlineHeader = deadlineHeaders.name();
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

  /**
   * A classic request for one attempt: an {@code HttpUriRequestBase} (one Levee can cancel) with the app's
   * method, URI, version, headers and entity, the deadline header, and {@code config}.
   *
   * @param deadlineMillis the call's deadline, or {@link CallSpec#NO_DEADLINE}: the headers as the app set them
   */
  Object classicCopy(HttpClient5Classes hc, Object request, Object config, long deadlineMillis) throws Throwable {
    Object copy = hc.newClassicRequest(
        String.valueOf(LibraryMethods.invoke(request, "getMethod")), (URI) LibraryMethods.invoke(request, "getUri"));
    Object version = LibraryMethods.invoke(request, "getVersion");
    if (version != null) {
      LibraryMethods.invoke(copy, "setVersion", version);
    }
    copyHeaders(request, copy, deadlineMillis);
    LibraryMethods.invoke(copy, "setEntity", LibraryMethods.invoke(request, "getEntity"));
    LibraryMethods.invoke(copy, "setConfig", config);
    return copy;
  }

  /**
   * An async request head for one attempt: a {@code SimpleHttpRequest} is copied with its body and given
   * {@code config}; any other head is copied as a plain request (its config then goes in the context).
   */
  Object asyncCopy(HttpClient5Classes hc, Object head, Object config, long deadlineMillis) throws Throwable {
    Object copy;
    if (hc.simpleHttpRequest.isInstance(head)) {
      copy = LibraryMethods.invoke(hc.copySimpleRequest(head), "build");
      LibraryMethods.invoke(copy, "setConfig", config);
    } else {
      copy = LibraryMethods.invoke(hc.copyRequestHead(head), "build");
    }
    setDeadline(copy, deadlineMillis);
    return copy;
  }

  private void copyHeaders(Object from, Object to, long deadlineMillis) throws Throwable {
    for (Object header : (Object[]) LibraryMethods.invoke(from, "getHeaders")) {
      LibraryMethods.invoke(to, "addHeader", header);
    }
    setDeadline(to, deadlineMillis);
  }

  /**
   * The deadline an attempt's copy carries in its header: the call's, when it has one and {@code target}
   * gets the header; else {@link CallSpec#NO_DEADLINE}, and the copy keeps the app's own header as it is.
   */
  long headerDeadline(long callDeadlineMillis, Target target) {
    return callDeadlineMillis != CallSpec.NO_DEADLINE && deadlineHeaders.sendsTo(target) ? callDeadlineMillis : CallSpec.NO_DEADLINE;
  }

  /** Replaces the deadline header of a request of Levee's own, when it carries one ({@link #headerDeadline}). */
  private void setDeadline(Object copy, long deadlineMillis) throws Throwable {
    if (deadlineMillis != CallSpec.NO_DEADLINE) {
      LibraryMethods.invoke(copy, "setHeader", deadlineHeader, deadlineHeaders.value(deadlineMillis, System.currentTimeMillis()));
    }
  }
}
