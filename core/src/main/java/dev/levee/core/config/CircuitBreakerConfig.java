package dev.levee.core.config;

import dev.levee.core.OutcomeSet;
import java.time.Duration;
import java.util.Objects;

/** {@code circuitBreaker}: Resilience4j's names and meanings. Immutable. */
public final class CircuitBreakerConfig {

  public enum SlidingWindowType {
    /** The last {@code slidingWindowSize} calls. */
    COUNT_BASED,
    /** The calls of the last {@code slidingWindowSize} seconds. */
    TIME_BASED
  }

  private final SlidingWindowType slidingWindowType;
  private final int slidingWindowSize;
  private final int minimumNumberOfCalls;
  private final float failureRateThreshold;
  private final Duration slowCallDurationThreshold;
  private final float slowCallRateThreshold;
  private final Duration waitDurationInOpenState;
  private final int permittedNumberOfCallsInHalfOpenState;
  private final OutcomeSet recordOn;

  private CircuitBreakerConfig(Builder b) {
    this.slidingWindowType = Objects.requireNonNull(b.slidingWindowType, "circuitBreaker.slidingWindowType");
    // each field's range is its setter's rule; the rule across fields is here
    this.slidingWindowSize = b.slidingWindowSize;
    if (b.slidingWindowType == SlidingWindowType.COUNT_BASED && b.minimumNumberOfCalls > b.slidingWindowSize) {
      // a count-based window never holds more calls than its size: the breaker could never open
      throw new IllegalArgumentException("minimumNumberOfCalls (" + b.minimumNumberOfCalls
          + ") is more than the COUNT_BASED slidingWindowSize (" + b.slidingWindowSize + "): the breaker could never open");
    }
    this.minimumNumberOfCalls = b.minimumNumberOfCalls;
    this.failureRateThreshold = b.failureRateThreshold;
    this.slowCallDurationThreshold = b.slowCallDurationThreshold;
    this.slowCallRateThreshold = b.slowCallRateThreshold;
    this.waitDurationInOpenState = b.waitDurationInOpenState;
    this.permittedNumberOfCallsInHalfOpenState = b.permittedNumberOfCallsInHalfOpenState;
    this.recordOn = Objects.requireNonNull(b.recordOn, "circuitBreaker.recordOn");
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .slidingWindowType(slidingWindowType)
        .slidingWindowSize(slidingWindowSize)
        .minimumNumberOfCalls(minimumNumberOfCalls)
        .failureRateThreshold(failureRateThreshold)
        .slowCallDurationThreshold(slowCallDurationThreshold)
        .slowCallRateThreshold(slowCallRateThreshold)
        .waitDurationInOpenState(waitDurationInOpenState)
        .permittedNumberOfCallsInHalfOpenState(permittedNumberOfCallsInHalfOpenState)
        .recordOn(recordOn);
  }

  public SlidingWindowType slidingWindowType() {
    return slidingWindowType;
  }

  public int slidingWindowSize() {
    return slidingWindowSize;
  }

  public int minimumNumberOfCalls() {
    return minimumNumberOfCalls;
  }

  /** Percent (0, 100]. */
  public float failureRateThreshold() {
    return failureRateThreshold;
  }

  public Duration slowCallDurationThreshold() {
    return slowCallDurationThreshold;
  }

  /** Percent (0, 100]; 100 means slow calls alone never open the breaker. */
  public float slowCallRateThreshold() {
    return slowCallRateThreshold;
  }

  public Duration waitDurationInOpenState() {
    return waitDurationInOpenState;
  }

  public int permittedNumberOfCallsInHalfOpenState() {
    return permittedNumberOfCallsInHalfOpenState;
  }

