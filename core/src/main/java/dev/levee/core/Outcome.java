package dev.levee.core;

/**
 * How one attempt ended (DESIGN.md §3). HTTP attempts that got a response are a {@link Kind#STATUS}
 * with its code; everything else is a kind. Instances are shared and immutable.
 */
public final class Outcome {

  public enum Kind {
    /** A non-HTTP call that completed (JDBC). */
    SUCCESS("success"),
    /** An HTTP response with a status code. */
    STATUS("status"),
    /** No connection was made: nothing was sent. */
    CONNECT_FAILURE("connect-failure"),
    /** The connection broke after the request may have been sent. */
    RESET("reset"),
    /** The attempt ran past its timeout. */
    TIMEOUT("timeout"),
    /** Levee itself refused (breaker open, bulkhead full, deadline expired); never retried, never recorded. */
    REJECTED("rejected"),
    /** A transient database failure (serialization failure, deadlock): SQLState 40001, 40P01. */
    TRANSIENT("transient"),
    /** A failure that is the application's own (a 4xx-like SQL error, a bad argument): not the dependency's. */
    APPLICATION_ERROR("application-error"),
    /**
     * The attempt ended on this side, not by the dependency: the application cancelled it, or no pooled
     * connection was free in time. Never retried, never recorded in the breaker.
     */
    LOCAL("local");

    private final String configName;

    Kind(String configName) {
      this.configName = configName;
    }

    /** The name used in resilience.yaml lists (retryOn, recordOn). */
    public String configName() {
      return configName;
    }
  }

  public static final Outcome SUCCESS = new Outcome(Kind.SUCCESS, 0);
  public static final Outcome CONNECT_FAILURE = new Outcome(Kind.CONNECT_FAILURE, 0);
  public static final Outcome RESET = new Outcome(Kind.RESET, 0);
  public static final Outcome TIMEOUT = new Outcome(Kind.TIMEOUT, 0);
  public static final Outcome REJECTED = new Outcome(Kind.REJECTED, 0);
  public static final Outcome TRANSIENT = new Outcome(Kind.TRANSIENT, 0);
  public static final Outcome APPLICATION_ERROR = new Outcome(Kind.APPLICATION_ERROR, 0);
  public static final Outcome LOCAL = new Outcome(Kind.LOCAL, 0);

  private static final Outcome[] STATUSES = new Outcome[600];

  static {
    for (int code = 100; code < STATUSES.length; code++) {
      STATUSES[code] = new Outcome(Kind.STATUS, code);
    }
  }

  private final Kind kind;
  private final int status;

  private Outcome(Kind kind, int status) {
    this.kind = kind;
    this.status = status;
  }

  /** The outcome of an HTTP response with this status code. */
  public static Outcome status(int code) {
    if (code >= 100 && code < STATUSES.length) {
      return STATUSES[code];
    }
    return new Outcome(Kind.STATUS, code);
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status code for {@link Kind#STATUS}, else 0. */
  public int status() {
    return status;
  }

  public boolean isFailure() {
    return kind != Kind.SUCCESS && kind != Kind.STATUS && kind != Kind.APPLICATION_ERROR && kind != Kind.LOCAL;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Outcome)) {
      return false;
    }
    Outcome other = (Outcome) o;
    return kind == other.kind && status == other.status;
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + status;
  }

  @Override
  public String toString() {
    return kind == Kind.STATUS ? Integer.toString(status) : kind.configName();
  }
}
