package dev.levee.instrumentation.executors;

import java.net.URL;
import java.security.CodeSource;
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

  /**
   * The site, or null for a pool Levee itself makes. Called in the pool's constructor, or, for a pool made
   * before Levee was ready, in its {@code execute}: then the site is where it was first handed a task.
   */
  static String of(ThreadPoolExecutor pool) {
    List<StackWalker.StackFrame> frames = WALKER.walk(CreationSite::belowPool);
    StackWalker.StackFrame first = null;
    for (StackWalker.StackFrame frame : frames) {
      if (first == null) {
        first = frame;
      }
      String type = frame.getClassName();
      if (type.startsWith("dev.levee.") && isLevees(frame.getDeclaringClass())) {
        return null;
      }
      if (!isJdk(type)) {
        return describe(frame);
      }
    }
    // made by the JDK for itself, or deeper than the frames read: its nearest maker
    return first == null ? pool.getClass().getName() : describe(first);
  }

  /**
   * The frames under the pool's own: its constructors (called from the constructor hook), or its
   * {@code execute} and {@code submit} (a pool met at its first task, made before Levee was ready).
   */
  private static List<StackWalker.StackFrame> belowPool(Stream<StackWalker.StackFrame> stack) {
    return stack
        .dropWhile(frame -> !isPools(frame))
        .dropWhile(CreationSite::isPools)
        .limit(MOST_FRAMES)
        .collect(Collectors.toList());
  }

  private static boolean isPools(StackWalker.StackFrame frame) {
    return ThreadPoolExecutor.class.isAssignableFrom(frame.getDeclaringClass());
  }

  /**
   * A class of Levee's jar: the agent's classes share the application's class loader (the system one), and
   * an application's own classes may be named {@code dev.levee} too, so only the jar tells them apart.
   */
  private static boolean isLevees(Class<?> type) {
    URL levee = location(CreationSite.class);
    return levee != null && levee.equals(location(type));
  }

  private static URL location(Class<?> type) {
    CodeSource source = type.getProtectionDomain().getCodeSource();
    return source == null ? null : source.getLocation();
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
