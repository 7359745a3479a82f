package dev.levee.smoke;

import dev.levee.testkit.Jdk;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** The JDKs every smoke scenario runs on (DESIGN.md §6): 17 and 25. */
final class SmokeJdks {

  private SmokeJdks() {}

  /** A method source: {@code @MethodSource("dev.levee.smoke.SmokeJdks#both")}. */
  static Stream<Jdk> both() {
    return Stream.of(Jdk.current17(), Jdk.jdk25());
  }

  /** Skips the running test, with the reason, when {@code jdk} is not installed here. */
  static void assumeAvailable(Jdk jdk) {
    Assumptions.assumeTrue(jdk.isAvailable(), () -> "skipped on " + jdk + ": " + jdk.unavailableReason());
  }
}
