package dev.levee.instrumentation.apache5;

/** Rethrows what HttpClient threw (an IOException, say) from a hook whose signature cannot declare it. */
final class Sneaky {

  private Sneaky() {}

  @SuppressWarnings("unchecked")
  static <T extends Throwable> T rethrow(Throwable t) throws T {
    throw (T) t;
  }
}
