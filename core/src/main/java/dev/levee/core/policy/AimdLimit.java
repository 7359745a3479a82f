package dev.levee.core.policy;

/**
 * TCP-style additive increase, multiplicative decrease, as Netflix concurrency-limits' {@code AIMDLimit}:
 * a success adds 1 while the calls in flight use at least half the limit (an app that sends little must
 * not grow a limit it never tests); a drop multiplies it by {@code backoffRatio}, rounded down. Always
 * within [minLimit, maxLimit].
 */
public final class AimdLimit implements AdaptiveLimit {

  private final int minLimit;
  private final int maxLimit;
  private final double backoffRatio;
  private volatile int limit;

  public AimdLimit(int initialLimit, int minLimit, int maxLimit, double backoffRatio) {
    if (minLimit < 1 || maxLimit < minLimit) {
      throw new IllegalArgumentException("need 1 <= minLimit <= maxLimit: " + minLimit + ", " + maxLimit);
    }
    if (!(backoffRatio > 0 && backoffRatio < 1)) {
      throw new IllegalArgumentException("backoffRatio must be in (0, 1): " + backoffRatio);
    }
    this.minLimit = minLimit;
    this.maxLimit = maxLimit;
    this.backoffRatio = backoffRatio;
    this.limit = Math.max(minLimit, Math.min(maxLimit, initialLimit));
  }

  @Override
  public int limit() {
    return limit;
  }

  @Override
  public synchronized void onSample(long rttNanos, int inFlight, boolean dropped) {
    int current = limit;
    int next;
    if (dropped) {
      next = (int) (current * backoffRatio);
    } else if (inFlight * 2L >= current) {
      next = current + 1;
    } else {
      return;
    }
    limit = Math.max(minLimit, Math.min(maxLimit, next));
  }

  @Override
  public String toString() {
    return "aimd limit " + limit + " in [" + minLimit + ", " + maxLimit + "], backoff x" + backoffRatio;
  }
}
