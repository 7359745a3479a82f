package dev.levee.smoke;

import dev.levee.smoke.apps.ApacheAsyncApp;

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
}
