package dev.levee.core.config;

import java.util.Objects;

/**
 * {@code metrics.prometheus}: where Levee serves Prometheus text ({@code port}; none by default, so nothing
 * listens unless asked) and on which address ({@code host}, 127.0.0.1 by default: the figures name the app's
 * dependencies, which is not for every network to read). {@code -Dlevee.metrics.prometheus.port} and
 * {@code LEVEE_METRICS_PROMETHEUS_PORT} (and the same for host) override the file. Immutable.
 */
public final class MetricsConfig {

  /** No port: Prometheus text is not served. */
  public static final int NO_PORT = -1;
  public static final String DEFAULT_HOST = "127.0.0.1";

  private static final MetricsConfig DEFAULTS = new MetricsConfig(NO_PORT, DEFAULT_HOST);

  private final int port;
  private final String host;

  private MetricsConfig(int port, String host) {
    if (port != NO_PORT && (port < 0 || port > 65535)) {
      throw new InvalidValue("metrics.prometheus.port", "a port is within 0 and 65535, was " + port, null);
    }
    this.port = port;
    this.host = Objects.requireNonNull(host);
  }

  public static MetricsConfig defaults() {
    return DEFAULTS;
  }

  public MetricsConfig withPort(int value) {
    return new MetricsConfig(value, host);
  }

  public MetricsConfig withHost(String value) {
    return new MetricsConfig(port, value);
  }

  /** The port, 0 for any free one, or {@link #NO_PORT}. */
  public int port() {
    return port;
  }

  public String host() {
    return host;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MetricsConfig && ((MetricsConfig) o).port == port && ((MetricsConfig) o).host.equals(host);
  }

  @Override
  public int hashCode() {
    return port * 31 + host.hashCode();
  }

  @Override
  public String toString() {
    return "metrics.prometheus{port=" + (port == NO_PORT ? "none" : Integer.toString(port)) + ", host=" + host + "}";
  }
}
