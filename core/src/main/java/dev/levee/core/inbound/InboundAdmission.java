package dev.levee.core.inbound;

import java.nio.charset.StandardCharsets;

/**
 * What became of one inbound request at the door: admitted (holding, until {@link #release}, a place in its
 * rule's concurrency limit, if it has one), or shed, with the answer the server sends instead of running the
 * app's handler.
 */
public final class InboundAdmission {

  /** Admitted by a rule that limits nothing at once: nothing to give back. */
  static final InboundAdmission UNLIMITED = new InboundAdmission(null, 0, 0, 0, null);

  private final InboundLimits.Concurrency concurrency;
  private final long admittedAtNanos;
  private final int status;
  private final long retryAfterSeconds;
  private final byte[] body;

  private InboundAdmission(InboundLimits.Concurrency concurrency, long admittedAtNanos, int status,
      long retryAfterSeconds, byte[] body) {
    this.concurrency = concurrency;
    this.admittedAtNanos = admittedAtNanos;
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
    this.body = body;
  }

  static InboundAdmission admitted(InboundLimits.Concurrency concurrency, long nowNanos) {
    return new InboundAdmission(concurrency, nowNanos, 0, 0, null);
  }

  static InboundAdmission shed(int status, long retryAfterSeconds, String message) {
    return new InboundAdmission(null, 0, status, retryAfterSeconds, (message + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** True when the app's handler runs the request. */
  public boolean isAdmitted() {
    return status == 0;
  }

  /** For a shed request: 503 (over the concurrency limit) or 429 (over the rate limit). */
  public int status() {
    return status;
  }

  /** For a shed request: the {@code Retry-After} value, in whole seconds (at least 1). */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** For a shed request: the short plain-text body that says why. */
  public byte[] body() {
    return body;
  }

  /**
   * The request's handling ended (the handler returned or threw; for an async servlet, its async context
   * completed): its place goes to the next request. {@code failed}: the handler threw, or answered 5xx;
   * an adaptive limit backs off on it. Call at most once.
   */
  public void release(boolean failed, long nowNanos) {
    if (concurrency != null) {
      concurrency.release(failed, nowNanos - admittedAtNanos);
    }
  }
}
