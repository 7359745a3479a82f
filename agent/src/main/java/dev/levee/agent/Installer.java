package dev.levee.agent;

import dev.levee.core.Clock;
import dev.levee.core.LeveeLog;
import dev.levee.core.LeveeThreads;
import dev.levee.core.LeveeTimer;
import dev.levee.core.RandomSource;
import dev.levee.core.Switches;
import dev.levee.core.config.LeveeConfig;
import dev.levee.core.metrics.LeveeMetrics;
import dev.levee.core.pipeline.CallPipeline;
import dev.levee.instrumentation.api.BridgeTable;
import dev.levee.instrumentation.api.LeveeInstrumentation;
import dev.levee.instrumentation.api.LeveeRuntime;
import dev.levee.instrumentation.api.MethodHook;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.BiFunction;

/**
 * Wires the enabled instrumentations to the pipeline. At startup the background thread ("levee-init") is
 * started first, and while the main thread reads the configuration it prepares what needs none and changes
 * nothing in the JVM: it finds the instrumentations and asks each for its hooks (declarations only), then
 * renames the bridge's class file (with ASM, which the weaver needs too). On the main thread: the startup
 * line and the class-name gate, from the enabled instrumentations' hooks. Then in the background: the
 * bridge, the pipelines and the hooks objects, after which the gate opens; hooked classes loaded before the
 * gate was registered are then woven by retransformation.
 */
final class Installer implements Runnable {

  private final Instrumentation instrumentation;
  private final String version;
  /** How this Levee started: {@code -javaagent} or {@code attach}. */
  private final String how;
  private final CountDownLatch go = new CountDownLatch(1);
  /** Opens once the instrumentations are found (or finding them failed). */
  private final CountDownLatch found = new CountDownLatch(1);
  /** Every instrumentation in the jar; null if finding them failed. */
  private volatile List<LeveeInstrumentation<?>> all;
  /**
   * Beside each instrumentation, the hooks it declares: asked by whichever thread takes it first ({@link
   * #nextToDeclare}), levee-init or, once it has read the config, the main thread.
   */
  private volatile AtomicReferenceArray<List<? extends MethodHook<?>>> declaredHooks;
  private final AtomicInteger nextToDeclare = new AtomicInteger();
  private volatile CountDownLatch declared;
  private volatile Throwable declarationFault;
  /** Set before {@link #go} opens; a null gate means Levee does not start (an invalid config, a fault). */
  private volatile LeveeConfig config;
  private volatile ClassNameGate gate;
  private volatile List<LeveeInstrumentation<?>> active;
  /** Beside each active instrumentation, the hooks it declared: bound as they are, not declared again. */
  private volatile List<List<? extends MethodHook<?>>> activeHooks;
  /** The bridge's class file, renamed; prepared in the background while the main thread reads the config. */
  private volatile byte[] bridgeClassFile;
  /**
   * The bridge, defined in the background while the main thread reads the config: inert (no hooks, no claim)
   * until Levee starts; an invalid config leaves it so, and a later attach uses it.
   */
  private volatile Bridge definedBridge;
  private volatile Thread background;
  /**
   * At startup an instrumentation that names class-file markers waits for the first class naming one; on
   * attach the classes naming them are already loaded, so it is declared at once.
   */
  private volatile boolean deferMarked;

  Installer(Instrumentation instrumentation, String version, String how) {
    this.instrumentation = instrumentation;
    this.version = version;
    this.how = how;
  }

  /**
   * At startup, before the configuration is read: starts "levee-init", which prepares what needs no
   * configuration and changes nothing, then waits for {@link #install} (or {@link #abandon}).
   */
  void startInBackground() {
    deferMarked = true;
    Thread init = LeveeThreads.newThread("levee-init", this);
    background = init;
    init.start();
  }

  /** Levee does not start (the configuration is invalid, or startup failed): the background thread ends. */
  void abandon() {
    gate = null;
    go.countDown();
  }

