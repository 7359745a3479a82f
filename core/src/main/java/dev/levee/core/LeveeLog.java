package dev.levee.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Levee's own messages, on stderr with a {@code levee} prefix. Warnings about Levee's own faults are
 * printed once per key so a broken path cannot flood the application's log.
 */
public final class LeveeLog {

  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
  private static final boolean DEBUG = Switches.flag(Switches.DEBUG, false);

  private LeveeLog() {}

  public static void info(String message) {
    System.err.println(message.startsWith("levee") ? message : "levee: " + message);
  }

  /** Prints the warning the first time {@code key} is seen; with -Dlevee.debug=true, every time with its trace. */
  public static void warnOnce(String key, String message, Throwable error) {
    if (WARNED.add(key) || DEBUG) {
      System.err.println("levee: " + message + (error == null ? "" : ": " + error));
      if (DEBUG && error != null) {
        error.printStackTrace();
      }
    }
  }

  public static boolean isDebug() {
    return DEBUG;
  }
}
