package dev.levee.core.policy;

/**
 * A concurrency limit learned from the calls themselves (Netflix concurrency-limits' {@code Limit}): it
 * grows while calls succeed and shrinks when they are dropped. Fed by {@link AdaptiveConcurrency}, which
 * keeps the client-side pitfalls out of it: a timed-out or refused call is a drop and never an RTT sample
 * (a timeout would cap the sample, a refusal would report ~0), and a cancelled call is neither.
 */
public interface AdaptiveLimit {

  /** The number of calls that may be in flight now; at least 1. */
  int limit();

  /**
   * One call has ended.
   *
   * @param rttNanos how long it took; meaningless (and ignored) when {@code dropped}
   * @param inFlight calls in flight when it ended, itself included
   * @param dropped it timed out, was refused by the dependency, or failed
   */
  void onSample(long rttNanos, int inFlight, boolean dropped);
}
