package dev.levee.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code bulkhead}: how many calls may be in flight to a target. {@code type: fixed} (the default): at most
 * {@code maxConcurrentCalls}, a call waiting at most {@code maxWaitDuration} for a permit. {@code type:
 * adaptive}: a limit learnt per target ({@link AdaptiveLimitConfig}); a call over it is refused at once.
 * Immutable.
 *
 * <p>Inbound, the same settings limit the requests of one path rule the app's handlers run at once
 * ({@code inbound...concurrency}, where {@code maxConcurrentCalls} is written {@code maxConcurrentRequests}):
 * {@link #inboundBuilder()} has its defaults.
 */
public final class BulkheadConfig {

  public enum Type {
    FIXED,
    ADAPTIVE
  }

  private final Type type;
  private final int maxConcurrentCalls;
  private final Duration maxWaitDuration;
  private final AdaptiveLimitConfig adaptive;

  private BulkheadConfig(Builder b) {
    // each field's range is its setter's rule
    this.type = Objects.requireNonNull(b.type, "bulkhead.type");
    this.maxConcurrentCalls = b.maxConcurrentCalls;
    this.maxWaitDuration = b.maxWaitDuration;
    this.adaptive = Objects.requireNonNull(b.adaptive, "bulkhead adaptive limit");
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The defaults of an inbound {@code concurrency} section: 200 requests at once (Tomcat's and Jetty's default
   * worker pools are 200 threads: a handler limit no default container exceeds), shed at once (a request that
   * waits holds a worker thread and its client's connection), an adaptive limit of at most 200.
   */
  public static Builder inboundBuilder() {
    return new Builder().maxConcurrentCalls(200).adaptive(AdaptiveLimitConfig.builder(200).build());
  }

  public Builder toBuilder() {
    return new Builder().type(type).maxConcurrentCalls(maxConcurrentCalls).maxWaitDuration(maxWaitDuration)
        .adaptive(adaptive);
  }

  public Type type() {
    return type;
  }

  public int maxConcurrentCalls() {
    return maxConcurrentCalls;
  }

  public Duration maxWaitDuration() {
    return maxWaitDuration;
  }

  /** The adaptive limit's settings: in force when {@link #type()} is ADAPTIVE, kept (a host rule may turn it on). */
  public AdaptiveLimitConfig adaptive() {
    return adaptive;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof BulkheadConfig)) {
      return false;
    }
    BulkheadConfig b = (BulkheadConfig) o;
    return b.type == type && b.maxConcurrentCalls == maxConcurrentCalls && b.maxWaitDuration.equals(maxWaitDuration)
        && b.adaptive.equals(adaptive);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, maxConcurrentCalls, maxWaitDuration, adaptive);
  }

  @Override
  public String toString() {
    if (type == Type.ADAPTIVE) {
      return "bulkhead{type=adaptive, " + adaptive + "}";
    }
    return "bulkhead{maxConcurrentCalls=" + maxConcurrentCalls + ", maxWaitDuration=" + maxWaitDuration + "}";
  }

  public static final class Builder {
    private Type type = Type.FIXED;
    // well above a healthy app's calls to one host at once (Envoy's per-cluster default is 1024 too)
    private int maxConcurrentCalls = 1024;
    private Duration maxWaitDuration = Duration.ZERO;
    // never more than the fixed bulkhead's default ceiling
    private AdaptiveLimitConfig adaptive = AdaptiveLimitConfig.builder(1024).build();

    public Builder type(Type v) {
      type = v;
      return this;
    }

    public Builder maxConcurrentCalls(int v) {
      maxConcurrentCalls = InvalidValue.atLeast("bulkhead.maxConcurrentCalls", 1, v);
      return this;
    }

    public Builder maxWaitDuration(Duration v) {
      maxWaitDuration = InvalidValue.notNegative("bulkhead.maxWaitDuration", v);
      return this;
    }

    public Builder adaptive(AdaptiveLimitConfig v) {
      adaptive = Objects.requireNonNull(v);
      return this;
    }

    public BulkheadConfig build() {
      return new BulkheadConfig(this);
    }
  }
}
