package dev.levee.core.config;

import java.util.Objects;

/** The whole of a validated resilience.yaml (or the built-in defaults). Immutable. */
public final class LeveeConfig {

  private final HostRules http;
  private final HostRules jdbc;
  private final DeadlineConfig deadline;
  private final InstrumentationConfig instrumentation;
  private final String source;
  private final InboundConfig inbound;

  /** @param source where it came from, for the startup line: a path, or "built-in defaults" */
  public LeveeConfig(
      HostRules http, HostRules jdbc, DeadlineConfig deadline, InstrumentationConfig instrumentation, String source) {
    this(http, jdbc, deadline, instrumentation, source, InboundConfig.none());
  }

  private LeveeConfig(HostRules http, HostRules jdbc, DeadlineConfig deadline, InstrumentationConfig instrumentation,
      String source, InboundConfig inbound) {
    this.inbound = Objects.requireNonNull(inbound);
    this.http = Objects.requireNonNull(http);
    this.jdbc = Objects.requireNonNull(jdbc);
    this.deadline = Objects.requireNonNull(deadline);
    this.instrumentation = Objects.requireNonNull(instrumentation);
    this.source = Objects.requireNonNull(source);
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

  public LeveeConfig withInbound(InboundConfig value) {
    return new LeveeConfig(http, jdbc, deadline, instrumentation, source, value);
  }

  public String source() {
    return source;
  }
}
