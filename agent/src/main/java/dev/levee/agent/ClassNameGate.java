package dev.levee.agent;

import dev.levee.core.LeveeLog;
import dev.levee.core.LeveeThreads;
import dev.levee.instrumentation.api.LeveeInstrumentation;
import dev.levee.instrumentation.api.MethodHook;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The only transformer registered with the JVM. It looks at a class's name first, so the thousands of
 * classes an application loads cost a map lookup each; hooks named by interface (JDBC) add a byte scan
 * of the class file for the interface's package ({@link ImplementorMatcher}), which before the first class
 * naming that package is met only declares the instrumentation ({@link Deferred}). Only a class Levee hooks
 * is woven.
 * Levee's runtime (the bridge, the pipelines) is prepared in the background; if a hooked class loads
 * before that is done, its loading waits for it, so no call is ever missed.
 */
final class ClassNameGate implements ClassFileTransformer {

  private static final long MAX_WAIT_SECONDS = 20;

  private final Map<String, List<MethodHook<?>>> hooksByClass;
  /** Instrumentations declared and bound only once one of their classes is met, by those classes' names. */
  private final Map<String, Deferred> deferredByClass;
  /**
   * Instrumentations declared and bound only once a class naming one of their markers is met ({@code
   * java/sql/}), not yet declared: replaced, never changed, as each is declared.
   */
  private volatile List<Deferred> deferredByMarker;
  private volatile Binder binder;
  /** Hooks named by interface, declared so far: replaced, never changed, as a deferred instrumentation adds some. */
  private volatile ImplementorMatcher implementors;
  private final List<MethodHook<?>> byInterface;
  /** The interfaces hooks are named by ({@code java.sql.Statement}, {@code jakarta.servlet.Filter}...): as above. */
  private volatile Set<String> interfaceNames;
  private final EntryHookWeaver weaver;
  private final CountDownLatch ready = new CountDownLatch(1);
  private volatile boolean prepared;
  private volatile Thread preparingThread;
  /**
   * Hooked classes that were woven as they loaded, by loader, until Levee has rewoven what loaded before the
   * gate ({@link #stopRecording}): those are not retransformed again (at startup the app's first hooked
   * classes load while Levee gets ready, and a retransformation is a safepoint and a second weaving).
   */
  private final Map<ClassLoader, Set<String>> wovenAtLoad = new WeakHashMap<>();
  private volatile boolean recording = true;

  /** @param hooksByClass keyed by class name with slashes, as the JVM passes it */
  ClassNameGate(Map<String, List<MethodHook<?>>> hooksByClass, EntryHookWeaver weaver) {
    this(hooksByClass, Collections.emptyList(), weaver);
  }

  /**
   * @param hooksByClass keyed by class name with slashes, as the JVM passes it
   * @param byInterface hooks named by interface, applied to any class that declares their methods
   */
  ClassNameGate(Map<String, List<MethodHook<?>>> hooksByClass, List<MethodHook<?>> byInterface, EntryHookWeaver weaver) {
    this(hooksByClass, byInterface, Collections.<String, Deferred>emptyMap(), weaver);
  }

  /**
   * @param deferredByClass instrumentations that name their classes ({@link LeveeInstrumentation#hookedClasses}),
   *     by each of those classes' names with slashes: declared and bound when the first of them is met, once
   *     Levee is ready ({@link #binder})
   */
  ClassNameGate(Map<String, List<MethodHook<?>>> hooksByClass, List<MethodHook<?>> byInterface,
      Map<String, Deferred> deferredByClass, EntryHookWeaver weaver) {
    this(hooksByClass, byInterface, deferredByClass, Collections.<Deferred>emptyList(), weaver);
  }

