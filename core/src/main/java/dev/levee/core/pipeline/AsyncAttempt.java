package dev.levee.core.pipeline;

import java.util.concurrent.CompletableFuture;

/** One try of a non-blocking call; must not block the thread that starts it. */
@FunctionalInterface
public interface AsyncAttempt<R> {

  /** As {@link Attempt#run}, returning the client's own future for this try. */
  CompletableFuture<R> start(AttemptContext attempt);
}
