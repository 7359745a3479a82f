package dev.levee.smoke;

import dev.levee.testkit.Jdk;
import java.util.stream.Stream;

/** Apache HttpClient 4 classic on the oldest line Levee supports (4.3.6): the same scenarios, JDK 17 only. */
class ApacheClassic4OlderSmokeTest extends AbstractApache4Scenarios {

  @Override
  protected String libraryVersion() {
    return olderVersion();
  }

  /** An older line: JDK 17 only (see {@link AbstractHttpClientScenarios#scenarioJdks()}). */
  @Override
  protected Stream<Jdk> scenarioJdks() {
    return Stream.of(Jdk.current17());
  }

  /** The newest line covers it. */
  @Override
  protected boolean runsFaultInjection() {
    return false;
  }
}