  /**
   * @param deferredByMarker instrumentations that name their {@link LeveeInstrumentation#classFileMarkers}:
   *     declared and bound when the first class naming one of them loads (or one of their classes, when they
   *     are also in {@code deferredByClass})
   */
  ClassNameGate(Map<String, List<MethodHook<?>>> hooksByClass, List<MethodHook<?>> byInterface,
      Map<String, Deferred> deferredByClass, List<Deferred> deferredByMarker, EntryHookWeaver weaver) {
    this.hooksByClass = hooksByClass;
    this.deferredByClass = deferredByClass;
    this.deferredByMarker = new ArrayList<>(deferredByMarker);
    this.byInterface = new ArrayList<>(byInterface);
    this.implementors = new ImplementorMatcher(this.byInterface);
    this.interfaceNames = interfaceNamesOf(this.byInterface);
    this.weaver = weaver;
  }

  private static Set<String> interfaceNamesOf(List<MethodHook<?>> hooks) {
    Set<String> names = new HashSet<>();
    for (MethodHook<?> hook : hooks) {
      names.add(hook.interfaceName());
    }
    return names;
  }

  /**
   * A deferred instrumentation was declared: its hooks named by interface apply from now on, and it is no
   * longer looked for by marker. Called under the instrumentation's lock, before its declaration is published.
   */
  private synchronized void declared(Deferred deferred, List<MethodHook<?>> newByInterface) {
    if (!newByInterface.isEmpty()) {
      byInterface.addAll(newByInterface);
      implementors = new ImplementorMatcher(new ArrayList<>(byInterface));
      interfaceNames = interfaceNamesOf(byInterface);
    }
    List<Deferred> pending = new ArrayList<>(deferredByMarker);
    if (pending.remove(deferred)) {
      deferredByMarker = pending;
    }
  }

  /** How deferred instrumentations are bound to Levee's runtime: set before the gate opens. */
  interface Binder {
    void bind(LeveeInstrumentation<?> instrumentation, List<? extends MethodHook<?>> declared) throws Exception;
  }

  void binder(Binder binder) {
    this.binder = binder;
  }

  /**
   * An instrumentation that names its classes: its hooks are declared, and bound to the runtime, by the first
   * thread that loads (or retransforms) one of them; the others wait for that. A failure leaves it undeclared:
   * the class loads untouched, with one warning, and the next one tries again.
   */
  static final class Deferred {
    final LeveeInstrumentation<?> instrumentation;
    /** What a class file must name for this instrumentation to be declared; empty if it waits for its classes. */
    private final ImplementorMatcher.Marker[] markers;
    private volatile Map<String, List<MethodHook<?>>> byClass;

    Deferred(LeveeInstrumentation<?> instrumentation) {
      this.instrumentation = instrumentation;
      List<String> named = instrumentation.classFileMarkers();
      markers = new ImplementorMatcher.Marker[named == null ? 0 : named.size()];
      for (int i = 0; i < markers.length; i++) {
        markers[i] = new ImplementorMatcher.Marker(named.get(i));
      }
    }

    boolean isNamedIn(byte[] classFile) {
      for (ImplementorMatcher.Marker marker : markers) {
        if (marker.isIn(classFile)) {
          return true;
        }
      }
      return false;
    }

    /**
     * Its hooks named by class {@code className} (slashes), declaring and binding it first if no thread has,
     * and then warming it up for {@code loader} ({@link LeveeInstrumentation#warmUp}).
     */
    List<MethodHook<?>> hooksFor(String className, ClassLoader loader, Binder binder, ClassNameGate gate) throws Exception {
      Map<String, List<MethodHook<?>>> declared = byClass;
      if (declared == null) {
        synchronized (this) {
          declared = byClass;
          if (declared == null) {
            List<? extends MethodHook<?>> hooks = instrumentation.methodHooks();
            binder.bind(instrumentation, hooks);
            declared = new HashMap<>();
            List<MethodHook<?>> byInterface = new ArrayList<>();
            for (MethodHook<?> hook : hooks) {
              if (hook.isByInterface()) {
                byInterface.add(hook);
              } else {
                addUnder(declared, hook.internalTypeName(), hook);
              }
            }
            gate.declared(this, byInterface);
            byClass = declared;
            WarmUp.start(instrumentation, loader);
          }
        }
      }
      return declared.get(className);
    }
  }

