package dev.levee.smoke;

import dev.levee.smoke.apps.ApacheClassicApp;
import dev.levee.testkit.Jdk;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/** Apache HttpClient 5 classic ({@code CloseableHttpClient}) on an older 5.x line (5.2). */
class ApacheClassicOlderSmokeTest extends AbstractApacheScenarios {

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
    return olderVersion();
  }

  @Override
  protected int overloads() {
    return 8;
  }

  /** An older line: JDK 17 only (see {@link AbstractHttpClientScenarios#scenarioJdks()}). */
  @Override
  protected Stream<Jdk> scenarioJdks() {
    return Stream.of(Jdk.current17());
  }

  @Override
  protected String interruptedCallExceptionType() {
    return "java.io.InterruptedIOException";
  }
}
