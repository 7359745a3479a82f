package dev.levee.core.pipeline;

/**
 * A fault in Levee's own code before anything was sent. The hook seam catches it, reports it once and lets
 * the call proceed untouched: Levee fails open.
 */
public final class LeveeFault extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public LeveeFault(Throwable cause) {
    super(cause);
  }

  /** A step of Levee's own that may fail in any way. */
  @FunctionalInterface
  public interface Step<T> {
    T run() throws Throwable;
  }

  /**
   * Runs a step of Levee's own before anything is sent (reading the app's request, say): whatever it throws,
   * a runtime exception, a linkage error, a checked reflective failure, becomes a {@code LeveeFault}.
   */
  public static <T> T guard(Step<T> step) {
    try {
      return step.run();
    } catch (LeveeFault | VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      throw new LeveeFault(t);
    }
  }
}
