package dev.levee.smoke;

import dev.levee.smoke.apps.ApacheAsyncApp;

/**
 * Apache HttpClient 5 async ({@code CloseableHttpAsyncClient}, HTTP/1.1) on the newest 5.x: {@code --mode
 * sync} blocks on the returned future, {@code --mode async} reports from the FutureCallback.
 */
class ApacheAsyncNewestSmokeTest extends AbstractApacheScenarios {

  @Override
  protected String appMainClass() {
    return ApacheAsyncApp.class.getName();
  }

  @Override
  protected String libraryVersion() {
    return newestVersion();
  }

  @Override
  protected int overloads() {
    return 6;
  }
}