  public OutcomeSet recordOn() {
    return recordOn;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof CircuitBreakerConfig)) {
      return false;
    }
    CircuitBreakerConfig c = (CircuitBreakerConfig) o;
    return slidingWindowType == c.slidingWindowType
        && slidingWindowSize == c.slidingWindowSize
        && minimumNumberOfCalls == c.minimumNumberOfCalls
        && failureRateThreshold == c.failureRateThreshold
        && slowCallDurationThreshold.equals(c.slowCallDurationThreshold)
        && slowCallRateThreshold == c.slowCallRateThreshold
        && waitDurationInOpenState.equals(c.waitDurationInOpenState)
        && permittedNumberOfCallsInHalfOpenState == c.permittedNumberOfCallsInHalfOpenState
        && recordOn.equals(c.recordOn);
  }

  @Override
  public int hashCode() {
    return Objects.hash(slidingWindowType, slidingWindowSize, minimumNumberOfCalls, failureRateThreshold,
        slowCallDurationThreshold, slowCallRateThreshold, waitDurationInOpenState,
        permittedNumberOfCallsInHalfOpenState, recordOn);
  }

  @Override
  public String toString() {
    return "circuitBreaker{" + slidingWindowType + " " + slidingWindowSize + ", minimumNumberOfCalls="
        + minimumNumberOfCalls + ", failureRateThreshold=" + failureRateThreshold + ", slowCallDurationThreshold="
        + slowCallDurationThreshold + ", slowCallRateThreshold=" + slowCallRateThreshold
        + ", waitDurationInOpenState=" + waitDurationInOpenState + ", permittedNumberOfCallsInHalfOpenState="
        + permittedNumberOfCallsInHalfOpenState + ", recordOn=" + recordOn + "}";
  }

  public static final class Builder {
    private SlidingWindowType slidingWindowType = SlidingWindowType.COUNT_BASED;
    private int slidingWindowSize = 100;
    private int minimumNumberOfCalls = 20;
    private float failureRateThreshold = 50;
    private Duration slowCallDurationThreshold = Duration.ofSeconds(10);
    private float slowCallRateThreshold = 100;
    private Duration waitDurationInOpenState = Duration.ofSeconds(30);
    private int permittedNumberOfCallsInHalfOpenState = 3;
    private OutcomeSet recordOn = OutcomeSet.of("connect-failure", "reset", "timeout", "5xx");

    public Builder slidingWindowType(SlidingWindowType v) {
      slidingWindowType = v;
      return this;
    }

    public Builder slidingWindowSize(int v) {
      slidingWindowSize = InvalidValue.atLeast("circuitBreaker.slidingWindowSize", 1, v);
      return this;
    }

    public Builder minimumNumberOfCalls(int v) {
      minimumNumberOfCalls = InvalidValue.atLeast("circuitBreaker.minimumNumberOfCalls", 1, v);
      return this;
    }

    public Builder failureRateThreshold(float v) {
      failureRateThreshold = InvalidValue.percent("circuitBreaker.failureRateThreshold", v);
      return this;
    }

    public Builder slowCallDurationThreshold(Duration v) {
      slowCallDurationThreshold = InvalidValue.positive("circuitBreaker.slowCallDurationThreshold", v);
      return this;
    }

    public Builder slowCallRateThreshold(float v) {
      slowCallRateThreshold = InvalidValue.percent("circuitBreaker.slowCallRateThreshold", v);
      return this;
    }

    public Builder waitDurationInOpenState(Duration v) {
      waitDurationInOpenState = InvalidValue.positive("circuitBreaker.waitDurationInOpenState", v);
      return this;
    }

    public Builder permittedNumberOfCallsInHalfOpenState(int v) {
      permittedNumberOfCallsInHalfOpenState = InvalidValue.atLeast("circuitBreaker.permittedNumberOfCallsInHalfOpenState", 1, v);
      return this;
    }

    public Builder recordOn(OutcomeSet v) {
      recordOn = v;
      return this;
    }

    public CircuitBreakerConfig build() {
      return new CircuitBreakerConfig(this);
    }
  }
}
