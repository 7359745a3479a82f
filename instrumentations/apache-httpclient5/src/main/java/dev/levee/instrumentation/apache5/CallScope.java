package dev.levee.instrumentation.apache5;

import dev.levee.core.LeveeLog;
import dev.levee.core.Target;
import dev.levee.instrumentation.api.LibraryMethods;

/**
 * What one application call through Levee changes on the app's own request and context, and puts back when
 * the call ends: the deadline header, the attempt's RequestConfig, and the attempt mark that tells
 * HttpClient's retry exec handler to stand aside ({@link ClientRetries}).
 *
 * <p>Each attempt runs in the app's {@code HttpContext} when it passed one (its cookie store, credentials
 * and auth cache must be used, as HttpClient's own retries use them), else in a fresh
 * {@code HttpClientContext}, as HttpClient makes one per call. The attempt's RequestConfig goes where it wins:
 * on the request when the request carries its own config ({@code HttpUriRequestBase.setConfig},
 * {@code SimpleHttpRequest.setConfig}), else in the context.
 */
final class CallScope {

  private final HttpClient5Classes hc;
  private final ApacheRequests requests;
  private final Object request;
  private final Target target;
  private final Object appContext;
  private final boolean configOnRequest;
  private final Object[] savedHeaders;
  private final Object savedRequestConfig;
  private final Object savedContextConfig;
  private final Object savedMark;

  CallScope(HttpClient5Classes hc, ApacheRequests requests, Object request, Target target, Object appContext)
      throws Throwable {
    this.hc = hc;
    this.requests = requests;
    this.request = request;
    this.target = target;
    this.appContext = appContext;
    Object ownConfig = hc.configurable.isInstance(request) ? LibraryMethods.invoke(request, "getConfig") : null;
    this.configOnRequest = ownConfig != null;
    this.savedRequestConfig = ownConfig;
    this.savedHeaders = requests.saveDeadlineHeaders(request);
    this.savedContextConfig = appContext == null ? null : AttemptTimeouts.contextConfig(hc, appContext);
    this.savedMark = appContext == null ? null : LibraryMethods.invoke(appContext, "getAttribute", ClientRetries.ATTEMPT);
  }

  /**
   * Prepares the request and a context for one attempt and returns the context to run it in.
   *
   * @param config the attempt's RequestConfig
   */
  Object forAttempt(Object config, long deadlineMillis) throws Throwable {
    requests.setDeadline(request, target, deadlineMillis);
    Object context = appContext != null ? appContext : hc.newContext();
    if (configOnRequest) {
      LibraryMethods.invoke(request, "setConfig", config);
    } else {
      AttemptTimeouts.setContextConfig(hc, context, config);
    }
    LibraryMethods.invoke(context, "setAttribute", ClientRetries.ATTEMPT, Boolean.TRUE);
    return context;
  }

  /** Puts back the app's headers, config and context as they were; never throws. */
  void restore() {
    try {
      requests.restore(request, savedHeaders);
      if (configOnRequest) {
        LibraryMethods.invoke(request, "setConfig", savedRequestConfig);
      }
      if (appContext != null) {
        AttemptTimeouts.setContextConfig(hc, appContext, savedContextConfig);
        if (savedMark == null) {
          LibraryMethods.invoke(appContext, "removeAttribute", ClientRetries.ATTEMPT);
        } else {
          LibraryMethods.invoke(appContext, "setAttribute", ClientRetries.ATTEMPT, savedMark);
        }
      }
    } catch (Throwable t) {
      LeveeLog.warnOnce("apache-httpclient5.restore", "could not put an HttpClient request back as the app made it", t);
    }
  }
}
