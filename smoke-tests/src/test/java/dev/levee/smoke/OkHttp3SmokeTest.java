package dev.levee.smoke;

/** OkHttp 3.x: the shared scenario list and OkHttp's own, on the jars in {@code target/okhttp/3/}. */
class OkHttp3SmokeTest extends OkHttpScenarios {

  @Override
  protected int okHttpMajorVersion() {
    return 3;
  }
}
