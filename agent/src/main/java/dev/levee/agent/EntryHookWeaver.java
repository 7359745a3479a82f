package dev.levee.agent;

import dev.levee.instrumentation.api.MethodHook;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Weaves {@link MethodHook}s into a class file with the ASM that Byte Buddy bundles: a few instructions at
 * the entry of each hooked method that call the bridge, nothing else. Byte Buddy's Advice and AgentBuilder
 * would do the same in ~1,200 classes and ~1 s of first-use class loading on a small machine (measured;
 * see README "Startup"): far over the startup budget for what is, for every hook Levee needs, one call at
 * method entry. Methods without a hook are copied byte for byte; no frames are recomputed, so no class is
 * ever loaded to weave another.
 */
final class EntryHookWeaver {

  private static final String ENTER_DESCRIPTOR = "(Ljava/lang/String;Ljava/lang/Object;[Ljava/lang/Object;)Ljava/lang/Object;";
  private static final String REPLACE_DESCRIPTOR = "(Ljava/lang/String;Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;";
  private static final String ENTER_SCOPE_DESCRIPTOR = "(Ljava/lang/String;Ljava/lang/Object;[Ljava/lang/Object;)V";
  private static final String EXIT_SCOPE_DESCRIPTOR = "(Ljava/lang/String;)V";

  private final String bridge;

  /** @param bridgeInternalName the bridge the woven code calls, e.g. {@code java/lang/LeveeBridge} */
  EntryHookWeaver(String bridgeInternalName) {
    this.bridge = bridgeInternalName;
  }

  /**
   * The class with its hooks woven in, or null when none applied. Each hook whose method (or field) the
   * class does not have is reported to {@code missing}: a library version Levee does not know.
   */
  byte[] weave(byte[] classFile, List<MethodHook<?>> hooks, Consumer<MethodHook<?>> missing) {
    ClassReader reader = new ClassReader(classFile);
    ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
    Set<MethodHook<?>> applied = new HashSet<>();
    reader.accept(new HookingClassVisitor(writer, hooks, applied), 0);
    for (MethodHook<?> hook : hooks) {
      if (!applied.contains(hook)) {
        missing.accept(hook);
      }
    }
    return applied.isEmpty() ? null : writer.toByteArray();
  }

  private final class HookingClassVisitor extends ClassVisitor {
    private final List<MethodHook<?>> hooks;
    private final Set<MethodHook<?>> applied;
    private final Set<String> instanceFields = new HashSet<>();
    private String owner;
    private boolean framesRequired;

    HookingClassVisitor(ClassVisitor next, List<MethodHook<?>> hooks, Set<MethodHook<?>> applied) {
      super(Opcodes.ASM9, next);
      this.hooks = hooks;
      this.applied = applied;
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
      owner = name;
      framesRequired = (version & 0xFFFF) >= Opcodes.V1_6;
      super.visit(version, access, name, signature, superName, interfaces);
    }

