package dev.levee.core.config;

import dev.levee.core.OutcomeSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/** {@code retry}: gRPC A6's knobs plus which outcomes and methods may be retried. Immutable. */
public final class RetryConfig {

  public enum Jitter {
    FULL,
    EQUAL,
    NONE
  }

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final double backoffMultiplier;
  private final Jitter jitter;
  private final OutcomeSet retryOn;
  private final Set<String> retryMethods;
  private final boolean respectRetryAfter;
  /** Null: no budget ({@code budget: none}). */
  private final RetryBudgetConfig budget;

  private RetryConfig(Builder b) {
    // each field's range is its setter's rule; the rule across fields is here
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("maxBackoff (" + Durations.format(maxBackoff)
          + ") must not be less than initialBackoff (" + Durations.format(initialBackoff) + ")");
    }
    this.backoffMultiplier = b.backoffMultiplier;
    this.jitter = Objects.requireNonNull(b.jitter, "retry.jitter");
    this.retryOn = Objects.requireNonNull(b.retryOn, "retry.retryOn");
    Set<String> methods = new LinkedHashSet<>();
    for (String m : b.retryMethods) {
      methods.add(m.toUpperCase(Locale.ROOT));
    }
    this.retryMethods = Collections.unmodifiableSet(methods);
    this.respectRetryAfter = b.respectRetryAfter;
    this.budget = b.budget;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .maxAttempts(maxAttempts)
        .initialBackoff(initialBackoff)
        .maxBackoff(maxBackoff)
        .backoffMultiplier(backoffMultiplier)
        .jitter(jitter)
        .retryOn(retryOn)
        .retryMethods(retryMethods)
        .respectRetryAfter(respectRetryAfter)
        .budget(budget);
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public Duration initialBackoff() {
    return initialBackoff;
  }

  public Duration maxBackoff() {
    return maxBackoff;
  }

  public double backoffMultiplier() {
    return backoffMultiplier;
  }

  public Jitter jitter() {
    return jitter;
  }

  public OutcomeSet retryOn() {
    return retryOn;
  }

  /** Upper-case method names. */
  public Set<String> retryMethods() {
    return retryMethods;
  }

  public boolean respectRetryAfter() {
    return respectRetryAfter;
  }

  /** The target's retry budget; empty when {@code budget: none}. */
  public java.util.Optional<RetryBudgetConfig> budget() {
    return java.util.Optional.ofNullable(budget);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RetryConfig)) {
      return false;
    }
    RetryConfig r = (RetryConfig) o;
    return maxAttempts == r.maxAttempts
        && initialBackoff.equals(r.initialBackoff)
        && maxBackoff.equals(r.maxBackoff)
        && backoffMultiplier == r.backoffMultiplier
        && jitter == r.jitter
        && retryOn.equals(r.retryOn)
        && retryMethods.equals(r.retryMethods)
        && respectRetryAfter == r.respectRetryAfter
        && Objects.equals(budget, r.budget);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxAttempts, initialBackoff, maxBackoff, backoffMultiplier, jitter, retryOn, retryMethods, budget);
  }

  @Override
  public String toString() {
    return "retry{maxAttempts=" + maxAttempts + ", initialBackoff=" + initialBackoff + ", maxBackoff=" + maxBackoff
        + ", backoffMultiplier=" + backoffMultiplier + ", jitter=" + jitter + ", retryOn=" + retryOn
        + ", retryMethods=" + retryMethods + ", respectRetryAfter=" + respectRetryAfter
        + ", budget=" + (budget == null ? "none" : budget) + "}";
  }

  public static final class Builder {
    private int maxAttempts = 3;
    private Duration initialBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(2);
    private double backoffMultiplier = 2.0;
    private Jitter jitter = Jitter.FULL;
    private OutcomeSet retryOn = OutcomeSet.of("connect-failure", "reset", "timeout", "502", "503", "504");
    private Set<String> retryMethods =
        new LinkedHashSet<>(Arrays.asList("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"));
    private boolean respectRetryAfter = true;
    private RetryBudgetConfig budget = RetryBudgetConfig.DEFAULT;

    public Builder maxAttempts(int v) {
      maxAttempts = InvalidValue.atLeast("retry.maxAttempts", 1, v);
      return this;
    }

    public Builder initialBackoff(Duration v) {
      initialBackoff = InvalidValue.positive("retry.initialBackoff", v);
      return this;
    }

    public Builder maxBackoff(Duration v) {
      maxBackoff = InvalidValue.positive("retry.maxBackoff", v);
      return this;
    }

    public Builder backoffMultiplier(double v) {
      if (!(v >= 1.0) || Double.isInfinite(v)) {
        throw new InvalidValue("retry.backoffMultiplier",
            "must be at least 1.0 (1.0 keeps the backoff constant), was " + InvalidValue.number(v), null);
      }
      backoffMultiplier = v;
      return this;
    }

    public Builder jitter(Jitter v) {
      jitter = v;
      return this;
    }

    public Builder retryOn(OutcomeSet v) {
      retryOn = v;
      return this;
    }

    public Builder retryMethods(Set<String> v) {
      retryMethods = new LinkedHashSet<>(v);
      return this;
    }

    public Builder respectRetryAfter(boolean v) {
      respectRetryAfter = v;
      return this;
    }

    /** Null for none. */
    public Builder budget(RetryBudgetConfig v) {
      budget = v;
      return this;
    }

    public RetryConfig build() {
      return new RetryConfig(this);
    }
  }
}
