package dev.levee.core.metrics;

import dev.levee.core.Target;
import dev.levee.core.policy.CircuitBreaker;

/** One target's live figures, read when metrics are scraped: its counters and its policies' state now. */
public interface TargetStats {

  Target target();

  CircuitBreaker.State breakerState();

  CallMetrics metrics();

  /** Calls that may start now before the bulkhead refuses: the fixed or adaptive limit minus those in flight. */
  int bulkheadAvailable();

  /** The bulkhead's limit now: maxConcurrentCalls, or an adaptive limit's current value. */
  int concurrencyLimit();

  /** Permits the rate limiter has left in this period; -1 without a rate limiter. */
  int rateLimiterAvailable();

  /** Whole retries the retry budget holds now; -1 without a budget. */
  long retryBudgetAvailable();
}
