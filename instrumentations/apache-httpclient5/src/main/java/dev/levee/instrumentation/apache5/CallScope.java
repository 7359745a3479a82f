package dev.levee.instrumentation.apache5;

import dev.levee.core.LeveeLog;
import dev.levee.core.Target;
import dev.levee.instrumentation.api.LibraryMethods;

/**
 * The context each attempt of one application call runs in, and what Levee puts back in it when the call
 * ends. Each attempt runs in the app's {@code HttpContext} when it passed one (its cookie store, credentials
 * and auth cache must be used, as HttpClient's own retries use them), else in a fresh
 * {@code HttpClientContext}, as HttpClient makes one per call. In the app's context HttpClient itself
 * records the attempt's {@code RequestConfig} (Levee's tightened one) and Levee its attempt mark (which
 * tells HttpClient's retry exec handler to stand aside, {@link ClientRetries}): both are put back as they
 * were when the call ends. (An HttpContext is not for concurrent use, HttpClient says: one call at a time.)
 */
final class CallScope {

  private final HttpClient5Classes hc;
  private final Object appContext;
  private final Object savedConfig;
  private final Object savedMark;

  CallScope(HttpClient5Classes hc, Object appContext) throws Throwable {
    this.hc = hc;
    this.appContext = appContext;
    this.savedConfig = appContext == null ? null : AttemptTimeouts.contextConfig(hc, appContext);
    this.savedMark = appContext == null ? null : LibraryMethods.invoke(appContext, "getAttribute", ClientRetries.ATTEMPT);
  }

  /**
   * The context for one attempt, marked as Levee's.
   *
   * @param config the attempt's RequestConfig, for a request that cannot carry one itself; else null
   */
  Object forAttempt(Object config) throws Throwable {
    Object context = appContext != null ? appContext : hc.newContext();
    if (config != null) {
      AttemptTimeouts.setContextConfig(hc, context, config);
    }
    LibraryMethods.invoke(context, "setAttribute", ClientRetries.ATTEMPT, Boolean.TRUE);
    return context;
  }

  /** Puts the app's context back as it was; never throws. */
  void restore() {
    if (appContext == null) {
      return;
    }
    try {
      AttemptTimeouts.setContextConfig(hc, appContext, savedConfig);
      if (savedMark == null) {
        LibraryMethods.invoke(appContext, "removeAttribute", ClientRetries.ATTEMPT);
      } else {
        LibraryMethods.invoke(appContext, "setAttribute", ClientRetries.ATTEMPT, savedMark);
      }
    } catch (Throwable t) {
      LeveeLog.warnOnce("apache-httpclient5.restore", "could not put an HttpClient context back as the app made it", t);
    }
  }
}
