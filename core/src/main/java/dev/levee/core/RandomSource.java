package dev.levee.core;

import java.util.concurrent.ThreadLocalRandom;

/** Randomness for jitter; tests inject a fixed sequence. */
public interface RandomSource {

  /** A value in [0, 1). */
  double nextDouble();

  RandomSource SYSTEM = new RandomSource() {
    @Override
    public double nextDouble() {
      return ThreadLocalRandom.current().nextDouble();
    }
  };
}
