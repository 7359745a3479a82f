package dev.levee.core.policy;

import dev.levee.core.config.AdaptiveLimitConfig;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The calls in flight to one target, bounded by an {@link AdaptiveLimit}: a call that finds them at the
 * limit is refused at once (an adaptive limit is the queue's length; waiting would only hide it). Each
 * admitted call ends with exactly one of {@link #onSuccess}, {@link #onDropped} or {@link #onIgnored},
 * which gives its slot back and tells the limit what happened.
 */
public final class AdaptiveConcurrency {

  /** The limit {@code algorithm} names, with these settings (validated by the config classes). */
  public static AdaptiveConcurrency of(AdaptiveLimitConfig c) {
    return new AdaptiveConcurrency(c.algorithm() == AdaptiveLimitConfig.Algorithm.GRADIENT2
        ? new Gradient2Limit(c.initialLimit(), c.minLimit(), c.maxLimit())
        : new AimdLimit(c.initialLimit(), c.minLimit(), c.maxLimit(), c.backoffRatio()));
  }


  private final AdaptiveLimit limit;
  private final AtomicInteger inFlight = new AtomicInteger();

  public AdaptiveConcurrency(AdaptiveLimit limit) {
    this.limit = limit;
  }

  /** Takes a slot if fewer than the limit are in flight; never waits. */
  public boolean tryAcquire() {
    while (true) {
      int now = inFlight.get();
      if (now >= limit.limit()) {
        return false;
      }
      if (inFlight.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  /** The call answered in {@code rttNanos}: a sample the limit may grow on. */
  public void onSuccess(long rttNanos) {
    int now = release();
    limit.onSample(rttNanos, now, false);
  }

  /** The call timed out, was refused by the dependency, or failed: the limit backs off; no RTT is learnt. */
  public void onDropped() {
    int now = release();
    limit.onSample(0, now, true);
  }

  /** The call says nothing about the dependency (cancelled, cut short by its caller): only the slot goes back. */
  public void onIgnored() {
    release();
  }

  /**
   * What a call teaches the limit when its slot went back already ({@link #onIgnored}, as the pipeline
   * gives slots back before it classifies the outcome): an RTT sample, or a drop. The calls in flight are
   * counted as when it ended, itself included.
   */
  public void learn(long rttNanos, boolean dropped) {
    limit.onSample(dropped ? 0 : rttNanos, inFlight.get() + 1, dropped);
  }

  public int limit() {
    return limit.limit();
  }

  public int inFlight() {
    return inFlight.get();
  }

  /** Gives a slot back; returns the calls in flight before, the ending one included. Never below zero. */
  private int release() {
    while (true) {
      int now = inFlight.get();
      if (now <= 0) {
        return 0;
      }
      if (inFlight.compareAndSet(now, now - 1)) {
        return now;
      }
    }
  }

  @Override
  public String toString() {
    return "adaptive concurrency " + inFlight() + "/" + limit();
  }
}
