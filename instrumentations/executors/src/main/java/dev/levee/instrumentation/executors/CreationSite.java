package dev.levee.instrumentation.executors;

import java.util.List;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where a pool was made, as an operator looks for it in the application's code: the first frame below the
 * pool's constructors that is not the JDK's ({@code Executors.newFixedThreadPool} names its caller), e.g.
 * {@code com.example.Orders.start(Orders.java:42)}. Read once per pool made, never per task.
 */
final class CreationSite {

  private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
  private static final int MOST_FRAMES = 64;

  private CreationSite() {}

  /** The site, or null for a pool Levee itself makes. */
  static String of(ThreadPoolExecutor pool) {
    List<StackWalker.StackFrame> frames = WALKER.walk(CreationSite::belowConstructors);
    StackWalker.StackFrame first = null;
    for (StackWalker.StackFrame frame : frames) {
      if (first == null) {
        first = frame;
      }
      String type = frame.getClassName();
      if (type.startsWith("dev.levee.")) {
        return null;
      }
      if (!isJdk(type)) {
        return describe(frame);
      }
    }
    // made by the JDK for itself, or deeper than the frames read: its nearest maker
    return first == null ? pool.getClass().getName() : describe(first);
  }

  /** The frames under the innermost {@code ThreadPoolExecutor} constructor and its subclasses' constructors. */
  private static List<StackWalker.StackFrame> belowConstructors(Stream<StackWalker.StackFrame> stack) {
    return stack
        .dropWhile(frame -> !isPoolConstructor(frame))
        .dropWhile(CreationSite::isPoolConstructor)
        .limit(MOST_FRAMES)
        .collect(Collectors.toList());
  }

  private static boolean isPoolConstructor(StackWalker.StackFrame frame) {
    return frame.getMethodName().equals("<init>") && ThreadPoolExecutor.class.isAssignableFrom(frame.getDeclaringClass());
  }

  private static boolean isJdk(String type) {
    return type.startsWith("java.") || type.startsWith("javax.") || type.startsWith("jdk.") || type.startsWith("sun.")
        || type.startsWith("com.sun.");
  }

  private static String describe(StackWalker.StackFrame frame) {
    String file = frame.getFileName();
    return frame.getClassName() + "." + frame.getMethodName()
        + (file == null ? "" : "(" + file + (frame.getLineNumber() > 0 ? ":" + frame.getLineNumber() : "") + ")");
  }
}
