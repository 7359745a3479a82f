package dev.levee.instrumentation.api;

import dev.levee.core.Clock;
import dev.levee.core.config.LeveeConfig;
import dev.levee.core.deadline.DeadlineHeaders;
import dev.levee.core.inbound.InboundLimits;
import dev.levee.core.pipeline.CallPipeline;

/** What an instrumentation's hooks work with: the configuration and the shared pipelines. */
public final class LeveeRuntime {

  private final LeveeConfig config;
  private final CallPipeline http;
  private final CallPipeline jdbc;
  private final DeadlineHeaders deadlineHeaders;
  private final InboundLimits inboundLimits;

  public LeveeRuntime(LeveeConfig config, CallPipeline http, CallPipeline jdbc) {
    this.config = config;
    this.http = http;
    this.jdbc = jdbc;
    this.deadlineHeaders = new DeadlineHeaders(config.deadline(), config.http());
    this.inboundLimits = new InboundLimits(config.inbound(), Clock.SYSTEM);
  }

  /** The {@code inbound} limits, one set shared by every server and servlet container of the JVM. */
  public InboundLimits inboundLimits() {
    return inboundLimits;
  }

  /** The deadline header, outbound (name and value) and inbound (every format read). */
  public DeadlineHeaders deadlineHeaders() {
    return deadlineHeaders;
  }

  public LeveeConfig config() {
    return config;
  }

  /** The pipeline of the {@code http} section, shared by every HTTP client library. */
  public CallPipeline http() {
    return http;
  }

  /** The pipeline of the {@code jdbc} section. */
  public CallPipeline jdbc() {
    return jdbc;
  }
}
