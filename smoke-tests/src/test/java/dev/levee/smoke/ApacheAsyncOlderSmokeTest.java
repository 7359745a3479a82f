package dev.levee.smoke;

import dev.levee.smoke.apps.ApacheAsyncApp;
import dev.levee.testkit.Jdk;
import java.util.stream.Stream;

/**
 * Apache HttpClient 5 async ({@code CloseableHttpAsyncClient}, HTTP/1.1) on an older 5.x line (5.2): {@code --mode
 * sync} blocks on the returned future, {@code --mode async} reports from the FutureCallback.
 */
class ApacheAsyncOlderSmokeTest extends AbstractApacheScenarios {

  @Override
  protected String appMainClass() {
    return ApacheAsyncApp.class.getName();
  }

  @Override
  protected String libraryVersion() {
    return olderVersion();
  }

  @Override
  protected int overloads() {
    return 6;
  }

  /** An older line: JDK 17 only (see {@link AbstractHttpClientScenarios#scenarioJdks()}). */
  @Override
  protected Stream<Jdk> scenarioJdks() {
    return Stream.of(Jdk.current17());
  }
}
