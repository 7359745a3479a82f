package dev.levee.core.policy;

/**
 * Netflix concurrency-limits' {@code Gradient2Limit}: the limit follows the ratio of a long-term RTT
 * average (the latency the dependency has when not queueing) to the latest RTT. With
 * {@code gradient = clamp(tolerance * longRtt / rtt, 0.5, 1)}, each sample moves the limit towards
 * {@code limit * gradient + queueSize}, smoothed: {@code limit = limit * (1 - smoothing) + that * smoothing},
 * within [minLimit, maxLimit]. RTTs at most {@code tolerance} times the long average keep gradient 1 and
 * let the limit grow by up to queueSize; slower ones shrink it, by at most half a step.
 *
 * <p>The long average is exponential over {@code longWindow} samples (a plain mean over the first
 * {@value #WARMUP_SAMPLES}), and is pulled down 5% per sample while it is over twice the latest RTT, so
 * a recovered dependency is not judged by its bad past for long. As in the original, a sample taken while
 * fewer than half the limit are in flight does not move the limit (it tests nothing).
 *
 * <p>Unlike the original, which learns only from RTTs, a drop (timeout, refusal, failure) counts as the
 * slowest sample there is (gradient 0.5) without entering the averages: on the client side a timed-out
 * call's RTT is only the timeout, and a refused one's is ~0, both of which would teach the averages
 * wrong. A drop also adds no queueSize: at a limit under 2 * queueSize that allowance would outweigh the
 * halving and a failing dependency would see the limit grow.
 */
public final class Gradient2Limit implements AdaptiveLimit {

  static final int WARMUP_SAMPLES = 10;
  private static final double MIN_GRADIENT = 0.5;

  private final int minLimit;
  private final int maxLimit;
  private final double tolerance;
  private final double smoothing;
  private final int queueSize;
  private final double longFactor;
  private double estimatedLimit;
  private double longRtt;
  private int samples;
  private volatile int limit;

  /**
   * Netflix's defaults are tolerance 1.5, smoothing 0.2, queueSize 4, longWindow 600.
   */
  public Gradient2Limit(int initialLimit, int minLimit, int maxLimit, double tolerance, double smoothing,
      int queueSize, int longWindow) {
    if (minLimit < 1 || maxLimit < minLimit) {
      throw new IllegalArgumentException("need 1 <= minLimit <= maxLimit: " + minLimit + ", " + maxLimit);
    }
    if (tolerance < 1 || !(smoothing > 0 && smoothing <= 1) || queueSize < 0 || longWindow < 1) {
      throw new IllegalArgumentException("tolerance >= 1, 0 < smoothing <= 1, queueSize >= 0, longWindow >= 1");
    }
    this.minLimit = minLimit;
    this.maxLimit = maxLimit;
    this.tolerance = tolerance;
    this.smoothing = smoothing;
    this.queueSize = queueSize;
    this.longFactor = 2.0 / (longWindow + 1);
    this.estimatedLimit = Math.max(minLimit, Math.min(maxLimit, initialLimit));
    this.limit = (int) estimatedLimit;
  }

  public Gradient2Limit(int initialLimit, int minLimit, int maxLimit) {
    this(initialLimit, minLimit, maxLimit, 1.5, 0.2, 4, 600);
  }

  @Override
  public int limit() {
    return limit;
  }

  /** The long-term RTT average in nanoseconds; 0 before the first sample. */
  synchronized double longRttNanos() {
    return longRtt;
  }

  @Override
  public synchronized void onSample(long rttNanos, int inFlight, boolean dropped) {
    double next;
    if (dropped) {
      next = estimatedLimit * MIN_GRADIENT; // no queueSize: at small limits it would outweigh the halving
    } else {
      double rtt = Math.max(1, rttNanos);
      if (samples < WARMUP_SAMPLES) {
        samples++;
        longRtt += (rtt - longRtt) / samples; // the running mean
      } else {
        longRtt = longRtt * (1 - longFactor) + rtt * longFactor;
      }
      if (longRtt / rtt > 2) {
        longRtt *= 0.95;
      }
      if (inFlight < estimatedLimit / 2) {
        return;
      }
      double gradient = Math.max(MIN_GRADIENT, Math.min(1.0, tolerance * longRtt / rtt));
      next = estimatedLimit * gradient + queueSize;
    }
    next = estimatedLimit * (1 - smoothing) + next * smoothing;
    estimatedLimit = Math.max(minLimit, Math.min(maxLimit, next));
    limit = (int) estimatedLimit;
  }

  @Override
  public String toString() {
    return "gradient2 limit " + limit + " in [" + minLimit + ", " + maxLimit + "]";
  }
}
