package dev.levee.core.pipeline;

import dev.levee.core.Outcome;

/** Translates between one client library and the pipeline. */
public interface OutcomeClassifier<R> {

  /** The outcome of a result the client returned (an HTTP response: its status). */
  Outcome classify(R result);

  /** The outcome of an exception the client threw (already unwrapped from future wrappers). */
  Outcome classify(Throwable error);

  /** A Retry-After delay the result asks for, in milliseconds; -1 when none. */
  long retryAfterMillis(R result, long nowEpochMillis);

  /** Releases a result the application will never see because the call is retried (close its body). */
  void discard(R result);

  /**
   * The exception the application gets when Levee refuses the call: a type it already handles (an
   * IOException subclass for HTTP; the client's own timeout exception for an expired deadline).
   */
  Exception rejection(Rejection reason, String message);
}
