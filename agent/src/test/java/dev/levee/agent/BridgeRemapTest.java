package dev.levee.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.levee.bridge.LeveeBridge;
import java.nio.charset.StandardCharsets;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.commons.ClassRemapper;
import net.bytebuddy.jar.asm.commons.SimpleRemapper;
import org.junit.jupiter.api.Test;

/** The bridge's renaming, done on the constant pool without ASM, yields the class ASM's remapper did. */
class BridgeRemapTest {

  @Test
  void renamesTheBridgeAsAsmsRemapperDid() throws Exception {
    byte[] compiled = Bridge.read(LeveeBridge.class.getClassLoader(), LeveeBridge.class.getName());
    byte[] renamed = Bridge.remap(compiled);

    ClassReader reader = new ClassReader(renamed);
    assertEquals(Bridge.RUNTIME_NAME, reader.getClassName());
    assertFalse(new String(renamed, StandardCharsets.ISO_8859_1).contains(Bridge.COMPILED_NAME));

    // the same class, member for member, as ASM's remapper makes it (both written back by ASM to compare)
    ClassWriter viaAsm = new ClassWriter(0);
    new ClassReader(compiled).accept(
        new ClassRemapper(viaAsm, new SimpleRemapper(Bridge.COMPILED_NAME, Bridge.RUNTIME_NAME)), 0);
    ClassWriter viaPool = new ClassWriter(0);
    reader.accept(viaPool, 0);
    assertArrayEquals(viaAsm.toByteArray(), viaPool.toByteArray());
  }
}
