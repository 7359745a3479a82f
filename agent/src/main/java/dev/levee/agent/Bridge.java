package dev.levee.agent;

import dev.levee.bridge.LeveeBridge;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.commons.ClassRemapper;
import net.bytebuddy.jar.asm.commons.SimpleRemapper;

/**
 * The bridge as it lives at run time: {@link LeveeBridge} renamed {@code java.lang.LeveeBridge} and
 * defined into {@code java.base} through a {@code MethodHandles.Lookup} (the approach Elastic's agent
 * takes). Unlike a jar appended to the boot class path, this keeps class-data sharing on and prints
 * nothing. Woven code calls the renamed class.
 */
final class Bridge {

  static final String COMPILED_NAME = LeveeBridge.class.getName().replace('.', '/');
  static final String RUNTIME_NAME = "java/lang/LeveeBridge";

  private final Class<?> runtimeClass;

  private Bridge(Class<?> runtimeClass) {
    this.runtimeClass = runtimeClass;
  }

  /** The bridge's class file as it is defined at run time: read from the agent jar and renamed. */
  static byte[] runtimeClassFile() throws IOException {
    return Renaming.remap(read(Bridge.class.getClassLoader(), LeveeBridge.class.getName()));
  }

  /**
   * Defines the runtime bridge, or finds the one an earlier attach defined.
   *
   * @param runtimeClassFile {@link #runtimeClassFile()}
   */
  static Bridge install(Instrumentation instrumentation, byte[] runtimeClassFile) throws Exception {
    Class<?> existing = findDefined();
    if (existing != null) {
      return new Bridge(existing);
    }
    ClassLoader agentLoader = Bridge.class.getClassLoader();
    byte[] definer = read(agentLoader, BridgeDefiner.class.getName());
    OneClassLoader throwaway = new OneClassLoader();
    Class<?> definerClass = throwaway.define(BridgeDefiner.class.getName(), definer);
    Module javaBase = Object.class.getModule();
    instrumentation.redefineModule(
        javaBase,
        Collections.emptySet(),
        Collections.emptyMap(),
        Collections.singletonMap("java.lang", Collections.singleton(definerClass.getModule())),
        Collections.emptySet(),
        Collections.emptyMap());
    Class<?> defined =
        (Class<?>) definerClass.getMethod("define", byte[].class).invoke(null, (Object) runtimeClassFile);
    return new Bridge(defined);
  }

  private static Class<?> findDefined() {
    try {
      return Class.forName(RUNTIME_NAME.replace('/', '.'), false, null);
    } catch (ClassNotFoundException e) {
      return null;
    }
  }

  /** The Levee already running in this JVM (see {@link LeveeBridge#claim}), or null. */
  static String running() {
    Class<?> defined = findDefined();
    if (defined == null) {
      return null;
    }
    try {
      return (String) defined.getMethod("running").invoke(null);
    } catch (ReflectiveOperationException e) {
      return "of an unknown version"; // a bridge of another Levee, without the method: it runs all the same
    }
  }

  /** Claims this JVM for {@code levee}: null when it is now ours, else the Levee that was first. */
  String claim(String levee) throws ReflectiveOperationException {
    return (String) runtimeClass.getMethod("claim", String.class).invoke(null, levee);
  }

  /** Hands the hooks, by site name, to the runtime bridge. */
  void install(Map<String, BiFunction<Object, Object[], Object>> hooks) throws ReflectiveOperationException {
    runtimeClass.getMethod("install", Map.class).invoke(null, Collections.unmodifiableMap(new HashMap<>(hooks)));
  }

  /**
   * The renaming, in a class of its own: ASM is loaded when the bridge's class file is prepared (in the
   * background), not when premain asks {@link #running()} on the main thread (verifying a class that uses
   * ASM loads ASM's classes).
   */
  static final class Renaming {
    private Renaming() {}

    /** A class file with every reference to the compiled bridge turned into one to the runtime bridge. */
    static byte[] remap(byte[] classFile) {
      ClassReader reader = new ClassReader(classFile);
      ClassWriter writer = new ClassWriter(0);
      reader.accept(new ClassRemapper(writer, new SimpleRemapper(COMPILED_NAME, RUNTIME_NAME)), 0);
      return writer.toByteArray();
    }
  }

  static byte[] read(ClassLoader loader, String className) throws IOException {
    try (InputStream in = loader.getResourceAsStream(className.replace('.', '/') + ".class")) {
      if (in == null) {
        throw new IOException("class file not found in the agent jar: " + className);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      for (int n; (n = in.read(buffer)) > 0; ) {
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    }
  }

  /** Holds exactly one class, with the bootstrap loader as parent. */
  private static final class OneClassLoader extends ClassLoader {
    OneClassLoader() {
      super(null);
    }

    Class<?> define(String name, byte[] classFile) {
      return defineClass(name, classFile, 0, classFile.length);
    }
  }
}
