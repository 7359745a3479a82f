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

  /**
   * A healthy app's blips: one call in ten needs a retry, at 50 calls a second, for a minute. The default
   * retry budget grants every one of them; a quiet app (one call a second, every one retried) too.
   */
  @Test
  void theDefaultRetryBudgetGrantsAHealthyAppsRetries() {
    RetryBudgetConfig config = PolicyConfig.httpDefaults().retry().budget().orElseThrow();
    for (int[] rate : new int[][] {{50, 10}, {1, 1}}) {
      int callsPerSecond = rate[0];
      int everyNth = rate[1];
      SteppingClock clock = new SteppingClock();
      dev.levee.core.policy.RetryBudget budget = new dev.levee.core.policy.RetryBudget(config, clock);
      for (int call = 0; call < 60 * callsPerSecond; call++) {
        clock.nanos += 1_000_000_000L / callsPerSecond;
        budget.deposit();
        if (call % everyNth == 0) {
          assertTrue(budget.tryWithdraw(), "retry of call " + call + " at " + callsPerSecond + "/s refused");
        }
      }
    }
  }

  /** No rate limit unless one is configured: Levee never throttles an app on its own. */
  @Test
  void thereIsNoRateLimitByDefault() {
    assertTrue(PolicyConfig.httpDefaults().rateLimiter().isEmpty());
    assertTrue(PolicyConfig.jdbcDefaults().rateLimiter().isEmpty());
    assertTrue(PolicyConfig.httpDefaults().bulkhead().type() == BulkheadConfig.Type.FIXED);
  }

  private static final class SteppingClock implements dev.levee.core.Clock {
    long nanos = 5_000_000_000L;

    @Override
    public long nanoTime() {
      return nanos;
    }

    @Override
    public long currentTimeMillis() {
      return nanos / 1_000_000L;
    }
  }
}
