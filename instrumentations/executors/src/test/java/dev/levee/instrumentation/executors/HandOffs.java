package dev.levee.instrumentation.executors;

import dev.levee.core.deadline.CurrentDeadline;
import dev.levee.instrumentation.api.BridgeTable;
import dev.levee.instrumentation.api.MethodHook;
import java.util.Map;
import java.util.function.BiFunction;

/** Calls the hooks as the woven code does, through the bridge's {@code replace}: null keeps the argument. */
final class HandOffs {

  /** 2100-01-01: far from any deadline Levee would make itself. */
  static final long DEADLINE = 4_102_444_800_000L;

  private static final ExecutorsInstrumentation INSTRUMENTATION = new ExecutorsInstrumentation();

  static final Map<String, BiFunction<Object, Object[], Object>> HOOKS =
      BridgeTable.of(INSTRUMENTATION, INSTRUMENTATION.hooks(null));

  static final String TPE_EXECUTE = site("ThreadPoolExecutor", "execute", "(Ljava/lang/Runnable;)");
  static final String TPE_REMOVE = site("ThreadPoolExecutor", "remove", "(Ljava/lang/Runnable;)");

  private HandOffs() {}

  /** What the hooked method goes on with: the hook's replacement, or the argument itself. */
  @SuppressWarnings("unchecked")
  static <T> T handOver(String site, Object self, T argument) {
    BiFunction<Object, Object[], Object> hook = HOOKS.get(site);
    if (hook == null) {
      throw new AssertionError("no hook for " + site + " in " + HOOKS.keySet());
    }
    Object replaced = hook.apply(self, new Object[] {argument});
    return replaced == null ? argument : (T) replaced;
  }

  /** The site of the hook on {@code type.method} whose descriptor starts with {@code parameters}. */
  static String site(String simpleType, String method, String parameters) {
    for (MethodHook<?> hook : INSTRUMENTATION.methodHooks()) {
      if (hook.typeName().endsWith("." + simpleType) && hook.methodName().equals(method)
          && hook.methodDescriptor().startsWith(parameters)) {
        return hook.site();
      }
    }
    throw new AssertionError("no hook on " + simpleType + "." + method + parameters + " in " + HOOKS.keySet());
  }

  /** Runs {@code body} on the current thread with {@link #DEADLINE} as its deadline. */
  static <T> T withDeadline(ThrowingSupplier<T> body) throws Exception {
    long previous = CurrentDeadline.swap(DEADLINE);
    try {
      return body.get();
    } finally {
      CurrentDeadline.restore(previous);
    }
  }

  interface ThrowingSupplier<T> {
    T get() throws Exception;
  }
}
