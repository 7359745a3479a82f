package dev.levee.core.pipeline;

import dev.levee.core.Target;

/**
 * What an instrumentation knows about one call before it is made: where it goes and whether the request
 * may be sent twice. Immutable; one per application call.
 */
public final class CallSpec {

  /** No deadline inherited from the caller. */
  public static final long NO_DEADLINE = Long.MAX_VALUE;

  private final Target target;
  private final String method;
  private final boolean idempotencyKey;
  private final boolean replayable;
  private final long inheritedDeadlineMillis;

  /**
   * @param method the HTTP method (upper case) or, for JDBC, a statement kind
   * @param idempotencyKey the request carries an {@code Idempotency-Key}: it counts as idempotent
   * @param replayable the request body can be sent again (no body, or one that replays)
   * @param inheritedDeadlineMillis an epoch-millis deadline the call already carries, or {@link #NO_DEADLINE}
   */
  public CallSpec(
      Target target, String method, boolean idempotencyKey, boolean replayable, long inheritedDeadlineMillis) {
    this.target = target;
    this.method = method;
    this.idempotencyKey = idempotencyKey;
    this.replayable = replayable;
    this.inheritedDeadlineMillis = inheritedDeadlineMillis;
  }

  public Target target() {
    return target;
  }

  public String method() {
    return method;
  }

  public boolean hasIdempotencyKey() {
    return idempotencyKey;
  }

  public boolean isReplayable() {
    return replayable;
  }

  public long inheritedDeadlineMillis() {
    return inheritedDeadlineMillis;
  }
}
