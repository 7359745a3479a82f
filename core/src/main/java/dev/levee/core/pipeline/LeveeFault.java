package dev.levee.core.pipeline;

/**
 * A fault in Levee's own code before anything was sent. The instrumentation catches it, reports it once
 * and lets the call proceed untouched: Levee fails open.
 */
public final class LeveeFault extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public LeveeFault(Throwable cause) {
    super(cause);
  }
}
