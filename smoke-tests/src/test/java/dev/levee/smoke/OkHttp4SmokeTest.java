package dev.levee.smoke;

/** OkHttp 4.x: the shared scenario list and OkHttp's own, on the jars in {@code target/okhttp/4/}. */
class OkHttp4SmokeTest extends OkHttpScenarios {

  @Override
  protected int okHttpMajorVersion() {
    return 4;
  }
}
