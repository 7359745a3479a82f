package dev.levee.core.policy;

/**
 * The last {@code size} calls: a ring buffer of one byte per call with running totals, so recording
 * costs the same whatever the size (Resilience4j's FixedSizeSlidingWindowMetrics).
 */
public final class CountWindow implements CallWindow {

  private static final byte FAILED = 1;
  private static final byte SLOW = 2;

  private final byte[] calls;
  private int next;
  private int filled;
  private long failed;
  private long slow;

  public CountWindow(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("window size must be at least 1, was " + size);
    }
    this.calls = new byte[size];
  }

  public int size() {
    return calls.length;
  }

  @Override
  public synchronized Snapshot record(boolean failedCall, boolean slowCall) {
    if (filled == calls.length) {
      byte evicted = calls[next];
      failed -= evicted & FAILED;
      slow -= (evicted & SLOW) >> 1;
    } else {
      filled++;
    }
    calls[next] = (byte) ((failedCall ? FAILED : 0) | (slowCall ? SLOW : 0));
    failed += failedCall ? 1 : 0;
    slow += slowCall ? 1 : 0;
    next = next + 1 == calls.length ? 0 : next + 1;
    return new Snapshot(filled, failed, slow);
  }

  @Override
  public synchronized Snapshot snapshot() {
    return new Snapshot(filled, failed, slow);
  }

  @Override
  public synchronized void reset() {
    java.util.Arrays.fill(calls, (byte) 0);
    next = 0;
    filled = 0;
    failed = 0;
    slow = 0;
  }
}
