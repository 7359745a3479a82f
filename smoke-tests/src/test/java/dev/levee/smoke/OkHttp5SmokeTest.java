package dev.levee.smoke;

/** OkHttp 5.x: the shared scenario list and OkHttp's own, on the jars in {@code target/okhttp/5/}. */
class OkHttp5SmokeTest extends OkHttpScenarios {

  @Override
  protected int okHttpMajorVersion() {
    return 5;
  }
}
