package dev.levee.instrumentation.okhttp;

import dev.levee.core.Faults;
import dev.levee.core.LeveeLog;
import dev.levee.core.Target;
import dev.levee.core.deadline.DeadlineHeaders;
import dev.levee.core.pipeline.AttemptContext;
import dev.levee.core.pipeline.CallSpec;

/** Reads what the pipeline needs from an {@code okhttp3.Request}, and makes each attempt's copy of it. */
final class OkHttpRequests {

  private final DeadlineHeaders deadlineHeaders;

  OkHttpRequests(DeadlineHeaders deadlineHeaders) {
    this.deadlineHeaders = deadlineHeaders;
  }

  /** {@code HttpUrl.port()} is always the effective port: OkHttp fills in the scheme's default itself. */
  CallSpec spec(Object request) throws Exception {
    Target target = target(request);
    String method = (String) OkHttpApi.call(request, "method");
    boolean idempotencyKey = OkHttpApi.call(request, "header", "Idempotency-Key") != null;
    return new CallSpec(target, method, idempotencyKey, isReplayable(request), inheritedDeadline(request));
  }

  private static Target target(Object request) throws Exception {
    Object url = OkHttpApi.call(request, "url");
    String scheme = (String) OkHttpApi.call(url, "scheme");
    String host = (String) OkHttpApi.call(url, "host");
    int port = ((Number) OkHttpApi.call(url, "port")).intValue();
    return Target.ofHttp(scheme, host, port);
  }

  /** The same call with a deadline no later than {@code deadlineMillis}. */
  static CallSpec withEarlierDeadline(CallSpec spec, long deadlineMillis) {
    if (deadlineMillis >= spec.inheritedDeadlineMillis()) {
      return spec;
    }
    return new CallSpec(spec.target(), spec.method(), spec.hasIdempotencyKey(), spec.isReplayable(), deadlineMillis);
  }

  /** The thread's deadline or one the application already put on the request: the earlier one wins. */
  private long inheritedDeadline(Object request) throws Exception {
    Object value = OkHttpApi.call(request, "header", deadlineHeaders.name());
    return deadlineHeaders.inherited(value == null ? null : value.toString(), System.currentTimeMillis());
  }

  /**
   * No body, or a body that says it is neither one-shot nor duplex (OkHttp 3.14+). OkHttp before 3.14 had
   * neither method and resent any body on its own retries, so Levee does the same there.
   */
  static boolean isReplayable(Object request) throws Exception {
    Object body = OkHttpApi.call(request, "body");
    if (body == null) {
      return true;
    }
    try {
      return !Boolean.TRUE.equals(OkHttpApi.call(body, "isOneShot"))
          && !Boolean.TRUE.equals(OkHttpApi.call(body, "isDuplex"));
    } catch (NoSuchMethodException olderThan314) {
      return true;
    }
  }

  /**
   * The request for one attempt: the original with the deadline header set (replacing any value the app
   * gave it; the pipeline's deadline is already the earlier of the two), when the call has a deadline; for a
   * call without one, or a host that gets no deadline header, the original.
   */
  Object forAttempt(Object request, AttemptContext attempt) {
    return forAttempt(request, attempt.deadlineMillis());
  }

  /**
   * @param deadlineMillis the call's deadline, or {@link CallSpec#NO_DEADLINE}: the request as it is; should
   *     Levee fail to add the header, the request goes as it is too
   */
  Object forAttempt(Object request, long deadlineMillis) {
    try {
      Faults.at(Faults.Step.ATTEMPT);
      return withDeadline(request, deadlineMillis);
    } catch (Throwable t) {
      LeveeLog.warnOnce("okhttp.attempt", "could not add the deadline header to an OkHttp request; sending it as is", t);
      return request;
    }
  }

  private Object withDeadline(Object request, long deadlineMillis) throws Exception {
    if (deadlineMillis == CallSpec.NO_DEADLINE || !deadlineHeaders.sendsTo(target(request))) {
      return request;
    }
    Object builder = OkHttpApi.call(request, "newBuilder");
    OkHttpApi.call(builder, "header", deadlineHeaders.name(),
        deadlineHeaders.value(deadlineMillis, System.currentTimeMillis()));
    return OkHttpApi.call(builder, "build");
  }
}
