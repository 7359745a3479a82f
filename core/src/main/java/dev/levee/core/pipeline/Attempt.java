package dev.levee.core.pipeline;

/** One try of a blocking call, run on the caller's thread. */
@FunctionalInterface
public interface Attempt<R> {

  /**
   * Makes the real call once.
   *
   * @param timeoutNanos how long this attempt may take: min(timeout.attempt, the time left before the
   *     deadline); the instrumentation enforces it with the client's own timeout mechanism, tightening
   *     (never loosening) a timeout the application set
   * @param deadlineEpochMillis the call's deadline, for the outgoing deadline header
   * @param attemptNumber 1 for the first try
   */
  R run(long timeoutNanos, long deadlineEpochMillis, int attemptNumber) throws Exception;
}
