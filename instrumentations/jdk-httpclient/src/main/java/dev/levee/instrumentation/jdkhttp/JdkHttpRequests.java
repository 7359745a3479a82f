package dev.levee.instrumentation.jdkhttp;

import dev.levee.core.Faults;
import dev.levee.core.LeveeLog;
import dev.levee.core.Target;
import dev.levee.core.deadline.DeadlineHeaders;
import dev.levee.core.pipeline.AttemptContext;
import dev.levee.core.pipeline.CallSpec;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BiPredicate;

/** Reads what the pipeline needs from an {@code HttpRequest}, and makes each attempt's copy of it. */
final class JdkHttpRequests {

  /** JDK 16+: {@code HttpRequest.newBuilder(request, filter)} copies a request exactly, minus filtered headers. */
  private static final MethodHandle COPY_BUILDER = findCopyBuilder();

  private final DeadlineHeaders deadlineHeaders;
  private final BiPredicate<String, String> withoutDeadlineHeader;

  JdkHttpRequests(DeadlineHeaders deadlineHeaders) {
    this.deadlineHeaders = deadlineHeaders;
    String name = deadlineHeaders.name();
    this.withoutDeadlineHeader = (header, value) -> !header.equalsIgnoreCase(name);
  }

  CallSpec spec(HttpRequest request) {
    URI uri = request.uri();
    Target target = Target.ofHttp(uri.getScheme(), uri.getHost(), uri.getPort());
    boolean idempotencyKey = request.headers().firstValue("Idempotency-Key").isPresent();
    return new CallSpec(target, request.method(), idempotencyKey, isReplayable(request), inheritedDeadline(request));
  }

  /** The thread's deadline or one the application already put on the request: the earlier one wins. */
  private long inheritedDeadline(HttpRequest request) {
    String value = request.headers().firstValue(deadlineHeaders.name()).orElse(null);
    return deadlineHeaders.inherited(value, System.currentTimeMillis());
  }

  /**
   * Bodies the JDK can send again: none, bytes, strings, iterables of bytes, files. An InputStream
   * supplier or a caller's own Flow.Publisher may be one-shot, so they are never retried.
   */
  static boolean isReplayable(HttpRequest request) {
    Optional<HttpRequest.BodyPublisher> body = request.bodyPublisher();
    if (!body.isPresent()) {
      return true;
    }
    String name = body.get().getClass().getName();
    return name.startsWith("jdk.internal.net.http.RequestPublishers$")
        && (name.endsWith("$ByteArrayPublisher")
            || name.endsWith("$StringPublisher")
            || name.endsWith("$IterablePublisher")
            || name.endsWith("$FilePublisher")
            || name.endsWith("$EmptyPublisher"));
  }

  /**
   * The request for one attempt: the deadline header set (when the call has a deadline and the host gets
   * it), and the request timeout tightened to the attempt's (the application's own stricter timeout wins).
   * Fails open to the original request.
   */
  HttpRequest forAttempt(HttpRequest request, AttemptContext attempt) {
    return forAttempt(request, attempt.timeoutNanos(), attempt.deadlineMillis());
  }

  /** @param deadlineMillis the call's deadline, or {@link CallSpec#NO_DEADLINE}: no header */
  HttpRequest forAttempt(HttpRequest request, long timeoutNanos, long deadlineMillis) {
    try {
      Faults.at(Faults.Step.ATTEMPT);
      Duration timeout = Duration.ofNanos(Math.max(timeoutNanos, 1_000_000L));
      Optional<Duration> own = request.timeout();
      if (own.isPresent() && own.get().compareTo(timeout) < 0) {
        timeout = own.get();
      }
      HttpRequest.Builder builder = copy(request);
      URI uri = request.uri();
      if (deadlineMillis != CallSpec.NO_DEADLINE
          && deadlineHeaders.sendsTo(Target.ofHttp(uri.getScheme(), uri.getHost(), uri.getPort()))) {
        builder.setHeader(deadlineHeaders.name(), deadlineHeaders.value(deadlineMillis, System.currentTimeMillis()));
      } else {
        // no deadline, or a host that gets no deadline header: the copy left out the app's own, which it keeps
        request.headers().allValues(deadlineHeaders.name()).forEach(v -> builder.header(deadlineHeaders.name(), v));
      }
      builder.timeout(timeout);
      return builder.build();
    } catch (Throwable t) {
      LeveeLog.warnOnce("jdk-httpclient.copy", "could not add the deadline header and timeout to a request; sending it as is", t);
      return request;
    }
  }

  private HttpRequest.Builder copy(HttpRequest request) throws Error {
    if (COPY_BUILDER != null) {
      try {
        return (HttpRequest.Builder) COPY_BUILDER.invokeExact(request, withoutDeadlineHeader);
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }
    HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri());
    builder.method(request.method(), request.bodyPublisher().orElse(HttpRequest.BodyPublishers.noBody()));
    builder.expectContinue(request.expectContinue());
    request.version().ifPresent(builder::version);
    request.headers().map().forEach((name, values) -> {
      if (withoutDeadlineHeader.test(name, "")) {
        for (String v : values) {
          builder.header(name, v);
        }
      }
    });
    return builder;
  }

  private static MethodHandle findCopyBuilder() {
    try {
      return MethodHandles.publicLookup()
          .findStatic(
              HttpRequest.class,
              "newBuilder",
              MethodType.methodType(HttpRequest.Builder.class, HttpRequest.class, BiPredicate.class));
    } catch (ReflectiveOperationException e) {
      return null; // JDK 11-15: copied field by field
    }
  }
}
