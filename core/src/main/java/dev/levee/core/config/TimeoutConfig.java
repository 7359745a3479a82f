package dev.levee.core.config;

import java.time.Duration;
import java.util.Objects;

/** {@code timeout}: connect, one attempt, the whole call. Immutable. */
public final class TimeoutConfig {

  private final Duration connect;
  private final Duration attempt;
  private final Duration total;

  private TimeoutConfig(Builder b) {
    this.connect = positive("timeout.connect", b.connect);
    this.attempt = positive("timeout.attempt", b.attempt);
    this.total = positive("timeout.total", b.total);
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

  public Duration total() {
    return total;
  }

  static Duration positive(String key, Duration d) {
    Objects.requireNonNull(d, key);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(key + " must be greater than 0, was " + d);
    }
    return d;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof TimeoutConfig)) {
      return false;
    }
    TimeoutConfig t = (TimeoutConfig) o;
    return connect.equals(t.connect) && attempt.equals(t.attempt) && total.equals(t.total);
  }

  @Override
  public int hashCode() {
    return Objects.hash(connect, attempt, total);
  }

  @Override
  public String toString() {
    return "timeout{connect=" + connect + ", attempt=" + attempt + ", total=" + total + "}";
  }

  public static final class Builder {
    private Duration connect = Duration.ofSeconds(5);
    private Duration attempt = Duration.ofSeconds(30);
    private Duration total = Duration.ofSeconds(60);

    public Builder connect(Duration v) {
      connect = v;
      return this;
    }

    public Builder attempt(Duration v) {
      attempt = v;
      return this;
    }

    public Builder total(Duration v) {
      total = v;
      return this;
    }

    public TimeoutConfig build() {
      return new TimeoutConfig(this);
    }
  }
}
