package dev.levee.bridge;

import java.util.Collections;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

/**
 * The one class that instrumented methods call. At startup the agent defines a copy of it, renamed
 * {@code java.lang.LeveeBridge}, into {@code java.base}: so it is visible from every class loader
 * (bootstrap, platform, any application loader) without appending a jar to the boot class path. It
 * therefore uses {@code java.base} types only and holds no logic: the work is done by hooks the agent
 * registers, loaded by the agent's own loader.
 */
public final class LeveeBridge {

  private static volatile Map<String, BiFunction<Object, Object[], Object>> hooks = Collections.emptyMap();

  /** The Levee that runs in this JVM (its version and how it started), once one has claimed it. */
  private static final AtomicReference<String> running = new AtomicReference<>();

  private LeveeBridge() {}

  /**
   * One JVM runs one Levee: claims the JVM for {@code levee}. Null when it is now Levee's; otherwise the
   * Levee that claimed it first, and the caller must change nothing (two would weave the same methods,
   * and every call would run through Levee twice).
   */
  public static String claim(String levee) {
    return running.compareAndSet(null, levee) ? null : running.get();
  }

  /** The Levee that claimed this JVM, or null. */
  public static String running() {
    return running.get();
  }

  /** Registers every hook by site name; called once by the agent before any instrumented method runs. */
  public static void install(Map<String, BiFunction<Object, Object[], Object>> siteHooks) {
    hooks = siteHooks;
  }

  /**
   * Called on entry to an instrumented method. Returns null to let the method run untouched, or the
   * value to return instead; may throw what the method declares.
   *
   * @param site the hook's name, e.g. {@code jdk-httpclient.send}
   * @param self the instance the method was called on
   * @param args the method's arguments (or, for a field hook, the field's current value)
   */
  public static Object enter(String site, Object self, Object[] args) {
    BiFunction<Object, Object[], Object> hook = hooks.get(site);
    return hook == null ? null : hook.apply(self, args);
  }

  /**
   * Called on entry to a method whose field Levee adjusts: returns the value to store. The field keeps its
   * value when no hook is registered, the hook returns null, or the hook fails (Levee fails open).
   */
  public static Object replace(String site, Object self, Object value) {
    BiFunction<Object, Object[], Object> hook = hooks.get(site);
    if (hook == null) {
      return value;
    }
    try {
      Object replaced = hook.apply(self, new Object[] {value});
      return replaced == null ? value : replaced;
    } catch (Throwable t) {
      return value;
    }
  }

  /**
   * Called on entry to a method Levee scopes (an inbound request's handler): the hook opens the scope.
   * Whatever happens in the hook, the method runs.
   */
  public static void enterScope(String site, Object self, Object[] args) {
    BiFunction<Object, Object[], Object> hook = hooks.get(site);
    if (hook != null) {
      try {
        hook.apply(self, args);
      } catch (Throwable t) {
        // fail open: the hook logs its own faults
      }
    }
  }

  /**
   * Called on every way out of a scoped method, an exception included: the hook closes the scope. Never
   * throws, so the method's own result or exception is what its caller gets.
   */
  public static void exitScope(String exitSite) {
    BiFunction<Object, Object[], Object> hook = hooks.get(exitSite);
    if (hook != null) {
      try {
        hook.apply(null, null);
      } catch (Throwable t) {
        // fail open: the hook logs its own faults
      }
    }
  }
}
