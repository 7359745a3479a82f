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
    return remap(read(Bridge.class.getClassLoader(), LeveeBridge.class.getName()));
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

  /** Hands the bridge a table of Levee's own making, not copied ({@link PendingSites}). */
  void installAsIs(Map<String, BiFunction<Object, Object[], Object>> hooks) throws ReflectiveOperationException {
    runtimeClass.getMethod("install", Map.class).invoke(null, hooks);
  }

  /** Hands the hooks, by site name, to the runtime bridge: a copy, which is returned. */
  Map<String, BiFunction<Object, Object[], Object>> install(Map<String, BiFunction<Object, Object[], Object>> hooks)
      throws ReflectiveOperationException {
    Map<String, BiFunction<Object, Object[], Object>> copy = Collections.unmodifiableMap(new HashMap<>(hooks));
    installAsIs(copy);
    return copy;
  }
  /**
   * A class file with every reference to the compiled bridge turned into one to the runtime bridge. The
   * names live in the constant pool's UTF-8 entries only (the class's own name, descriptors, signatures), so
   * those are rewritten and the rest is copied: no ASM is loaded for it (the commons remapper loaded ~25
   * classes and walked the whole class at every start).
   */
  static byte[] remap(byte[] classFile) {
    byte[] from = COMPILED_NAME.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] to = RUNTIME_NAME.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(classFile);
    ByteArrayOutputStream out = new ByteArrayOutputStream(classFile.length);
    if (in.getInt() != 0xCAFEBABE) {
      throw new IllegalArgumentException("not a class file");
    }
    in.getInt(); // minor and major version
    int count = in.getShort() & 0xFFFF;
    out.write(classFile, 0, in.position());
    for (int index = 1; index < count; index++) {
      int start = in.position();
      int tag = in.get();
      switch (tag) {
        case 1: // Utf8: ASCII names are the same bytes in modified UTF-8, and no multi-byte sequence holds one
          int length = in.getShort() & 0xFFFF;
          byte[] text = replace(classFile, in.position(), length, from, to);
          in.position(in.position() + length);
          out.write(tag);
          out.write(text.length >>> 8);
          out.write(text.length);
          out.write(text, 0, text.length);
          continue;
        case 7: case 8: case 16: case 19: case 20: // Class, String, MethodType, Module, Package
          in.position(in.position() + 2);
          break;
        case 15: // MethodHandle
          in.position(in.position() + 3);
          break;
        case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18:
          in.position(in.position() + 4);
          break;
        case 5: case 6: // Long, Double: two entries
          in.position(in.position() + 8);
          index++;
          break;
        default:
          throw new IllegalArgumentException("unknown constant pool tag " + tag + " at " + start);
      }
      out.write(classFile, start, in.position() - start);
    }
    out.write(classFile, in.position(), classFile.length - in.position());
    return out.toByteArray();
  }

  /** {@code bytes[offset, offset + length)} with every {@code from} replaced by {@code to}. */
  private static byte[] replace(byte[] bytes, int offset, int length, byte[] from, byte[] to) {
    ByteArrayOutputStream text = new ByteArrayOutputStream(length + 16);
    int end = offset + length;
    int i = offset;
    while (i < end) {
      if (i + from.length <= end && matches(bytes, i, from)) {
        text.write(to, 0, to.length);
        i += from.length;
      } else {
        text.write(bytes[i++]);
      }
    }
    return text.toByteArray();
  }

  private static boolean matches(byte[] bytes, int at, byte[] what) {
    for (int k = 0; k < what.length; k++) {
      if (bytes[at + k] != what[k]) {
        return false;
      }
    }
    return true;
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
