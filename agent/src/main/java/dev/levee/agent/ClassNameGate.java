package dev.levee.agent;

import dev.levee.core.LeveeLog;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The only transformer registered with the JVM. It looks at a class's name and nothing else, so the
 * thousands of classes an application loads cost a set lookup each; only a class Levee instruments is
 * handed to Byte Buddy. If such a class loads before Byte Buddy is ready (it is prepared in the
 * background), its loading waits for it, so no call is ever missed.
 */
final class ClassNameGate implements ClassFileTransformer {

  private static final long MAX_WAIT_SECONDS = 20;

  private final Set<String> internalNames;
  private final CountDownLatch ready = new CountDownLatch(1);
  private volatile ClassFileTransformer byteBuddy;
  private volatile Thread preparingThread;

  /** @param internalNames class names with slashes, as the JVM passes them */
  ClassNameGate(Set<String> internalNames) {
    this.internalNames = internalNames;
  }

  Set<String> internalNames() {
    return internalNames;
  }

  void preparing(Thread thread) {
    preparingThread = thread;
  }

  /** Opens the gate; {@code transformer} null means preparation failed and nothing is transformed. */
  void open(ClassFileTransformer transformer) {
    byteBuddy = transformer;
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
    if (className == null || !internalNames.contains(className)) {
      return null;
    }
    if (Thread.currentThread() == preparingThread) {
      return null; // never wait for ourselves
    }
    try {
      if (!ready.await(MAX_WAIT_SECONDS, TimeUnit.SECONDS)) {
        LeveeLog.warnOnce("gate." + className, "not ready in time to instrument " + className.replace('/', '.') + "; its calls are not protected", null);
        return null;
      }
      ClassFileTransformer transformer = byteBuddy;
      return transformer == null
          ? null
          : transformer.transform(module, loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (Throwable t) {
      LeveeLog.warnOnce("gate." + className, "could not instrument " + className.replace('/', '.') + "; its calls are not protected", t);
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
