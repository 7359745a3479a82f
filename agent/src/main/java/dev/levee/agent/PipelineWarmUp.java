package dev.levee.agent;

import dev.levee.core.Clock;
import dev.levee.core.Outcome;
import dev.levee.core.RandomSource;
import dev.levee.core.Target;
import dev.levee.core.config.LeveeConfig;
import dev.levee.core.pipeline.Attempt;
import dev.levee.core.pipeline.AttemptContext;
import dev.levee.core.pipeline.CallPipeline;
import dev.levee.core.pipeline.CallSpec;
import dev.levee.core.pipeline.OutcomeClassifier;
import dev.levee.core.pipeline.Rejection;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Once Levee is ready, "levee-init" runs one call that sends nothing through a pipeline of its own (not the
 * app's: no target, counter or metric of the app's changes), so that the classes every first call needs (the
 * target's policies, the call's budget, outcomes) are loaded and initialized on that thread, which is idle by
 * then, rather than on the app's thread when it makes its first call (~8 ms of it on JDK 25, issue 11).
 */
final class PipelineWarmUp implements Attempt<Object>, OutcomeClassifier<Object> {

  private static final Object ANSWER = new Object();

  private PipelineWarmUp() {}

  static void run(LeveeConfig config, ScheduledExecutorService timer) {
    try {
      CallPipeline pipeline = new CallPipeline(config.http(), Clock.SYSTEM, RandomSource.SYSTEM, timer);
      PipelineWarmUp call = new PipelineWarmUp();
      pipeline.execute(new CallSpec(Target.ofHttp("http", "warm-up.levee.invalid", 80), "GET", false, true,
          CallSpec.NO_DEADLINE), call, call);
    } catch (Throwable ignored) {
      // only a head start: the app's first call loads what is missing
    }
  }

  @Override
  public Object run(AttemptContext attempt) {
    return ANSWER;
  }

  @Override
  public Outcome classify(Object result) {
    return Outcome.SUCCESS;
  }

  @Override
  public Outcome classify(Throwable error) {
    return Outcome.LOCAL;
  }

  @Override
  public long retryAfterMillis(Object result, long nowEpochMillis) {
    return -1;
  }

  @Override
  public void discard(Object result) {}

  @Override
  public Exception rejection(Rejection reason, String message) {
    return new IllegalStateException(message);
  }
}
