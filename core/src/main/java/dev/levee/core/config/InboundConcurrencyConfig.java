package dev.levee.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code inbound...concurrency}: how many requests of one path rule the app's handlers run at once. Fixed:
 * {@code maxConcurrentRequests}, a request finding them all busy waiting at most {@code maxWaitDuration}.
 * Adaptive (never waits): a limit learnt as the outbound bulkhead's is ({@link AdaptiveLimitConfig}), from what
 * the requests show. Immutable.
 */
public final class InboundConcurrencyConfig {

  public enum Type { FIXED, ADAPTIVE }

  private final Type type;
  private final int maxConcurrentRequests;
  private final Duration maxWaitDuration;
  private final AdaptiveLimitConfig adaptive;

  private InboundConcurrencyConfig(Builder b) {
    // each field's range is its setter's rule
    this.type = Objects.requireNonNull(b.type);
    this.maxConcurrentRequests = b.maxConcurrentRequests;
    this.maxWaitDuration = b.maxWaitDuration;
    this.adaptive = Objects.requireNonNull(b.adaptive);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().type(type).maxConcurrentRequests(maxConcurrentRequests).maxWaitDuration(maxWaitDuration)
        .adaptive(adaptive);
  }

  public Type type() {
    return type;
  }

  public int maxConcurrentRequests() {
    return maxConcurrentRequests;
  }

  /**
   * Fixed only: how long a request may wait for a handler to finish before it is shed. An adaptive limit never
   * waits (it is the queue's length), as the outbound adaptive bulkhead.
   */
  public Duration maxWaitDuration() {
    return maxWaitDuration;
  }

  /** The adaptive limit's settings: in force when {@link #type()} is ADAPTIVE. */
  public AdaptiveLimitConfig adaptive() {
    return adaptive;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof InboundConcurrencyConfig)) {
      return false;
    }
    InboundConcurrencyConfig c = (InboundConcurrencyConfig) o;
    return c.type == type && c.maxConcurrentRequests == maxConcurrentRequests
        && c.maxWaitDuration.equals(maxWaitDuration) && c.adaptive.equals(adaptive);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, maxConcurrentRequests, maxWaitDuration, adaptive);
  }

  @Override
  public String toString() {
    return type == Type.FIXED
        ? "concurrency{fixed, maxConcurrentRequests=" + maxConcurrentRequests + ", maxWaitDuration=" + maxWaitDuration
            + "}"
        : "concurrency{adaptive, " + adaptive + ", maxWaitDuration=" + maxWaitDuration + "}";
  }

  public static final class Builder {
    private Type type = Type.FIXED;
    // Tomcat's and Jetty's default worker pools are 200 threads: a handler limit no default container exceeds
    private int maxConcurrentRequests = 200;
    // shed at once: a request that waits holds a worker thread and its client's connection
    private Duration maxWaitDuration = Duration.ZERO;
    private AdaptiveLimitConfig adaptive = AdaptiveLimitConfig.builder(200).build();

    public Builder type(Type v) {
      type = v;
      return this;
    }

    public Builder maxConcurrentRequests(int v) {
      maxConcurrentRequests = InvalidValue.atLeast("concurrency.maxConcurrentRequests", 1, v);
      return this;
    }

    public Builder maxWaitDuration(Duration v) {
      maxWaitDuration = InvalidValue.notNegative("concurrency.maxWaitDuration", v);
      return this;
    }

    public Builder adaptive(AdaptiveLimitConfig v) {
      adaptive = Objects.requireNonNull(v);
      return this;
    }

    public InboundConcurrencyConfig build() {
      return new InboundConcurrencyConfig(this);
    }
  }
}
