package dev.levee.core;

/** Time as the policies see it; tests inject a manual one. */
public interface Clock {

  /** Monotonic nanoseconds, for durations. */
  long nanoTime();

  /** Wall-clock epoch milliseconds, for deadline headers and Retry-After dates. */
  long currentTimeMillis();

  Clock SYSTEM =
      new Clock() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public long currentTimeMillis() {
          return System.currentTimeMillis();
        }
      };
}
