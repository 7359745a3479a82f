package dev.levee.core.policy;

import dev.levee.core.Clock;
import dev.levee.core.LeveeLog;
import dev.levee.core.Outcome;
import dev.levee.core.Target;
import dev.levee.core.config.CircuitBreakerConfig;
import dev.levee.core.config.Durations;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A circuit breaker for one target, with Resilience4j's states and meanings
 * (CircuitBreakerStateMachine is the model): CLOSED counts calls in a sliding window and opens when
 * too many fail (or are slow); OPEN refuses every call for {@code waitDurationInOpenState}; then the
 * next call moves it to HALF_OPEN, which lets {@code permittedNumberOfCallsInHalfOpenState} probe calls
 * through and closes or reopens on their results.
 *
 * <p>Each state is an object; a transition replaces it with a compare-and-set from the state it
 * leaves, so when threads race, exactly one transition happens and the others act on its result.
 * A call's permission and its result carry no token, so a result is always counted by the state
 * current when it arrives (see {@link HalfOpen#onResult} for the guards against stragglers).
 *
 * <p>A probe is bounded: one whose outcome never arrives (a hung call, a lost callback) would otherwise
 * hold its slot, and the breaker would refuse every call for good. See {@link HalfOpen#tryAcquirePermission}.
 */
public final class CircuitBreaker {

  public enum State {
    CLOSED,
    OPEN,
    HALF_OPEN
  }

  private final Target target;
  private final CircuitBreakerConfig config;
  private final Clock clock;
  private final long slowCallNanos;
  private final long waitInOpenNanos;
  private final int minimumNumberOfCalls;
  private final double failureRateThreshold;
  private final double slowCallRateThreshold;
  private final boolean slowCallsCanOpen;
  private final Duration probeTimeout;
  private final long probeTimeoutNanos;
  private final AtomicReference<BreakerState> current;
  private final Transitions transitions;
  /** When a probe was last given up on; meaningful once {@link #probeGivenUp} is set. */
  private volatile long probeGivenUpAtNanos;
  private volatile boolean probeGivenUp;

  /**
   * @param probeTimeout how long a half-open probe may go unanswered before it is given up on: the
   *     longest a call's permission can legitimately be held (the pipeline passes the bulkhead wait plus
   *     the attempt timeout, plus a margin)
   */
  public CircuitBreaker(Target target, CircuitBreakerConfig config, Clock clock, Duration probeTimeout) {
    this(target, config, clock, probeTimeout, Transitions.NONE);
  }

  /** @param transitions told of every change of state, by the thread that made it, exactly once */
  public CircuitBreaker(Target target, CircuitBreakerConfig config, Clock clock, Duration probeTimeout,
      Transitions transitions) {
    this.transitions = Objects.requireNonNull(transitions, "transitions");
    this.target = Objects.requireNonNull(target, "target");
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.probeTimeout = Objects.requireNonNull(probeTimeout, "probeTimeout");
    this.probeTimeoutNanos = Nanos.of(probeTimeout);
    this.slowCallNanos = Nanos.of(config.slowCallDurationThreshold());
    this.waitInOpenNanos = Nanos.of(config.waitDurationInOpenState());
    // never above a count-based window's size: CircuitBreakerConfig refuses that (the breaker could never open)
    this.minimumNumberOfCalls = config.minimumNumberOfCalls();
    this.failureRateThreshold = config.failureRateThreshold();
    this.slowCallRateThreshold = config.slowCallRateThreshold();
    // Levee's documented meaning (DESIGN.md §4): 100 = slow calls alone never open the breaker.
    this.slowCallsCanOpen = config.slowCallRateThreshold() < 100f;
    this.current = new AtomicReference<>(new Closed());
  }

  /** Told of a breaker's changes of state (closed -> open -> half-open -> closed, half-open -> open). */
  @FunctionalInterface
  public interface Transitions {
    Transitions NONE = (breaker, from, to, reason) -> {};

    /**
     * @param reason why, in words: the failures that opened it, the wait that ended, the probes' verdict
     */
    void onTransition(CircuitBreaker breaker, State from, State to, String reason);
  }

  /**
   * Replaces {@code from} with {@code to} if {@code from} is still current, and then (only the thread that
   * made the change) tells {@link #transitions}; a fault there is Levee's and changes nothing.
   */
  private boolean move(BreakerState from, BreakerState to, String reason) {
    if (!current.compareAndSet(from, to)) {
      return false;
    }
    try {
      transitions.onTransition(this, from.state(), to.state(), reason);
    } catch (Throwable t) {
      LeveeLog.warnOnce("breaker.transition", "internal error reporting a circuit breaker's change of state", t);
    }
    return true;
  }

  public Target target() {
    return target;
  }

  public CircuitBreakerConfig config() {
    return config;
  }

  /**
   * Takes a permission to make a call. CLOSED: always. OPEN: no, until waitDurationInOpenState has
   * passed; then this call moves the breaker to HALF_OPEN and becomes a probe. HALF_OPEN: while fewer
   * than permittedNumberOfCallsInHalfOpenState probes have been handed out; when none is free and the
   * newest probe has gone unanswered for the probe timeout, this call reopens the breaker (and is
   * refused). A permission taken must end in exactly one {@link #onResult} or {@link #releasePermission}.
   */
  public boolean tryAcquirePermission() {
    return current.get().tryAcquirePermission();
  }

  /**
   * Gives back a permission whose call never ran to an outcome (cancelled, or refused later by the
   * bulkhead or the deadline). In HALF_OPEN it frees the probe slot.
   */
  public void releasePermission() {
    current.get().releasePermission();
  }

  /** Whether {@link #tryAcquirePermission} would succeed now; takes nothing and changes no state. */
  public boolean isCallPermitted() {
    return current.get().isCallPermitted();
  }

  /**
   * Records the result of a call that had permission. It failed when its outcome is in
   * {@code recordOn}; it was slow when it took longer than slowCallDurationThreshold. REJECTED outcomes
   * (Levee's own refusals) are ignored: they say nothing about the target.
   */
  public void onResult(long durationNanos, Outcome outcome) {
    if (outcome == null || outcome.kind() == Outcome.Kind.REJECTED) {
      return;
    }
    current.get().onResult(durationNanos, config.recordOn().contains(outcome), durationNanos > slowCallNanos);
  }

  /**
   * The state now. An OPEN breaker whose wait has passed still reports OPEN until a call asks for
   * permission: the move to HALF_OPEN is lazy, and so is giving up on an unanswered probe.
   */
  public State state() {
    return current.get().state();
  }

  /**
   * CLOSED: the sliding window. OPEN: the tally that opened it (the window, or the probes' results).
   * HALF_OPEN: the probes' results so far.
   */
  public CallWindow.Snapshot snapshot() {
    return current.get().snapshot();
  }

  /** How long until an OPEN breaker lets a probe through; 0 in other states or once the wait is over. */
  public long remainingOpenNanos() {
    return current.get().remainingOpenNanos();
  }

  /** Why a call was refused, for the exception the application sees: what, which target, when to retry. */
  public String rejectionMessage() {
    return current.get().rejectionMessage();
  }

  @Override
  public String toString() {
    return "circuit breaker " + target + " " + state() + " " + snapshot();
  }

  private CallWindow newWindow() {
    if (config.slidingWindowType() == CircuitBreakerConfig.SlidingWindowType.TIME_BASED) {
      return new TimeWindow(config.slidingWindowSize(), clock);
    }
    return new CountWindow(config.slidingWindowSize());
  }

  private boolean failureRateExceeded(CallWindow.Snapshot s) {
    // compared as failed/total >= threshold/100 without dividing, so 10 of 20 at 50% opens exactly
    return s.totalCalls() > 0 && s.failedCalls() * 100.0 >= failureRateThreshold * s.totalCalls();
  }

  private boolean slowCallRateExceeded(CallWindow.Snapshot s) {
    return slowCallsCanOpen
        && s.totalCalls() > 0
        && s.slowCalls() * 100.0 >= slowCallRateThreshold * s.totalCalls();
  }

  /** "12 of the last 20 calls failed": why the window opened the breaker, for the rejection message. */
  private String closedReason(CallWindow.Snapshot s, boolean slow) {
    String what = slow ? " were slow" : " failed";
    long count = slow ? s.slowCalls() : s.failedCalls();
    String calls = s.totalCalls() == 1 ? " call" : " calls";
    if (config.slidingWindowType() == CircuitBreakerConfig.SlidingWindowType.TIME_BASED) {
      return count + " of " + s.totalCalls() + calls + " in the last " + config.slidingWindowSize() + "s" + what;
    }
    return count + " of the last " + s.totalCalls() + calls + what;
  }

  /** "in 2.5s" under ten seconds, "in 18s" above; rounded up, so it never promises too early. */
  static String formatDelay(long nanos) {
    if (nanos <= 0) {
      return "now";
    }
    long tenths = (nanos + 99_999_999L) / 100_000_000L;
    if (tenths < 100) {
      return "in " + tenths / 10 + "." + tenths % 10 + "s";
    }
    return "in " + ((nanos - 1) / 1_000_000_000L + 1) + "s";
  }

  private abstract static class BreakerState {
    abstract State state();

    abstract boolean tryAcquirePermission();

    abstract void releasePermission();

    abstract boolean isCallPermitted();

    abstract void onResult(long durationNanos, boolean failed, boolean slow);

    abstract CallWindow.Snapshot snapshot();

    long remainingOpenNanos() {
      return 0;
    }

    abstract String rejectionMessage();
  }

  /** Counts every call in the sliding window; opens when the window's rates reach the thresholds. */
  private final class Closed extends BreakerState {
    private final CallWindow window = newWindow();

    @Override
    State state() {
      return State.CLOSED;
    }

    @Override
    boolean tryAcquirePermission() {
      return true;
    }

    @Override
    void releasePermission() {}

    @Override
    boolean isCallPermitted() {
      return true;
    }

    @Override
    void onResult(long durationNanos, boolean failed, boolean slow) {
      // Late results of probes (or of calls from before an earlier opening) are counted here too:
      // they are real calls to the target that just finished.
      CallWindow.Snapshot s = window.record(failed, slow);
      if (s.totalCalls() < minimumNumberOfCalls) {
        return;
      }
      if (failureRateExceeded(s)) {
        String reason = closedReason(s, false);
        move(this, new Open(reason, s), reason);
      } else if (slowCallRateExceeded(s)) {
        String reason = closedReason(s, true);
        move(this, new Open(reason, s), reason);
      }
    }

    @Override
    CallWindow.Snapshot snapshot() {
      return window.snapshot();
    }

    @Override
    String rejectionMessage() {
      // only reached when the breaker closed between a refusal and this message
      return "levee: circuit for " + target + " refused the call while closing; try again";
    }
  }

  /** Refuses every call until the wait is over; the first call after it moves to HALF_OPEN. */
  private final class Open extends BreakerState {
    private final long openedAtNanos = clock.nanoTime();
    private final String reason;
    private final CallWindow.Snapshot cause;

    Open(String reason, CallWindow.Snapshot cause) {
      this.reason = reason;
      this.cause = cause;
    }

    private long elapsedNanos() {
      return clock.nanoTime() - openedAtNanos; // a difference, so safe across nanoTime overflow
    }

    @Override
    State state() {
      return State.OPEN;
    }

    @Override
    boolean tryAcquirePermission() {
      if (elapsedNanos() < waitInOpenNanos) {
        return false;
      }
      // One racing caller moves it; every caller then asks whatever state won, so at most
      // permittedNumberOfCallsInHalfOpenState of them become probes.
      move(this, new HalfOpen(), "open for " + Durations.format(config.waitDurationInOpenState())
          + "; up to " + config.permittedNumberOfCallsInHalfOpenState() + " probe calls may pass");
      return current.get().tryAcquirePermission();
    }

    @Override
    void releasePermission() {
      // a permission from before it opened: nothing to give back
    }

    @Override
    boolean isCallPermitted() {
      return elapsedNanos() >= waitInOpenNanos;
    }

    @Override
    void onResult(long durationNanos, boolean failed, boolean slow) {
      // A call that started before the breaker opened: its result cannot change an open breaker.
    }

    @Override
    CallWindow.Snapshot snapshot() {
      return cause;
    }

    @Override
    long remainingOpenNanos() {
      return Math.max(0, waitInOpenNanos - elapsedNanos());
    }

    @Override
    String rejectionMessage() {
      return "levee: circuit open for " + target + " (" + reason + "); next probe " + formatDelay(remainingOpenNanos());
    }
  }

  /**
   * Lets a fixed number of probe calls through and decides on their results: all of them in, then
   * close when the rates are under the thresholds, else reopen (and wait again).
   */
  private final class HalfOpen extends BreakerState {
    private final int permitted = config.permittedNumberOfCallsInHalfOpenState();
    /** Probes handed out and not given back: in flight, or finished. */
    private int acquired;
    /** When the newest probe was handed out: every probe in flight is at least this old. */
    private long lastGrantedAtNanos;
    private int finished;
    private int failed;
    private int slow;

    @Override
    State state() {
      return State.HALF_OPEN;
    }

    /**
     * A probe whose outcome never arrives (a hung call Levee failed to cut, a lost callback) is given up
     * on once the newest probe has gone unanswered for the probe timeout, checked here, on the clock, when
     * a call is refused: no timer needed. Giving up reopens the breaker, as Resilience4j's
     * maxWaitDurationInHalfOpenState does: a probe that outlived every timeout meant to end it is no sign
     * of health, and it would have been recorded as a timeout had Levee cut it. Freeing its slot instead
     * would let its late answer pass for the next probe's.
     */
    @Override
    boolean tryAcquirePermission() {
      CallWindow.Snapshot round;
      long now = clock.nanoTime();
      int unanswered;
      synchronized (this) {
        if (acquired < permitted) {
          acquired++;
          lastGrantedAtNanos = now;
          return true;
        }
        unanswered = acquired - finished;
        if (unanswered == 0 || now - lastGrantedAtNanos < probeTimeoutNanos) {
          return false;
        }
        round = new CallWindow.Snapshot(finished, failed, slow);
      }
      String reason = unanswered == 1
          ? "a probe call never answered within " + Durations.format(probeTimeout)
          : unanswered + " probe calls never answered within " + Durations.format(probeTimeout);
      // Only the thread that moved it marks the give-up: a caller holding this round after it ended must
      // not mark a time that a later round's probes may have started before. (Its answer, should it come
      // before the mark, meets the open breaker, which ignores every result.)
      if (move(this, new Open(reason, round), reason)) {
        probeGivenUpAtNanos = now;
        probeGivenUp = true;
      }
      return false;
    }

    @Override
    synchronized void releasePermission() {
      // Guarded: a release with no probe in flight is from a call admitted before half-open. (A probe
      // given up on that is released late may free a slot here: one extra probe, never a verdict.)
      if (acquired > finished) {
        acquired--;
      }
    }

    @Override
    synchronized boolean isCallPermitted() {
      return acquired < permitted;
    }

    /**
     * Counts a result only while a probe is in flight. A result with none in flight came from a call
     * admitted while CLOSED and is dropped, so stragglers can never decide the probe round alone; one
     * that arrives while a probe is in flight is taken for the probe's (no token tells them apart) and
     * the probe's own result is then the one dropped. Either way the round sees at most
     * {@code permitted} results and ends exactly once.
     *
     * <p>Once a probe has been given up on, its answer may still come, in a later round, while that
     * round's probe is in flight: it must not pass for that probe's. A call's start is its end minus its
     * duration, and every probe of this round started after the give-up, so a result of a call that
     * started before it is dropped.
     */
    @Override
    void onResult(long durationNanos, boolean failedCall, boolean slowCall) {
      if (probeGivenUp && clock.nanoTime() - durationNanos - probeGivenUpAtNanos < 0) {
        return;
      }
      CallWindow.Snapshot round;
      synchronized (this) {
        if (finished >= acquired) {
          return;
        }
        finished++;
        failed += failedCall ? 1 : 0;
        slow += slowCall ? 1 : 0;
        if (finished < permitted) {
          return;
        }
        round = new CallWindow.Snapshot(finished, failed, slow);
      }
      if (failureRateExceeded(round)) {
        String reason = probeReason(round, false);
        move(this, new Open(reason, round), reason);
      } else if (slowCallRateExceeded(round)) {
        String reason = probeReason(round, true);
        move(this, new Open(reason, round), reason);
      } else {
        move(this, new Closed(), probeReason(round, false));
      }
    }

    private String probeReason(CallWindow.Snapshot s, boolean slowCalls) {
      long count = slowCalls ? s.slowCalls() : s.failedCalls();
      return count + " of " + s.totalCalls() + " probe " + (s.totalCalls() == 1 ? "call" : "calls")
          + (slowCalls ? " were slow" : " failed");
    }

    @Override
    synchronized CallWindow.Snapshot snapshot() {
      return new CallWindow.Snapshot(finished, failed, slow);
    }

    @Override
    String rejectionMessage() {
      int inFlight;
      synchronized (this) {
        inFlight = acquired - finished;
      }
      return "levee: circuit half-open for " + target + " (" + inFlight + " probe "
          + (inFlight == 1 ? "call in flight); try again when it completes" : "calls in flight); try again when they complete");
    }
  }
}
