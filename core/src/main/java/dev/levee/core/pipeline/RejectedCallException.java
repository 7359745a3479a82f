package dev.levee.core.pipeline;

import java.io.IOException;

/** An HTTP call Levee refused; the message says what refused it, for which target, and when to retry. */
public class RejectedCallException extends IOException {

  private static final long serialVersionUID = 1L;

  public RejectedCallException(String message) {
    super(message);
  }
}
