package dev.levee.smoke;

import dev.levee.testkit.Jdk;
import java.util.stream.Stream;

/** OkHttp 3.x: the shared scenario list and OkHttp's own, on the jars in {@code target/okhttp/3/}. */
class OkHttp3SmokeTest extends OkHttpScenarios {

  @Override
  protected int okHttpMajorVersion() {
    return 3;
  }

  /** An older line: JDK 17 only (see {@link AbstractHttpClientScenarios#scenarioJdks()}). */
  @Override
  protected Stream<Jdk> scenarioJdks() {
    return Stream.of(Jdk.current17());
  }
}