  @Override
  public void run() {
    try {
      find();
      prepareClassFiles();
      go.await();
    } catch (Throwable t) {
      // nothing was changed: prepare() reports it once the gate is up, or nothing happens if Levee does not start
      bridgeClassFile = null;
    }
    ClassNameGate g = gate;
    if (g != null) {
      prepare(g, active);
    }
  }

  /**
   * Finds the instrumentations (in the background at startup) and then asks them for their hooks, enabled or
   * not (the configuration may not be read yet): declarations only, nothing is changed. Never leaves
   * {@link #install} waiting, whatever happens.
   */
  private void find() {
    try {
      List<LeveeInstrumentation<?>> instrumentations = new ArrayList<>();
      for (LeveeInstrumentation<?> i : ServiceLoader.load(LeveeInstrumentation.class, Installer.class.getClassLoader())) {
        instrumentations.add(i);
      }
      declaredHooks = new AtomicReferenceArray<>(instrumentations.size());
      declared = new CountDownLatch(instrumentations.size());
      all = instrumentations;
    } catch (Throwable t) {
      declarationFault = t;
    } finally {
      found.countDown();
    }
    declareSome();
  }

  /**
   * Asks the instrumentations no other thread has taken for their hooks; both threads run this at startup,
   * the main thread once the config is read. The lambdas and method references of hook declarations each
   * spin a class, and the hooks classes they name are loaded and verified: the larger part of startup.
   */
  private void declareSome() {
    List<LeveeInstrumentation<?>> instrumentations = all;
    if (instrumentations == null) {
      return;
    }
    for (int n; (n = nextToDeclare.getAndIncrement()) < instrumentations.size(); ) {
      try {
        if (!isDeferred(instrumentations.get(n))) {
          declaredHooks.set(n, instrumentations.get(n).methodHooks());
        } // else declared when one of its classes, or a class naming its marker, is met (ClassNameGate.Deferred)
      } catch (Throwable t) {
        declarationFault = t;
      } finally {
        declared.countDown();
      }
    }
  }

  /** Declared only when one of its classes, or at startup a class naming one of its markers, is met. */
  private boolean isDeferred(LeveeInstrumentation<?> i) {
    return i.classFileMarkers() != null ? deferMarked : i.hookedClasses() != null;
  }

  /**
   * Reads and renames the bridge, warms the weaver (loading ASM, which it needs) and defines the bridge, inert
   * (no hooks, this JVM not claimed) until the configuration is read and Levee starts.
   */
  private void prepareClassFiles() throws Exception {
    byte[] bridge = Bridge.runtimeClassFile();
    bridgeClassFile = bridge;
    // loads the weaver's ASM classes here, while the main thread is busy, rather than when the app's first
    // hooked class waits for its weaving; with no hooks nothing is produced (nor reported: no consumer)
    new EntryHookWeaver(Bridge.RUNTIME_NAME).weave(bridge, Collections.<MethodHook<?>>emptyList(), null);
    definedBridge = Bridge.install(instrumentation, bridge);
  }

