package dev.levee.agent;

import dev.levee.core.Clock;
import dev.levee.core.LeveeLog;
import dev.levee.core.RandomSource;
import dev.levee.core.config.LeveeConfig;
import dev.levee.core.pipeline.CallPipeline;
import dev.levee.instrumentation.api.LeveeInstrumentation;
import dev.levee.instrumentation.api.LeveeRuntime;
import dev.levee.instrumentation.api.TypeAdvice;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.utility.JavaModule;

/**
 * Wires the enabled instrumentations to the pipeline. On the main thread: the class-name gate. In the
 * background ("levee-init"): the bridge, the pipelines, the hooks, and Byte Buddy's transformer, after
 * which the gate opens. Byte Buddy's first use costs hundreds of milliseconds of class loading; done
 * here it overlaps the application's own startup instead of delaying it.
 */
final class Installer {

  private final Instrumentation instrumentation;
  private final LeveeConfig config;
  private final String version;

  Installer(Instrumentation instrumentation, LeveeConfig config, String version) {
    this.instrumentation = instrumentation;
    this.config = config;
    this.version = version;
  }

  void install() {
    List<LeveeInstrumentation> active = new ArrayList<>();
    for (LeveeInstrumentation i : ServiceLoader.load(LeveeInstrumentation.class, Installer.class.getClassLoader())) {
      if (config.instrumentation().isEnabled(i.name())) {
        active.add(i);
      }
    }
    LeveeLog.info(startupLine(active));
    if (active.isEmpty()) {
      return;
    }
    Set<String> names = new HashSet<>();
    for (LeveeInstrumentation i : active) {
      for (TypeAdvice t : i.typeAdvice()) {
        names.add(t.typeName().replace('.', '/'));
      }
    }
    ClassNameGate gate = new ClassNameGate(names);
    instrumentation.addTransformer(gate, true);
    Thread init = new Thread(() -> prepare(gate, active), "levee-init");
    init.setDaemon(true);
    gate.preparing(init);
    init.start();
  }

  private String startupLine(List<LeveeInstrumentation> active) {
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

  private void prepare(ClassNameGate gate, List<LeveeInstrumentation> active) {
    ClassFileTransformer transformer = null;
    try {
      // Byte Buddy otherwise reaches for sun.misc.Unsafe, which JDK 24+ warns about on stderr
      if (System.getProperty("net.bytebuddy.safe") == null) {
        System.setProperty("net.bytebuddy.safe", "true");
      }
      Bridge bridge = Bridge.install(instrumentation);
      ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "levee-timer");
        t.setDaemon(true);
        return t;
      });
      timer.setRemoveOnCancelPolicy(true);
      LeveeRuntime runtime = new LeveeRuntime(
          config,
          new CallPipeline(config.http(), Clock.SYSTEM, RandomSource.SYSTEM, timer),
          new CallPipeline(config.jdbc(), Clock.SYSTEM, RandomSource.SYSTEM, timer));
      for (LeveeInstrumentation i : active) {
        bridge.register(i.hooks(runtime));
      }
      transformer = byteBuddyTransformer(active);
    } catch (Throwable t) {
      LeveeLog.info("levee: could not prepare instrumentation (" + t + "); the application runs without Levee");
      if (LeveeLog.isDebug()) {
        t.printStackTrace();
      }
    } finally {
      gate.open(transformer);
    }
    if (transformer != null) {
      retransformLoaded(gate.internalNames());
    }
  }

  private ClassFileTransformer byteBuddyTransformer(List<LeveeInstrumentation> active) throws Exception {
    Map<String, byte[]> adviceClasses = new HashMap<>();
    ClassLoader agentLoader = Installer.class.getClassLoader();
    AgentBuilder builder = new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
        .disableClassFormatChanges()
        .ignore(ElementMatchers.none())
        .with(new FailureListener());
    for (LeveeInstrumentation i : active) {
      for (TypeAdvice type : i.typeAdvice()) {
        for (TypeAdvice.MethodAdvice m : type.advice()) {
          adviceClasses.put(m.adviceClassName, Bridge.remap(Bridge.read(agentLoader, m.adviceClassName)));
        }
      }
    }
    ClassFileLocator advice = new ClassFileLocator.Simple(adviceClasses);
    for (LeveeInstrumentation i : active) {
      for (TypeAdvice type : i.typeAdvice()) {
        AgentBuilder.Transformer.ForAdvice transform = new AgentBuilder.Transformer.ForAdvice().include(advice);
        for (TypeAdvice.MethodAdvice m : type.advice()) {
          transform = transform.advice(m.methods, m.adviceClassName);
        }
        builder = builder.type(ElementMatchers.named(type.typeName())).transform(transform);
      }
    }
    return builder.makeRaw();
  }

  /** Classes Levee instruments that were loaded before the gate (an attach at run time) are rewritten now. */
  private void retransformLoaded(Set<String> internalNames) {
    List<Class<?>> loaded = new ArrayList<>();
    for (Class<?> c : instrumentation.getAllLoadedClasses()) {
      if (internalNames.contains(c.getName().replace('.', '/')) && instrumentation.isModifiableClass(c)) {
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

  /** One warning per class Byte Buddy could not rewrite (say, a library version with other methods). */
  private static final class FailureListener extends AgentBuilder.Listener.Adapter {
    @Override
    public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded, Throwable error) {
      LeveeLog.warnOnce("instrument." + typeName, "could not instrument " + typeName + "; its calls are not protected", error);
    }

    @Override
    public void onTransformation(
        TypeDescription typeDescription, ClassLoader classLoader, JavaModule module, boolean loaded, DynamicType dynamicType) {
      if (LeveeLog.isDebug()) {
        LeveeLog.info("levee: instrumented " + typeDescription.getName());
      }
    }
  }
}
