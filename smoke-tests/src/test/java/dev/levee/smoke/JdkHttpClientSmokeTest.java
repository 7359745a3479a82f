package dev.levee.smoke;

import dev.levee.smoke.apps.JdkHttpClientApp;
import java.util.Collections;
import java.util.Set;

/** {@code java.net.http.HttpClient}: the scenario list, sync ({@code send}) and async ({@code sendAsync}). */
class JdkHttpClientSmokeTest extends AbstractHttpClientScenarios {

  @Override
  protected String appMainClass() {
    return JdkHttpClientApp.class.getName();
  }

  @Override
  protected int bodyHandlingCount() {
    return JdkHttpClientApp.BODY_HANDLINGS.length;
  }

  @Override
  protected Set<String> timeoutExceptionTypes() {
    // HttpConnectTimeoutException (a subclass) would mean the connect, not the exchange, ran out
    return Collections.singleton("java.net.http.HttpTimeoutException");
  }

  @Override
  protected String interruptedCallExceptionType() {
    return "java.lang.InterruptedException";
  }

  @Override
  protected boolean interruptFlagKept() {
    return false;
  }
}
