package dev.levee.benchmarks.noop;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/**
 * The floor under any {@code -javaagent}: registers one retransform-capable transformer that changes nothing.
 * What it costs is the JVM's own agent machinery (opening the jar, the instrument module, a transformer
 * call per loading class), which no agent can avoid. Packaged alone as {@code benchmarks/target/noop-agent.jar}.
 */
public final class NoopAgent implements ClassFileTransformer {

  public static void premain(String arguments, Instrumentation instrumentation) {
    instrumentation.addTransformer(new NoopAgent(), true);
  }

  @Override
  public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain, byte[] classfileBuffer) {
    return null;
  }

  private NoopAgent() {}
}
