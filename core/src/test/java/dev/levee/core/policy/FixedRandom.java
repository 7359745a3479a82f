package dev.levee.core.policy;

import dev.levee.core.RandomSource;

/** Returns the given values in order, then starts over. */
final class FixedRandom implements RandomSource {

  private final double[] values;
  private int next;

  FixedRandom(double... values) {
    this.values = values.clone();
  }

  @Override
  public synchronized double nextDouble() {
    double v = values[next];
    next = (next + 1) % values.length;
    return v;
  }
}
