package dev.levee.core.config;

import java.util.Objects;

/** The whole of a validated resilience.yaml (or the built-in defaults). Immutable. */
public final class LeveeConfig {

  private final HostRules http;
  private final HostRules jdbc;
  private final DeadlineConfig deadline;
  private final InstrumentationConfig instrumentation;
  private final InboundConfig inbound;
  private final ExecutorsConfig executors;
  private final MetricsConfig metrics;
  private final String source;

  /** @param source where it came from, for the startup line: a path, or "built-in defaults" */
  public LeveeConfig(
      HostRules http, HostRules jdbc, DeadlineConfig deadline, InstrumentationConfig instrumentation, String source) {
    this(http, jdbc, deadline, instrumentation, InboundConfig.none(), ExecutorsConfig.defaults(), MetricsConfig.defaults(),
        source);
  }

  private LeveeConfig(HostRules http, HostRules jdbc, DeadlineConfig deadline, InstrumentationConfig instrumentation,
      InboundConfig inbound, ExecutorsConfig executors, MetricsConfig metrics, String source) {
    this.http = Objects.requireNonNull(http);
    this.jdbc = Objects.requireNonNull(jdbc);
    this.deadline = Objects.requireNonNull(deadline);
    this.instrumentation = Objects.requireNonNull(instrumentation);
    this.inbound = Objects.requireNonNull(inbound);
    this.executors = Objects.requireNonNull(executors);
    this.metrics = Objects.requireNonNull(metrics);
    this.source = Objects.requireNonNull(source);
  }

  /** This config with the {@code inbound} section given. */
  public LeveeConfig withInbound(InboundConfig value) {
    return new LeveeConfig(http, jdbc, deadline, instrumentation, value, executors, metrics, source);
  }

  /** This config with the {@code executors} section given. */
  public LeveeConfig withExecutors(ExecutorsConfig value) {
    return new LeveeConfig(http, jdbc, deadline, instrumentation, inbound, value, metrics, source);
  }

  /** This config with the {@code metrics} section given. */
  public LeveeConfig withMetrics(MetricsConfig value) {
    return new LeveeConfig(http, jdbc, deadline, instrumentation, inbound, executors, value, source);
  }

  public static LeveeConfig defaults() {
    return new LeveeConfig(
        HostRules.of(PolicyConfig.httpDefaults()),
        HostRules.of(PolicyConfig.jdbcDefaults()),
        DeadlineConfig.defaults(),
        InstrumentationConfig.defaults(),
        "built-in defaults");
  }

  public HostRules http() {
    return http;
  }

  public HostRules jdbc() {
    return jdbc;
  }

  public DeadlineConfig deadline() {
    return deadline;
  }

  public InstrumentationConfig instrumentation() {
    return instrumentation;
  }

  /** The {@code inbound} section: which requests the app serves are shed, by path. */
  public InboundConfig inbound() {
    return inbound;
  }

  public ExecutorsConfig executors() {
    return executors;
  }

  public MetricsConfig metrics() {
    return metrics;
  }

  public String source() {
    return source;
  }
}
