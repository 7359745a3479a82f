package dev.levee.core.policy;

/**
 * The circuit breaker's memory of recent calls: how many there were, how many failed, how many were
 * slow. The breaker decides what counts as failed or slow; a window only keeps the tally and forgets
 * calls that fall out of it. Implementations are thread-safe.
 */
public interface CallWindow {

  /** Adds one finished call and returns the tally including it. */
  Snapshot record(boolean failed, boolean slow);

  /** The tally now (a time-based window first forgets what has aged out). */
  Snapshot snapshot();

  /** Forgets every call. */
  void reset();

  /** An immutable tally of the calls in a window. */
  final class Snapshot {

    public static final Snapshot EMPTY = new Snapshot(0, 0, 0);

    private final long totalCalls;
    private final long failedCalls;
    private final long slowCalls;

    public Snapshot(long totalCalls, long failedCalls, long slowCalls) {
      this.totalCalls = totalCalls;
      this.failedCalls = failedCalls;
      this.slowCalls = slowCalls;
    }

    public long totalCalls() {
      return totalCalls;
    }

    public long failedCalls() {
      return failedCalls;
    }

    public long slowCalls() {
      return slowCalls;
    }

    /** Percent of calls that failed, 0 to 100; 0 when there were no calls. */
    public float failureRate() {
      return totalCalls == 0 ? 0f : (float) (failedCalls * 100.0 / totalCalls);
    }

    /** Percent of calls that were slow, 0 to 100; 0 when there were no calls. */
    public float slowCallRate() {
      return totalCalls == 0 ? 0f : (float) (slowCalls * 100.0 / totalCalls);
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Snapshot)) {
        return false;
      }
      Snapshot s = (Snapshot) o;
      return totalCalls == s.totalCalls && failedCalls == s.failedCalls && slowCalls == s.slowCalls;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(totalCalls) * 961 + Long.hashCode(failedCalls) * 31 + Long.hashCode(slowCalls);
    }

    @Override
    public String toString() {
      return "{calls=" + totalCalls + ", failed=" + failedCalls + ", slow=" + slowCalls + "}";
    }
  }
}
