package dev.levee.core.pipeline;

/** The target already has maxConcurrentCalls in flight and no permit freed up in time. */
public final class BulkheadFullException extends RejectedCallException {

  private static final long serialVersionUID = 1L;

  public BulkheadFullException(String message) {
    super(message);
  }
}
