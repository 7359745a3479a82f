package dev.levee.core.pipeline;

/** One try of a blocking call, run on the caller's thread. */
@FunctionalInterface
public interface Attempt<R> {

  /** Makes the real call once, within {@link AttemptContext#timeoutNanos()}. */
  R run(AttemptContext attempt) throws Throwable;
}
