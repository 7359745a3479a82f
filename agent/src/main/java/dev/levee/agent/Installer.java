package dev.levee.agent;

import dev.levee.core.Clock;
import dev.levee.core.LeveeLog;
import dev.levee.core.LeveeThreads;
import dev.levee.core.LeveeTimer;
import dev.levee.core.RandomSource;
import dev.levee.core.config.LeveeConfig;
import dev.levee.core.pipeline.CallPipeline;
import dev.levee.instrumentation.api.BridgeTable;
import dev.levee.instrumentation.api.LeveeInstrumentation;
import dev.levee.instrumentation.api.LeveeRuntime;
import dev.levee.instrumentation.api.MethodHook;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.BiFunction;

/**
 * Wires the enabled instrumentations to the pipeline. On the main thread: the startup line and the
 * class-name gate. In the background ("levee-init"): the bridge, the pipelines and the hooks, after which
 * the gate opens; classes Levee hooks that were loaded before (an attach at run time) are then woven.
 */
final class Installer {

  private final Instrumentation instrumentation;
  private final LeveeConfig config;
  private final String version;
  /** How this Levee started: {@code -javaagent} or {@code attach}. */
  private final String how;

  Installer(Instrumentation instrumentation, LeveeConfig config, String version, String how) {
    this.instrumentation = instrumentation;
    this.config = config;
    this.version = version;
    this.how = how;
  }

  /** @param inBackground prepare on a daemon thread (at startup) or before returning (on attach) */
  void install(boolean inBackground) {
    List<LeveeInstrumentation<?>> active = new ArrayList<>();
    for (LeveeInstrumentation<?> i : ServiceLoader.load(LeveeInstrumentation.class, Installer.class.getClassLoader())) {
      if (config.instrumentation().isEnabled(i.name())) {
        active.add(i);
      }
    }
    LeveeLog.info(startupLine(active));
    if (active.isEmpty()) {
      return;
    }
    Map<String, List<MethodHook<?>>> hooksByClass = new HashMap<>();
    List<MethodHook<?>> byInterface = new ArrayList<>();
    for (LeveeInstrumentation<?> i : active) {
      for (MethodHook<?> hook : i.methodHooks()) {
        if (hook.isByInterface()) {
          byInterface.add(hook);
        } else {
          hooksByClass.computeIfAbsent(hook.internalTypeName(), k -> new ArrayList<>()).add(hook);
        }
      }
    }
    ClassNameGate gate = new ClassNameGate(hooksByClass, byInterface, new EntryHookWeaver(Bridge.RUNTIME_NAME));
    instrumentation.addTransformer(gate, true);
    if (!inBackground) {
      prepare(gate, active);
      return;
    }
    Thread init = LeveeThreads.newThread("levee-init", () -> prepare(gate, active));
    gate.preparing(init);
    init.start();
  }

  private String startupLine(List<LeveeInstrumentation<?>> active) {
    StringBuilder line = new StringBuilder("levee ").append(version).append(": config ").append(config.source());
    line.append("; instrumentations ");
    if (active.isEmpty()) {
      line.append("none");
    }
    for (int i = 0; i < active.size(); i++) {
      line.append(i == 0 ? "" : ", ").append(active.get(i).name());
    }
    int rules = config.http().rules().size() + config.jdbc().rules().size();
    return line.append("; ").append(rules).append(rules == 1 ? " host rule" : " host rules").toString();
  }

  private void prepare(ClassNameGate gate, List<LeveeInstrumentation<?>> active) {
    long began = System.nanoTime();
    boolean succeeded = false;
    try {
      Bridge bridge = Bridge.install(instrumentation);
      String first = bridge.claim(version + " (" + how + ")");
      if (first != null) {
        // another Levee got here first (two attaches at once): this one weaves nothing
        LeveeLog.info(LeveeAgent.alreadyRunningLine(version, how, first));
        return;
      }
      ScheduledThreadPoolExecutor timer = LeveeTimer.create();
      LeveeRuntime runtime = new LeveeRuntime(
          config,
          new CallPipeline(config.http(), Clock.SYSTEM, RandomSource.SYSTEM, timer),
          new CallPipeline(config.jdbc(), Clock.SYSTEM, RandomSource.SYSTEM, timer));
      Map<String, BiFunction<Object, Object[], Object>> sites = new HashMap<>();
      for (LeveeInstrumentation<?> i : active) {
        bind(i, runtime, sites);
      }
      bridge.install(sites);
      succeeded = true;
    } catch (Throwable t) {
      LeveeLog.info("levee: could not prepare instrumentation (" + t + "); the application runs without Levee");
      if (LeveeLog.isDebug()) {
        t.printStackTrace();
      }
    } finally {
      gate.open(succeeded);
    }
    if (LeveeLog.isDebug()) {
      LeveeLog.info("levee: prepared in " + (System.nanoTime() - began) / 1_000_000 + " ms");
    }
    if (succeeded) {
      retransformLoaded(gate);
    }
  }

  private static <H> void bind(LeveeInstrumentation<H> instrumentation, LeveeRuntime runtime,
      Map<String, BiFunction<Object, Object[], Object>> sites) {
    sites.putAll(BridgeTable.of(instrumentation, instrumentation.hooks(runtime)));
  }

  /** Classes Levee hooks that were loaded before the gate (an attach at run time) are woven now. */
  private void retransformLoaded(ClassNameGate gate) {
    List<Class<?>> loaded = new ArrayList<>();
    for (Class<?> c : instrumentation.getAllLoadedClasses()) {
      if (gate.wantsLoaded(c) && instrumentation.isModifiableClass(c)) {
        loaded.add(c);
      }
    }
    if (loaded.isEmpty()) {
      return;
    }
    try {
      instrumentation.retransformClasses(loaded.toArray(new Class<?>[0]));
    } catch (Throwable t) {
      LeveeLog.warnOnce("retransform", "could not instrument classes loaded before Levee started", t);
    }
  }
}
