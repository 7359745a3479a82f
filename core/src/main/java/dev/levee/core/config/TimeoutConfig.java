package dev.levee.core.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code timeout}: connect, one attempt, the whole call. Immutable. The whole call has no bound unless one
 * is set ({@code total: none}, the default): then only an inherited deadline bounds it.
 */
public final class TimeoutConfig {

  private final Duration connect;
  private final Duration attempt;
  /** Null: none. */
  private final Duration total;

  private TimeoutConfig(Builder b) {
    // each field's range is its setter's rule
    this.connect = b.connect;
    this.attempt = b.attempt;
    this.total = b.total;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().connect(connect).attempt(attempt).total(total);
  }

  public Duration connect() {
    return connect;
  }

  public Duration attempt() {
    return attempt;
  }

  /** The bound on the whole call (every attempt, backoff, and the reading of the answer's body); empty: none. */
  public Optional<Duration> total() {
    return Optional.ofNullable(total);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof TimeoutConfig)) {
      return false;
    }
    TimeoutConfig t = (TimeoutConfig) o;
    return connect.equals(t.connect) && attempt.equals(t.attempt) && Objects.equals(total, t.total);
  }

  @Override
  public int hashCode() {
    return Objects.hash(connect, attempt, total);
  }

  @Override
  public String toString() {
    return "timeout{connect=" + connect + ", attempt=" + attempt + ", total=" + (total == null ? "none" : total) + "}";
  }

  public static final class Builder {
    private Duration connect = Duration.ofSeconds(5);
    private Duration attempt = Duration.ofSeconds(30);
    private Duration total;

    public Builder connect(Duration v) {
      connect = InvalidValue.positive("timeout.connect", v);
      return this;
    }

    public Builder attempt(Duration v) {
      attempt = InvalidValue.positive("timeout.attempt", v);
      return this;
    }

    /** @param v the bound on the whole call, or null for none */
    public Builder total(Duration v) {
      total = v == null ? null : InvalidValue.positive("timeout.total", v);
      return this;
    }

    public TimeoutConfig build() {
      return new TimeoutConfig(this);
    }
  }
}