  /**
   * @param inBackground the rest is done on "levee-init" (at startup, after {@link #startInBackground}), or
   *     before this returns (on attach)
   */
  void install(LeveeConfig config, boolean inBackground) {
    try {
      this.config = config;
      long waiting = System.nanoTime();
      if (inBackground) {
        await(found);
        declareSome();
        if (declared != null) {
          await(declared);
        }
      } else {
        find();
      }
      if (LeveeLog.isDebug()) {
        LeveeLog.info("levee: after the config, premain spent " + (System.nanoTime() - waiting) / 1_000_000
            + " ms on the hooks' declarations (with levee-init)");
      }
      if (declarationFault != null) {
        throw new IllegalStateException("could not find the instrumentations: " + declarationFault, declarationFault);
      }
      List<LeveeInstrumentation<?>> instrumentations = all;
      List<LeveeInstrumentation<?>> named = new ArrayList<>();
      List<LeveeInstrumentation<?>> enabled = new ArrayList<>();
      List<List<? extends MethodHook<?>>> enabledHooks = new ArrayList<>();
      Map<String, ClassNameGate.Deferred> deferred = new HashMap<>();
      List<ClassNameGate.Deferred> deferredByMarker = new ArrayList<>();
      for (int n = 0; n < instrumentations.size(); n++) {
        LeveeInstrumentation<?> i = instrumentations.get(n);
        if (!Switches.flag(Switches.instrumentationEnabled(i.name()), config.instrumentation().isEnabled(i.name()))) {
          continue;
        }
        named.add(i);
        if (!isDeferred(i)) {
          enabled.add(i);
          enabledHooks.add(declaredHooks.get(n));
          continue;
        }
        ClassNameGate.Deferred later = new ClassNameGate.Deferred(i);
        if (i.classFileMarkers() != null) {
          deferredByMarker.add(later);
        }
        List<String> classes = i.hookedClasses();
        for (String c : classes == null ? Collections.<String>emptyList() : classes) {
          deferred.put(c.replace('.', '/'), later);
        }
      }
      LeveeLog.info(startupLine(named));
      if (named.isEmpty()) {
        return;
      }
      Map<String, List<MethodHook<?>>> hooksByClass = new HashMap<>();
      List<MethodHook<?>> byInterface = new ArrayList<>();
      for (List<? extends MethodHook<?>> oneInstrumentation : enabledHooks) {
        for (MethodHook<?> hook : oneInstrumentation) {
          if (hook.isByInterface()) {
            byInterface.add(hook);
          } else {
            ClassNameGate.addUnder(hooksByClass, hook.internalTypeName(), hook);
          }
        }
      }
      ClassNameGate g = new ClassNameGate(hooksByClass, byInterface, deferred, deferredByMarker,
          new EntryHookWeaver(Bridge.RUNTIME_NAME));
      if (!inBackground) {
        instrumentation.addTransformer(g, true);
        activeHooks = enabledHooks;
        prepare(g, enabled);
        return;
      }
      g.preparing(background);
      instrumentation.addTransformer(g, true);
      activeHooks = enabledHooks;
      active = enabled;
      gate = g;
    } finally {
      go.countDown(); // with no gate set, the background thread ends
    }
  }

  /** Waits for a latch the background thread never fails to count down. */
  private static void await(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
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
    line.append("; ").append(LeveeAgent.hostRules(rules));
    if (config.inbound().limitsAnything()) {
      // shedding changes what the app's clients see: say so where an operator looks first
      line.append("; inbound limits on (").append(LeveeAgent.pathRules(config.inbound().paths().size())).append(")");
    }
    return line.toString();
  }

  /**
   * Two steps. First the bridge is defined and this JVM claimed, and the gate opens: from then on hooked
   * classes are woven as they load, and a call through one waits for the second step ({@link PendingSites}).
   * Then the pipelines are built and every instrumentation declared so far is bound. At startup the app's
   * first hooked class is usually met well before its first call: it no longer waits for the pipelines.
   */
  private void prepare(ClassNameGate gate, List<LeveeInstrumentation<?>> active) {
    long began = System.nanoTime();
    boolean opened = false;
    LeveeRuntime runtime = null;
    PendingSites pending = null;
    Bridge bridge = null;
    try {
      byte[] classFile = bridgeClassFile;
      bridge = definedBridge;
      if (bridge == null) {
        bridge = Bridge.install(instrumentation, classFile != null ? classFile : Bridge.runtimeClassFile());
      }
      String first = bridge.claim(version + " (" + how + ")");
      if (first != null) {
        // another Levee got here first (two attaches at once): this one weaves nothing
        LeveeLog.info(LeveeAgent.alreadyRunningLine(version, how, first));
        return;
      }
      pending = new PendingSites();
      bridge.installAsIs(pending);
      LateBinding binding = new LateBinding(bridge, pending);
      gate.binder(binding);
      gate.open(true);
      opened = true;
      ScheduledThreadPoolExecutor timer = LeveeTimer.create();
      runtime = new LeveeRuntime(
          config,
          new CallPipeline(config.http(), Clock.SYSTEM, RandomSource.SYSTEM, timer),
          new CallPipeline(config.jdbc(), Clock.SYSTEM, RandomSource.SYSTEM, timer));
      List<List<? extends MethodHook<?>>> declared = activeHooks;
      binding.ready(runtime, active, declared);
    } catch (Throwable t) {
      runtime = null;
      LeveeLog.info("levee: could not prepare instrumentation (" + t + "); the application runs without Levee");
      if (LeveeLog.isDebug()) {
        t.printStackTrace();
      }
      if (bridge != null && opened) {
        try {
          bridge.install(Collections.<String, BiFunction<Object, Object[], Object>>emptyMap());
        } catch (Throwable ignored) {
          // the pending sites below let every call run untouched all the same
        }
      }
    } finally {
      if (!opened) {
        gate.open(false);
      }
      if (pending != null) {
        pending.release(); // calls that waited look again: the sites, or none (they run untouched)
      }
    }
    if (LeveeLog.isDebug()) {
      LeveeLog.info("levee: prepared in " + (System.nanoTime() - began) / 1_000_000 + " ms");
    }
    if (runtime != null) {
      retransformLoaded(gate);
      LeveeMetrics.start(config.metrics(), runtime.http(), runtime.jdbc(), runtime.inboundLimits());
      ConfigReload.start(LeveeAgent.configFile, config, runtime.http(), runtime.jdbc(), runtime.inboundLimits());
    }
    gate.stopRecording();
    if (runtime != null) {
      PipelineWarmUp.run(config, runtime.http().timer());
    }
  }

