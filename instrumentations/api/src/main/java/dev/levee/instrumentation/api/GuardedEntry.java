package dev.levee.instrumentation.api;

import dev.levee.core.LeveeLog;
import dev.levee.core.pipeline.LeveeFault;
import java.util.function.BiFunction;

/**
 * The one fail-open wrapper around every entry handler ({@link MethodHook#entry}), so that no handler
 * writes its own:
 *
 * <ul>
 *   <li>a {@link MethodHook.Kind#CALL} hook lets the pipeline's own attempts through untouched
 *       ({@link PassThrough});
 *   <li>a {@link LeveeFault} (Levee failed before anything was sent) lets the method run untouched, with one
 *       warning for the site;
 *   <li>a scoped method's entry never fails the method: any fault is reported once and the method runs;
 *       nor does a constructor's watcher ({@link MethodHook.Kind#CONSTRUCTED}) fail the constructor;
 *   <li>anything else is the library's or the application's own exception and goes to the caller, as a type
 *       the hooked method declares ({@link DeclaredExceptions}).
 * </ul>
 */
final class GuardedEntry<H> implements BiFunction<Object, Object[], Object> {

  private final MethodHook<H> hook;
  private final MethodHook.Handler<H> handler;
  private final H hooks;
  private final boolean call;
  private final boolean scoped;

  GuardedEntry(MethodHook<H> hook, H hooks) {
    this.hook = hook;
    this.handler = hook.handler();
    this.hooks = hooks;
    this.call = hook.kind() == MethodHook.Kind.CALL;
    this.scoped = hook.isScoped() || hook.kind() == MethodHook.Kind.CONSTRUCTED;
  }

  @Override
  public Object apply(Object self, Object[] args) {
    if (call && PassThrough.take()) {
      return null;
    }
    try {
      return handler.onEntry(hooks, self, args);
    } catch (LeveeFault fault) {
      LeveeLog.warnOnce(hook.site(), "could not apply Levee to a call of " + hook + "; it runs untouched",
          fault.getCause());
      return null;
    } catch (Throwable t) {
      if (scoped) {
        LeveeLog.warnOnce(hook.site(), "a fault in Levee entering " + hook + "; it runs without Levee's scope", t);
        return null;
      }
      throw DeclaredExceptions.<RuntimeException>rethrow(DeclaredExceptions.asDeclared(t, hook.declared()));
    }
  }
}
