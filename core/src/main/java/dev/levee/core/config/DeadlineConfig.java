package dev.levee.core.config;

import java.util.Objects;

/** {@code deadline}: the outgoing header that carries the call's deadline. */
public final class DeadlineConfig {

  public static final String DEFAULT_HEADER = "X-Request-Deadline";

  private final String header;

  public DeadlineConfig(String header) {
    this.header = Objects.requireNonNull(header);
  }

  public static DeadlineConfig defaults() {
    return new DeadlineConfig(DEFAULT_HEADER);
  }

  /** The header name; its value is absolute Unix epoch milliseconds. */
  public String header() {
    return header;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeadlineConfig && ((DeadlineConfig) o).header.equals(header);
  }

  @Override
  public int hashCode() {
    return header.hashCode();
  }
}
