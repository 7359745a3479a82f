package dev.levee.smoke;

import dev.levee.smoke.apps.HttpUrlConnectionApp;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/** {@code java.net.HttpURLConnection}: the scenario list, sync only (there is no async API), on JDK 17 and 25. */
class HttpUrlConnectionSmokeTest extends AbstractHttpClientScenarios {

  @Override
  protected String appMainClass() {
    return HttpUrlConnectionApp.class.getName();
  }

  @Override
  protected List<String> supportedModes() {
    return Collections.singletonList("sync");
  }

  @Override
  protected int bodyHandlingCount() {
    return HttpUrlConnectionApp.BODY_HANDLINGS.length;
  }

  @Override
  protected Set<String> timeoutExceptionTypes() {
    return Collections.singleton("java.net.SocketTimeoutException");
  }

  @Override
  protected String interruptedCallExceptionType() {
    return "java.io.InterruptedIOException";
  }
}