    @Override
    public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
      if ((access & Opcodes.ACC_STATIC) == 0) {
        instanceFields.add(name + ':' + descriptor);
      }
      return super.visitField(access, name, descriptor, signature, value);
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
      MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
      if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0 || name.equals("<clinit>")) {
        return next;
      }
      boolean isStatic = (access & Opcodes.ACC_STATIC) != 0;
      boolean constructor = name.equals("<init>");
      for (MethodHook<?> hook : hooks) {
        if (hook.methodName().equals(name) && hook.methodDescriptor().equals(descriptor)
            && (hook.kind() == MethodHook.Kind.CONSTRUCTED) == constructor && fits(hook, isStatic)) {
          applied.add(hook);
          return new EntryHookMethodVisitor(next, hook, owner, descriptor, isStatic, framesRequired, presentField(hook));
        }
      }
      return next;
    }

    /** The first of a field hook's names that this class declares (fields are visited before methods). */
    private String presentField(MethodHook<?> hook) {
      if (hook.fieldNames() != null) {
        for (String name : hook.fieldNames()) {
          if (instanceFields.contains(name + ':' + hook.fieldDescriptor())) {
            return name;
          }
        }
      }
      return null;
    }

    /**
     * A field hook needs its field; an argument hook a reference argument; only an argument hook applies to
     * a static method.
     */
    private boolean fits(MethodHook<?> hook, boolean isStatic) {
      switch (hook.kind()) {
        case REPLACE_FIELD:
          return !isStatic && presentField(hook) != null;
        case REPLACE_ARGUMENT:
          return referenceArgument(hook);
        case REPLACE_ARGUMENT_OR_RETURN:
          return !isStatic && referenceArgument(hook)
              && Type.getReturnType(hook.methodDescriptor()).getSort() == Type.VOID;
        default:
          return !isStatic;
      }
    }
  }

  private static boolean referenceArgument(MethodHook<?> hook) {
    Type[] arguments = Type.getArgumentTypes(hook.methodDescriptor());
    return hook.argumentIndex() >= 0
        && hook.argumentIndex() < arguments.length
        && isReference(arguments[hook.argumentIndex()]);
  }

  private static boolean isReference(Type type) {
    return type.getSort() == Type.OBJECT || type.getSort() == Type.ARRAY;
  }

  private final class EntryHookMethodVisitor extends MethodVisitor {
    private final MethodHook<?> hook;
    private final String owner;
    private final String descriptor;
    private final boolean isStatic;
    private final boolean framesRequired;
    private final String field;
    private final Label scopeStart = new Label();

    EntryHookMethodVisitor(MethodVisitor next, MethodHook<?> hook, String owner, String descriptor, boolean isStatic,
        boolean framesRequired, String field) {
      super(Opcodes.ASM9, next);
      this.hook = hook;
      this.owner = owner;
      this.descriptor = descriptor;
      this.isStatic = isStatic;
      this.framesRequired = framesRequired;
      this.field = field;
    }

    @Override
    public void visitCode() {
      super.visitCode();
      switch (hook.kind()) {
        case REPLACE_FIELD:
          replaceField();
          break;
        case REPLACE_ARGUMENT:
          replaceArgument();
          break;
        case SCOPED:
          enterScope();
          break;
        case REPLACE_ARGUMENT_OR_RETURN:
          replaceArgumentOrReturn();
          break;
        case CONSTRUCTED:
          break; // at each return, below
        case SCOPED_RETURN_EARLY:
          // the early return is the hook's answer, outside the scope: no exit call, as nothing was entered
          returnEarly();
          mv.visitLabel(scopeStart);
          break;
        default:
          returnEarly();
      }
    }

    /** {@code arg = (A) LeveeBridge.replace(site, this or null, arg);} */
    private void replaceArgument() {
      Type[] arguments = Type.getArgumentTypes(descriptor);
      int slot = isStatic ? 0 : 1;
      for (int i = 0; i < hook.argumentIndex(); i++) {
        slot += arguments[i].getSize();
      }
      mv.visitLdcInsn(hook.site());
      if (isStatic) {
        mv.visitInsn(Opcodes.ACONST_NULL);
      } else {
        mv.visitVarInsn(Opcodes.ALOAD, 0);
      }
      mv.visitVarInsn(Opcodes.ALOAD, slot);
      mv.visitMethodInsn(Opcodes.INVOKESTATIC, bridge, "replace", REPLACE_DESCRIPTOR, false);
      mv.visitTypeInsn(Opcodes.CHECKCAST, arguments[hook.argumentIndex()].getInternalName());
      mv.visitVarInsn(Opcodes.ASTORE, slot);
    }

    /**
     * {@code LeveeBridge.enterScope(site, this, new Object[] {args}); try { body } finally
     * { LeveeBridge.exitScope(exitSite); }}: the exit call goes before every return instruction, and a
     * catch-all handler, last in the exception table so the method's own handlers keep precedence, runs
     * it for an exception leaving the method and rethrows. The handler needs no local variable, so its
     * frame declares none: it stays valid whatever the body stores where.
     */
    private void enterScope() {
      mv.visitLdcInsn(hook.site());
      mv.visitVarInsn(Opcodes.ALOAD, 0);
      pushArguments();
      mv.visitMethodInsn(Opcodes.INVOKESTATIC, bridge, "enterScope", ENTER_SCOPE_DESCRIPTOR, false);
      mv.visitLabel(scopeStart);
    }

    @Override
    public void visitInsn(int opcode) {
      if (hook.isScoped() && opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
        exitScope();
      }
      if (hook.kind() == MethodHook.Kind.CONSTRUCTED && opcode == Opcodes.RETURN) {
        // {@code LeveeBridge.enterScope(site, this, new Object[] {args});}: this is initialised by now, and
        // compiled constructors never store into their parameters' slots
        mv.visitLdcInsn(hook.site());
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        pushArguments();
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, bridge, "enterScope", ENTER_SCOPE_DESCRIPTOR, false);
      }
      super.visitInsn(opcode);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
      if (hook.isScoped()) {
        Label handler = new Label();
        mv.visitTryCatchBlock(scopeStart, handler, handler, null);
        mv.visitLabel(handler);
        if (framesRequired) {
          mv.visitFrame(Opcodes.F_FULL, 0, new Object[0], 1, new Object[] {"java/lang/Throwable"});
        }
        exitScope();
        mv.visitInsn(Opcodes.ATHROW);
      }
      super.visitMaxs(maxStack, maxLocals);
    }

    private void exitScope() {
      mv.visitLdcInsn(hook.exitSite());
      mv.visitMethodInsn(Opcodes.INVOKESTATIC, bridge, "exitScope", EXIT_SCOPE_DESCRIPTOR, false);
    }

    /** {@code new Object[] {arg0, arg1, ...}}, primitives boxed. */
    private void pushArguments() {
      Type[] arguments = Type.getArgumentTypes(descriptor);
      pushInt(arguments.length);
      mv.visitTypeInsn(Opcodes.ANEWARRAY, "java/lang/Object");
      int slot = 1;
      for (int i = 0; i < arguments.length; i++) {
        mv.visitInsn(Opcodes.DUP);
        pushInt(i);
        mv.visitVarInsn(arguments[i].getOpcode(Opcodes.ILOAD), slot);
        box(arguments[i]);
        mv.visitInsn(Opcodes.AASTORE);
        slot += arguments[i].getSize();
      }
    }

    /** {@code this.f = (F) LeveeBridge.replace(site, this, this.f);} (a primitive boxed and unboxed) */
    private void replaceField() {
      Type type = Type.getType(hook.fieldDescriptor());
      mv.visitVarInsn(Opcodes.ALOAD, 0);
      mv.visitLdcInsn(hook.site());
      mv.visitVarInsn(Opcodes.ALOAD, 0);
      mv.visitVarInsn(Opcodes.ALOAD, 0);
      mv.visitFieldInsn(Opcodes.GETFIELD, owner, field, hook.fieldDescriptor());
      box(type);
      mv.visitMethodInsn(Opcodes.INVOKESTATIC, bridge, "replace", REPLACE_DESCRIPTOR, false);
      if (isReference(type)) {
        mv.visitTypeInsn(Opcodes.CHECKCAST, type.getInternalName());
      } else {
        unbox(type);
      }
      mv.visitFieldInsn(Opcodes.PUTFIELD, owner, field, hook.fieldDescriptor());
    }

    /**
     * {@code Object r = LeveeBridge.enter(site, this, new Object[] {args}); if (r != null) return (R) r;}
     * (a void method just returns; a primitive result arrives boxed and is unboxed)
     */
    private void returnEarly() {
      mv.visitLdcInsn(hook.site());
      mv.visitVarInsn(Opcodes.ALOAD, 0);
      pushArguments();
      mv.visitMethodInsn(Opcodes.INVOKESTATIC, bridge, "enter", ENTER_DESCRIPTOR, false);
      mv.visitInsn(Opcodes.DUP);
      Label proceed = new Label();
      mv.visitJumpInsn(Opcodes.IFNULL, proceed);
      Type returned = Type.getReturnType(descriptor);
      if (returned.getSort() == Type.VOID) {
        mv.visitInsn(Opcodes.POP);
      } else if (isReference(returned)) {
        mv.visitTypeInsn(Opcodes.CHECKCAST, returned.getInternalName());
      } else {
        unbox(returned);
      }
      mv.visitInsn(returned.getOpcode(Opcodes.IRETURN));
      mv.visitLabel(proceed);
      if (framesRequired) {
        // the locals are still the method's parameters; the stack holds the null result
        mv.visitFrame(Opcodes.F_SAME1, 0, null, 1, new Object[] {"java/lang/Object"});
      }
      mv.visitInsn(Opcodes.POP);
    }

    /**
     * {@code Object r = LeveeBridge.enter(site, this, new Object[] {args}); if (r != null) { if (!(r instanceof
     * A)) return; arg = (A) r; }}. Each label is reached with the method's parameters as locals and the
     * result on the stack, so its frame is the same as the method's first plus one Object.
     */
    private void replaceArgumentOrReturn() {
      Type argument = Type.getArgumentTypes(descriptor)[hook.argumentIndex()];
      int slot = 1;
      for (int i = 0; i < hook.argumentIndex(); i++) {
        slot += Type.getArgumentTypes(descriptor)[i].getSize();
      }
      mv.visitLdcInsn(hook.site());
      mv.visitVarInsn(Opcodes.ALOAD, 0);
      pushArguments();
      mv.visitMethodInsn(Opcodes.INVOKESTATIC, bridge, "enter", ENTER_DESCRIPTOR, false);
      Label proceed = new Label();
      Label replace = new Label();
      mv.visitInsn(Opcodes.DUP);
      mv.visitJumpInsn(Opcodes.IFNULL, proceed);
      mv.visitInsn(Opcodes.DUP);
      mv.visitTypeInsn(Opcodes.INSTANCEOF, argument.getInternalName());
      mv.visitJumpInsn(Opcodes.IFNE, replace);
      mv.visitInsn(Opcodes.POP);
      mv.visitInsn(Opcodes.RETURN);
      mv.visitLabel(replace);
      if (framesRequired) {
        mv.visitFrame(Opcodes.F_SAME1, 0, null, 1, new Object[] {"java/lang/Object"});
      }
      mv.visitInsn(Opcodes.DUP);
      mv.visitTypeInsn(Opcodes.CHECKCAST, argument.getInternalName());
      mv.visitVarInsn(Opcodes.ASTORE, slot);
      mv.visitLabel(proceed);
      if (framesRequired) {
        mv.visitFrame(Opcodes.F_SAME1, 0, null, 1, new Object[] {"java/lang/Object"});
      }
      mv.visitInsn(Opcodes.POP);
    }

    private void pushInt(int value) {
      if (value <= 5) {
        mv.visitInsn(Opcodes.ICONST_0 + value);
      } else {
        mv.visitIntInsn(Opcodes.BIPUSH, value);
      }
    }

    /** The hook's result for a method returning a primitive: its wrapper, unwrapped. */
    private void unbox(Type type) {
      String wrapper = wrapperOf(type);
      mv.visitTypeInsn(Opcodes.CHECKCAST, wrapper);
      mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, wrapper, type.getClassName() + "Value", "()" + type.getDescriptor(), false);
    }

    private void box(Type type) {
      if (type.getSort() == Type.OBJECT || type.getSort() == Type.ARRAY) {
        return;
      }
      String wrapper = wrapperOf(type);
      mv.visitMethodInsn(Opcodes.INVOKESTATIC, wrapper, "valueOf", "(" + type.getDescriptor() + ")L" + wrapper + ";", false);
    }

    private String wrapperOf(Type type) {
      switch (type.getSort()) {
        case Type.BOOLEAN: return "java/lang/Boolean";
        case Type.CHAR: return "java/lang/Character";
        case Type.BYTE: return "java/lang/Byte";
        case Type.SHORT: return "java/lang/Short";
        case Type.INT: return "java/lang/Integer";
        case Type.FLOAT: return "java/lang/Float";
        case Type.LONG: return "java/lang/Long";
        default: return "java/lang/Double";
      }
    }
  }
}
