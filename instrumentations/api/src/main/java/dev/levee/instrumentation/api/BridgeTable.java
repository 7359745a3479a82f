package dev.levee.instrumentation.api;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The bridge's table for instrumentations: each hooked method's site (derived from the method itself, so it
 * cannot be missing or misspelt) to its handler on the instrumentation's hooks object, behind the one
 * fail-open guard of its kind ({@link MethodHook#entry}, {@link MethodHook#replacement}, {@link MethodHook#exit}).
 * The agent installs it; a test calls a site's function exactly as the woven code does.
 */
public final class BridgeTable {

  private BridgeTable() {}

  /** Every site of one instrumentation, bound to {@code hooks}. */
  public static <H> Map<String, BiFunction<Object, Object[], Object>> of(LeveeInstrumentation<H> instrumentation, H hooks) {
    return of(instrumentation.methodHooks(), hooks);
  }

  /** Every site of hooks an instrumentation declared, bound to {@code hooks}: the agent declares them once. */
  public static <H> Map<String, BiFunction<Object, Object[], Object>> of(List<MethodHook<H>> declared, H hooks) {
    Map<String, BiFunction<Object, Object[], Object>> sites = new HashMap<>();
    for (MethodHook<H> hook : declared) {
      switch (hook.kind()) {
        case REPLACE_FIELD:
        case REPLACE_ARGUMENT:
          sites.put(hook.site(), hook.replacement(hooks));
          break;
        case SCOPED:
        case SCOPED_RETURN_EARLY:
          sites.put(hook.site(), hook.entry(hooks));
          sites.put(hook.exitSite(), hook.exit(hooks));
          break;
        default:
          sites.put(hook.site(), hook.entry(hooks));
      }
    }
    return sites;
  }
}