  @SuppressWarnings("unchecked") // the hooks this instrumentation declared: MethodHook<H> each
  private static <H> void bind(LeveeInstrumentation<H> instrumentation, List<? extends MethodHook<?>> declared,
      LeveeRuntime runtime, Map<String, BiFunction<Object, Object[], Object>> sites) {
    sites.putAll(BridgeTable.of((List<MethodHook<H>>) declared, instrumentation.hooks(runtime)));
  }

  /**
   * Binds instrumentations to the runtime: those declared at startup once it is built, and one declared once
   * one of its classes was met either then (if met before) or at once; its sites join the bridge's table.
   */
  private static final class LateBinding implements ClassNameGate.Binder {
    private final Bridge bridge;
    private final PendingSites pending;
    private final Map<String, BiFunction<Object, Object[], Object>> sites = new HashMap<>();
    private LeveeRuntime runtime;
    /** Declared before the runtime was built: bound with it. */
    private final List<LeveeInstrumentation<?>> waiting = new ArrayList<>();
    private final List<List<? extends MethodHook<?>>> waitingHooks = new ArrayList<>();

    LateBinding(Bridge bridge, PendingSites pending) {
      this.bridge = bridge;
      this.pending = pending;
    }

    synchronized void ready(LeveeRuntime runtime, List<LeveeInstrumentation<?>> active,
        List<List<? extends MethodHook<?>>> declared) throws Exception {
      this.runtime = runtime;
      for (int n = 0; n < active.size(); n++) {
        Installer.bind(active.get(n), declared.get(n), runtime, sites);
      }
      for (int n = 0; n < waiting.size(); n++) {
        try {
          Installer.bind(waiting.get(n), waitingHooks.get(n), runtime, sites);
        } catch (Throwable t) {
          // as when binding on first use fails: its woven classes find no site and run untouched
          LeveeLog.warnOnce("bind." + waiting.get(n).name(), "could not bind " + waiting.get(n).name()
              + "; its calls are not protected", t);
        }
      }
      waiting.clear();
      waitingHooks.clear();
      pending.installed(bridge.install(sites));
    }

    @Override
    public synchronized void bind(LeveeInstrumentation<?> instrumentation, List<? extends MethodHook<?>> declared)
        throws Exception {
      if (runtime == null) {
        waiting.add(instrumentation);
        waitingHooks.add(declared);
        return;
      }
      Installer.bind(instrumentation, declared, runtime, sites);
      pending.installed(bridge.install(sites)); // the bridge keeps a copy: the sites it had stay as they were
      if (LeveeLog.isDebug()) {
        LeveeLog.info("levee: " + instrumentation.name() + " declared and bound on first use");
      }
    }
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
