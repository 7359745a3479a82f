package dev.levee.core.config;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code instrumentation}: which libraries Levee hooks; each is on by default. */
public final class InstrumentationConfig {

  /**
   * Every instrumentation name resilience.yaml accepts, in display order: the outgoing clients, then
   * where inbound deadlines are read (servers) and how they follow the work across threads.
   */
  public static final List<String> NAMES = Collections.unmodifiableList(Arrays.asList(
      "jdk-httpclient", "okhttp", "apache-httpclient5", "apache-httpclient4", "httpurlconnection", "jdbc", "servlet",
      "jdk-httpserver", "executors"));

  private final Map<String, Boolean> enabled;

  public InstrumentationConfig(Map<String, Boolean> overrides) {
    Map<String, Boolean> m = new LinkedHashMap<>();
    for (String name : NAMES) {
      m.put(name, overrides.getOrDefault(name, Boolean.TRUE));
    }
    this.enabled = Collections.unmodifiableMap(m);
  }

  public static InstrumentationConfig defaults() {
    return new InstrumentationConfig(Collections.emptyMap());
  }

  public boolean isEnabled(String name) {
    return enabled.getOrDefault(name, Boolean.FALSE);
  }

  public Map<String, Boolean> asMap() {
    return enabled;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InstrumentationConfig && ((InstrumentationConfig) o).enabled.equals(enabled);
  }

  @Override
  public int hashCode() {
    return enabled.hashCode();
  }
}
