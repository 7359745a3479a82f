package dev.levee.core.config;

import java.util.Objects;

/** The whole of a validated resilience.yaml (or the built-in defaults). Immutable. */
public final class LeveeConfig {

  private final HostRules http;
  private final HostRules jdbc;
  private final DeadlineConfig deadline;
  private final InstrumentationConfig instrumentation;
  private final ExecutorsConfig executors;
  private final String source;

  /** @param source where it came from, for the startup line: a path, or "built-in defaults" */
  public LeveeConfig(
      HostRules http, HostRules jdbc, DeadlineConfig deadline, InstrumentationConfig instrumentation, String source) {
    this.http = Objects.requireNonNull(http);
    this.jdbc = Objects.requireNonNull(jdbc);
    this.deadline = Objects.requireNonNull(deadline);
    this.instrumentation = Objects.requireNonNull(instrumentation);
    this.executors = ExecutorsConfig.defaults();
    this.source = Objects.requireNonNull(source);
  }

  private LeveeConfig(LeveeConfig base, ExecutorsConfig executors) {
    this.http = base.http;
    this.jdbc = base.jdbc;
    this.deadline = base.deadline;
    this.instrumentation = base.instrumentation;
    this.executors = Objects.requireNonNull(executors);
    this.source = base.source;
  }

  /** This config with the {@code executors} section given. */
  public LeveeConfig withExecutors(ExecutorsConfig executors) {
    return new LeveeConfig(this, executors);
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

  public ExecutorsConfig executors() {
    return executors;
  }

  public String source() {
    return source;
  }
}
