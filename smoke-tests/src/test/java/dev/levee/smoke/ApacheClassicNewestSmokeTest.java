package dev.levee.smoke;

import dev.levee.smoke.apps.ApacheClassicApp;
import java.util.Collections;
import java.util.List;

/** Apache HttpClient 5 classic ({@code CloseableHttpClient}) on the newest 5.x. */
class ApacheClassicNewestSmokeTest extends AbstractApacheScenarios {

  @Override
  protected String appMainClass() {
    return ApacheClassicApp.class.getName();
  }

  @Override
  protected List<String> supportedModes() {
    return Collections.singletonList("sync");
  }

  @Override
  protected String libraryVersion() {
    return newestVersion();
  }

  @Override
  protected int overloads() {
    return 8;
  }

  @Override
  protected String interruptedCallExceptionType() {
    return "java.io.InterruptedIOException";
  }
}