  void preparing(Thread thread) {
    preparingThread = thread;
  }

  /** Opens the gate; {@code succeeded} false means nothing is woven (Levee fails open). */
  void open(boolean succeeded) {
    prepared = succeeded;
    // from now on the preparing thread weaves like any other: it goes on to retransform the hooked classes
    // the app loaded meanwhile, and skipping them there would undo the weaving they got when they loaded
    preparingThread = null;
    ready.countDown();
  }

  @Override
  public byte[] transform(
      Module module,
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] classfileBuffer) {
    if (className == null || Thread.currentThread() == preparingThread) {
      return null;
    }
    List<MethodHook<?>> byName = hooksByClass.get(className);
    Deferred deferred = deferredByClass.isEmpty() ? null : deferredByClass.get(className);
    List<Deferred> marked = markedIn(className, classfileBuffer);
    List<MethodHook<?>> byInterface = implementors.match(className, classfileBuffer);
    if (byName == null && deferred == null && marked.isEmpty() && byInterface.isEmpty()) {
      return null;
    }
    String name = className.replace('/', '.');
    try {
      if (!ready.await(MAX_WAIT_SECONDS, TimeUnit.SECONDS)) {
        LeveeLog.warnOnce("weave." + name, "not ready in time to instrument " + name + "; its calls are not protected", null);
        return null;
      }
      if (!prepared) {
        return null;
      }
      if (!marked.isEmpty()) {
        for (Deferred d : marked) {
          List<MethodHook<?>> declared = d.hooksFor(className, loader, binder, this);
          if (declared != null && d != deferred) {
            byName = byName == null ? declared : concat(byName, declared);
          }
        }
        byInterface = implementors.match(className, classfileBuffer);
      }
      if (deferred != null) {
        List<MethodHook<?>> declared = deferred.hooksFor(className, loader, binder, this);
        if (declared != null) {
          byName = byName == null ? declared : concat(byName, declared);
        }
      }
      if (byName == null && byInterface.isEmpty()) {
        return null;
      }
      List<MethodHook<?>> hooks = byName;
      if (!byInterface.isEmpty()) {
        hooks = new ArrayList<>(byInterface);
        if (byName != null) {
          hooks.addAll(byName);
        }
      }
      if (classBeingRedefined == null && recording) {
        recordWovenAtLoad(loader, className);
      }
      // only a hook named by class is expected in its class: one named by interface applies where declared
      return weaver.weave(classfileBuffer, hooks, new MissingHooks(name));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (Throwable t) {
      LeveeLog.warnOnce("weave." + name, "could not instrument " + name + "; its calls are not protected", t);
      return null;
    }
  }

  /** {@link LeveeInstrumentation#warmUp} on a thread of its own, which ends with it. */
  private static final class WarmUp implements Runnable {
    private final LeveeInstrumentation<?> instrumentation;
    private final ClassLoader loader;

    private WarmUp(LeveeInstrumentation<?> instrumentation, ClassLoader loader) {
      this.instrumentation = instrumentation;
      this.loader = loader;
    }

    static void start(LeveeInstrumentation<?> instrumentation, ClassLoader loader) {
      try {
        if (instrumentation.getClass().getMethod("warmUp", ClassLoader.class).getDeclaringClass()
            == LeveeInstrumentation.class) {
          return; // nothing to warm up: no thread
        }
        LeveeThreads.newThread("levee-warm-up", new WarmUp(instrumentation, loader)).start();
      } catch (Throwable ignored) {
        // only a head start
      }
    }

    @Override
    public void run() {
      try {
        instrumentation.warmUp(loader);
      } catch (Throwable ignored) {
        // only a head start: the first call looks up what is missing, and reports what it cannot find
      }
    }
  }

  /** The deferred instrumentations, not yet declared, one of whose markers this class file names. */
  private List<Deferred> markedIn(String className, byte[] classFile) {
    List<Deferred> pending = deferredByMarker;
    if (pending.isEmpty() || ImplementorMatcher.isSkipped(className)) {
      return Collections.emptyList();
    }
    List<Deferred> marked = null;
    for (Deferred d : pending) {
      if (d.isNamedIn(classFile)) {
        if (marked == null) {
          marked = new ArrayList<>(2);
        }
        marked.add(d);
      }
    }
    return marked == null ? Collections.<Deferred>emptyList() : marked;
  }

  private static List<MethodHook<?>> concat(List<MethodHook<?>> a, List<MethodHook<?>> b) {
    List<MethodHook<?>> both = new ArrayList<>(a);
    both.addAll(b);
    return both;
  }

  /**
   * Warns of a hook named by class that its class does not declare; one named by interface applies only
   * where declared. A class, not a lambda: each lambda spins a class at startup (README, Startup).
   */
  private static final class MissingHooks implements Consumer<MethodHook<?>> {
    private final String name;

    MissingHooks(String name) {
      this.name = name;
    }

    @Override
    public void accept(MethodHook<?> missing) {
      if (!missing.isByInterface()) {
        warnMissing(name, missing);
      }
    }
  }

  private static void warnMissing(String name, MethodHook<?> missing) {
    LeveeLog.warnOnce(
          "weave." + missing,
          "this version of " + name + " has no " + missing.methodName() + missing.methodDescriptor()
              + (missing.fieldNames() == null ? "" : " or no field " + String.join(" or ", missing.fieldNames()))
              + "; Levee does not apply there (" + missing.site() + ")",
        null);
  }

  /**
   * Whether a class already loaded (an attach at run time) must be rewoven: one hooked by name, or one that
   * implements, anywhere up its hierarchy, an interface hooks are named by. The interfaces are compared by
   * name: they may live in any class loader (a Servlet API in a container's or a web app's loader), which
   * Levee's own cannot name. The transformer then weaves only what the class itself declares.
   */
  boolean wantsLoaded(Class<?> type) {
    String name = type.getName().replace('.', '/');
    if (hooksByClass.containsKey(name) || deferredByClass.containsKey(name)) {
      return !wasWovenAtLoad(type.getClassLoader(), name);
    }
    if (interfaceNames.isEmpty() || ImplementorMatcher.isSkipped(name) || type.isInterface()
        || wasWovenAtLoad(type.getClassLoader(), name)) {
      return false;
    }
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (implementsByName(c.getInterfaces())) {
        return true;
      }
    }
    return false;
  }

  private void recordWovenAtLoad(ClassLoader loader, String className) {
    synchronized (wovenAtLoad) {
      Set<String> names = wovenAtLoad.get(loader);
      if (names == null) {
        names = new HashSet<>();
        wovenAtLoad.put(loader, names);
      }
      names.add(className);
    }
  }

  private boolean wasWovenAtLoad(ClassLoader loader, String className) {
    synchronized (wovenAtLoad) {
      Set<String> names = wovenAtLoad.get(loader);
      return names != null && names.contains(className);
    }
  }

  /** Levee has rewoven the classes loaded before the gate: classes woven as they load need no record now. */
  void stopRecording() {
    recording = false;
    synchronized (wovenAtLoad) {
      wovenAtLoad.clear();
    }
  }

  private boolean implementsByName(Class<?>[] interfaces) {
    for (Class<?> i : interfaces) {
      if (interfaceNames.contains(i.getName()) || implementsByName(i.getInterfaces())) {
        return true;
      }
    }
    return false;
  }

  @Override
  public byte[] transform(
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] classfileBuffer) {
    return transform(null, loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
  }

  /**
   * Adds {@code hook} to the list under {@code key}, made if absent: how the agent groups hooks by class and by
   * marker. Not {@code computeIfAbsent}: it runs at startup, where each lambda spins a class of its own.
   */
  static void addUnder(Map<String, List<MethodHook<?>>> byKey, String key, MethodHook<?> hook) {
    List<MethodHook<?>> hooks = byKey.get(key);
    if (hooks == null) {
      hooks = new ArrayList<>();
      byKey.put(key, hooks);
    }
    hooks.add(hook);
  }
}
