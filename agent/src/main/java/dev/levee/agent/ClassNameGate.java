package dev.levee.agent;

import dev.levee.core.LeveeLog;
import dev.levee.instrumentation.api.MethodHook;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The only transformer registered with the JVM. It looks at a class's name and nothing else, so the
 * thousands of classes an application loads cost a map lookup each; only a class Levee hooks is woven.
 * Levee's runtime (the bridge, the pipelines) is prepared in the background; if a hooked class loads
 * before that is done, its loading waits for it, so no call is ever missed.
 */
final class ClassNameGate implements ClassFileTransformer {

  private static final long MAX_WAIT_SECONDS = 20;

  private final Map<String, List<MethodHook>> hooksByClass;
  private final EntryHookWeaver weaver;
  private final CountDownLatch ready = new CountDownLatch(1);
  private volatile boolean prepared;
  private volatile Thread preparingThread;

  /** @param hooksByClass keyed by class name with slashes, as the JVM passes it */
  ClassNameGate(Map<String, List<MethodHook>> hooksByClass, EntryHookWeaver weaver) {
    this.hooksByClass = hooksByClass;
    this.weaver = weaver;
  }

  Map<String, List<MethodHook>> hooksByClass() {
    return hooksByClass;
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
    List<MethodHook> hooks = className == null ? null : hooksByClass.get(className);
    if (hooks == null || Thread.currentThread() == preparingThread) {
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
      return weaver.weave(classfileBuffer, hooks, missing -> LeveeLog.warnOnce(
          "weave." + missing,
          "this version of " + name + " has no " + missing.methodName() + missing.methodDescriptor()
              + (missing.fieldName() == null ? "" : " or no field " + missing.fieldName())
              + "; Levee does not apply there (" + missing.site() + ")",
          null));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (Throwable t) {
      LeveeLog.warnOnce("weave." + name, "could not instrument " + name + "; its calls are not protected", t);
      return null;
    }
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
}
