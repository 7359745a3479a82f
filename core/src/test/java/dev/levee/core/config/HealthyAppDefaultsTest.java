package dev.levee.core.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.Target;
import dev.levee.core.policy.Bulkhead;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What a healthy app does must pass the built-in defaults untouched. */
class HealthyAppDefaultsTest {

  /** A Flyway migration or a nightly report: minutes, not seconds. A statement under a deadline is cut at it all the same. */
  @Test
  void aLongHealthyStatementIsNeverCutByDefault() {
    TimeoutConfig jdbc = PolicyConfig.jdbcDefaults().timeout();
    Duration longStatement = Duration.ofHours(2);
    assertTrue(jdbc.attempt().compareTo(longStatement) > 0, "timeout.attempt " + jdbc.attempt());
    assertTrue(jdbc.total().map(t -> t.compareTo(longStatement) > 0).orElse(true), "timeout.total " + jdbc.total());
  }

  /** A download of several minutes: nothing of Levee's bounds the whole exchange by default. */
  @Test
  void aLongHealthyDownloadIsNeverCutByDefault() {
    assertTrue(PolicyConfig.httpDefaults().timeout().total().isEmpty(), "http timeout.total is none");
  }

  /** A batch job fanning out 150 parallel calls to one host, as a parallel stream or sendAsync loop does. */
  @Test
  void aBatchOf150ParallelCallsToOneHostPassesTheBulkhead() {
    Bulkhead http = new Bulkhead(Target.of("api.internal", 443), PolicyConfig.httpDefaults().bulkhead());
    for (int i = 0; i < 150; i++) {
      assertTrue(http.tryAcquire(), "call " + (i + 1) + " of 150 refused");
    }
    Bulkhead jdbc = new Bulkhead(Target.of("db.internal", 5432), PolicyConfig.jdbcDefaults().bulkhead());
    for (int i = 0; i < 151; i++) {
      assertTrue(jdbc.tryAcquire(), "statement " + (i + 1) + " of MySQL's default 151 connections refused");
    }
  }
}
