package dev.levee.core;

/** Time as the policies see it; tests inject a manual one. */
public interface Clock {

  /** Monotonic nanoseconds, for durations. */
  long nanoTime();

  /** Wall-clock epoch milliseconds, for deadline headers and Retry-After dates. */
  long currentTimeMillis();

  /** Blocks for a backoff; a manual clock advances itself instead. */
  default void sleepNanos(long nanos) throws InterruptedException {
    java.util.concurrent.TimeUnit.NANOSECONDS.sleep(nanos);
  }

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
