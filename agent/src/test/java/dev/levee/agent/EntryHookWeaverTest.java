package dev.levee.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.levee.bridge.LeveeBridge;
import dev.levee.instrumentation.api.MethodHook;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Weaves {@link Hooked} for real and runs it, verified by the JVM. The woven code calls the compiled
 * bridge here ({@code dev/levee/bridge/LeveeBridge}) instead of the runtime copy in {@code java.lang}. The
 * hooks carry no handler: each test installs the bridge's function under the hook's site itself, to see
 * exactly what the woven code passes and does with what it gets back.
 */
class EntryHookWeaverTest {

  static final String TYPE = Hooked.class.getName();
  static final MethodHook<?> GREET = MethodHook.returnEarly(TYPE, "greet", "(Ljava/lang/String;IJD)Ljava/lang/String;", null);
  static final MethodHook<?> LOOP = MethodHook.returnEarly(TYPE, "loopFirst", "(I)Ljava/lang/String;", null);
  static final MethodHook<?> TIMEOUT =
      MethodHook.replaceField(TYPE, "build", "()Ljava/time/Duration;", "timeout", "Ljava/time/Duration;", null);

  final EntryHookWeaver weaver = new EntryHookWeaver("dev/levee/bridge/LeveeBridge");
  final List<MethodHook<?>> missing = new ArrayList<>();
  final Map<String, BiFunction<Object, Object[], Object>> hooks = new HashMap<>();

  @AfterEach
  void uninstall() {
    LeveeBridge.install(Collections.emptyMap());
  }

  Object wovenInstance(MethodHook<?>... wanted) throws Exception {
    byte[] original = Bridge.read(Hooked.class.getClassLoader(), TYPE);
    byte[] woven = weaver.weave(original, List.of(wanted), missing::add);
    Class<?> type = new ClassLoader(Hooked.class.getClassLoader()) {
      Class<?> define() {
        return defineClass(TYPE, woven, 0, woven.length);
      }
    }.define();
    LeveeBridge.install(hooks);
    return type.getConstructor().newInstance();
  }

  static Object call(Object target, String name, Object... args) throws Throwable {
    for (Method m : target.getClass().getMethods()) {
      if (m.getName().equals(name)) {
        try {
          return m.invoke(target, args);
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      }
    }
    throw new NoSuchMethodException(name);
  }

  static int bodyRuns(Object target) throws Exception {
    return target.getClass().getField("bodyRuns").getInt(target);
  }

  @Test
  void aNonNullHookResultIsReturnedWithoutRunningTheMethod() throws Throwable {
    Object[] seen = new Object[2];
    hooks.put(GREET.site(), (self, args) -> {
      seen[0] = self;
      seen[1] = args;
      return "from the hook";
    });
    Object hooked = wovenInstance(GREET);
    assertEquals("from the hook", call(hooked, "greet", "ann", 3, 4L, 0.5));
    assertEquals(0, bodyRuns(hooked));
    assertSame(hooked, seen[0]);
    assertArrayEquals(new Object[] {"ann", 3, 4L, 0.5}, (Object[]) seen[1], "primitives arrive boxed, wide ones too");
  }

  @Test
  void aNullHookResultRunsTheMethodAsWritten() throws Throwable {
    hooks.put(GREET.site(), (self, args) -> null);
    Object hooked = wovenInstance(GREET);
    assertEquals("hello bob 2 9 1.5", call(hooked, "greet", "bob", 2, 9L, 1.5));
    assertEquals(1, bodyRuns(hooked));
  }

  @Test
  void withNoHookRegisteredTheMethodRunsAsWritten() throws Throwable {
    Object hooked = wovenInstance(GREET);
    assertEquals("hello bob 2 9 1.5", call(hooked, "greet", "bob", 2, 9L, 1.5));
  }

  @Test
  void anExceptionFromTheHookReachesTheCallerAsItIs() throws Throwable {
    IOException failure = new IOException("levee: circuit open for x:1");
    hooks.put(LOOP.site(), (self, args) -> EntryHookWeaverTest.<RuntimeException>sneaky(failure));
    Object hooked = wovenInstance(LOOP);
    assertSame(failure, assertThrows(IOException.class, () -> call(hooked, "loopFirst", 3)));
  }

  @Test
  void aMethodWhoseFirstInstructionIsABranchTargetStillVerifies() throws Throwable {
    hooks.put(LOOP.site(), (self, args) -> (Integer) args[0] == 0 ? "none" : null);
    Object hooked = wovenInstance(LOOP);
    assertEquals("321", call(hooked, "loopFirst", 3));
    assertEquals("none", call(hooked, "loopFirst", 0));
  }

  @Test
  void aVoidMethodReturnsAtOnceOnANonNullHookResult() throws Throwable {
    MethodHook<?> fire = MethodHook.returnEarly(TYPE, "fireAndForget", "(Ljava/lang/String;)V", null);
    hooks.put(fire.site(), (self, args) -> "handled".equals(args[0]) ? Boolean.TRUE : null);
    Object hooked = wovenInstance(fire);
    call(hooked, "fireAndForget", "handled");
    assertEquals(0, bodyRuns(hooked));
    call(hooked, "fireAndForget", "other");
    assertEquals(1, bodyRuns(hooked));
  }

  @Test
  void aPrimitiveResultIsUnboxed() throws Throwable {
    MethodHook<?> count = MethodHook.returnEarly(TYPE, "count", "(I)J", null);
    hooks.put(count.site(), (self, args) -> (Integer) args[0] > 10 ? 99L : null);
    Object hooked = wovenInstance(count);
    assertEquals(99L, call(hooked, "count", 11));
    assertEquals(4L, call(hooked, "count", 3));
    assertEquals(1, bodyRuns(hooked));
  }

  @Test
  void aFieldHookReplacesTheValueOrKeepsItOnNull() throws Throwable {
    hooks.put(TIMEOUT.site(), (self, args) -> ((Duration) args[0]).compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : null);
    assertEquals(Duration.ofSeconds(5), call(wovenInstance(TIMEOUT), "build"));
    hooks.put(TIMEOUT.site(), (self, args) -> null);
    assertEquals(Duration.ofSeconds(7), call(wovenInstance(TIMEOUT), "build"));
    hooks.put(TIMEOUT.site(), (self, args) -> {
      throw new IllegalStateException("a Levee bug");
    });
    assertEquals(Duration.ofSeconds(7), call(wovenInstance(TIMEOUT), "build"), "a failing field hook fails open");
  }

  @Test
  void aPrimitiveFieldRenamedAcrossVersionsIsFoundAndReplacedBoxed() throws Throwable {
    MethodHook<?> flag = MethodHook.replaceField(TYPE, "retriedAlready", "()Z", List.of("expiredOnce", "retriedOnce"), "Z",
        null);
    Object[] seen = new Object[1];
    hooks.put(flag.site(), (self, args) -> {
      seen[0] = args[0];
      return Boolean.TRUE;
    });
    assertEquals(true, call(wovenInstance(flag), "retriedAlready"));
    assertEquals(Boolean.FALSE, seen[0], "the field's value, boxed");
    assertEquals(List.of(), missing);
    hooks.put(flag.site(), (self, args) -> null);
    assertEquals(false, call(wovenInstance(flag), "retriedAlready"), "null keeps the value");
    hooks.put(flag.site(), (self, args) -> {
      throw new IllegalStateException("a Levee bug");
    });
    assertEquals(false, call(wovenInstance(flag), "retriedAlready"), "a failing field hook fails open");
  }

  @Test
  void hooksForMethodsOrFieldsTheClassLacksAreReportedAndNothingIsWoven() throws Exception {
    MethodHook<?> noMethod = MethodHook.returnEarly(TYPE, "send", "()Ljava/lang/Object;", null);
    MethodHook<?> noField = MethodHook.replaceField(TYPE, "build", "()Ljava/time/Duration;", "connectTimeout", "Ljava/time/Duration;", null);
    byte[] original = Bridge.read(Hooked.class.getClassLoader(), TYPE);
    assertNull(weaver.weave(original, List.of(noMethod, noField), missing::add));
    assertEquals(List.of(noMethod, noField), missing);
  }

  @Test
  void aScopedMethodEntersOnceAndExitsOnceOnEveryWayOut() throws Throwable {
    MethodHook<?> leaves = MethodHook.scoped(TYPE, "leaves", "(ILjava/lang/Object;)I", null, null);
    List<String> events = new ArrayList<>();
    hooks.put(leaves.site(), (self, args) -> events.add("enter " + args[0]));
    hooks.put(leaves.exitSite(), (self, args) -> events.add("exit"));
    Object hooked = wovenInstance(leaves);
    assertEquals(1, call(hooked, "leaves", 1, null));
    assertEquals(20, call(hooked, "leaves", 2, "x"));
    IOException thrown = assertThrows(IOException.class, () -> call(hooked, "leaves", 0, null));
    assertEquals("mode 0", thrown.getMessage(), "the method's own exception, rethrown as it is");
    assertEquals(List.of("enter 1", "exit", "enter 2", "exit", "enter 0", "exit"), events);
    assertEquals(3, bodyRuns(hooked));
  }

  @Test
  void aScopedMethodThatReturnsEarlySkipsTheMethodAndItsExit() throws Throwable {
    MethodHook<?> door = MethodHook.scopedReturnEarly(TYPE, "leaves", "(ILjava/lang/Object;)I", null, null);
    List<String> events = new ArrayList<>();
    hooks.put(door.site(), (self, args) -> {
      events.add("enter " + args[0]);
      return "shed".equals(args[1]) ? 99 : null;
    });
    hooks.put(door.exitSite(), (self, args) -> events.add("exit"));
    Object hooked = wovenInstance(door);
    assertEquals(99, call(hooked, "leaves", 1, "shed"));
    assertEquals(0, bodyRuns(hooked), "answered by the hook: the method never ran");
    assertEquals(1, call(hooked, "leaves", 1, null));
    assertEquals("mode 0", assertThrows(IOException.class, () -> call(hooked, "leaves", 0, null)).getMessage());
    assertEquals(List.of("enter 1", "enter 1", "exit", "enter 0", "exit"), events);
    assertEquals(2, bodyRuns(hooked));
  }

  @Test
  void aScopedMethodsOwnHandlersStillCatchFirst() throws Throwable {
    MethodHook<?> recovers = MethodHook.scoped(TYPE, "recovers", "(Ljava/lang/String;)Ljava/lang/String;", null, null);
    List<String> events = new ArrayList<>();
    hooks.put(recovers.site(), (self, args) -> events.add("enter"));
    hooks.put(recovers.exitSite(), (self, args) -> events.add("exit"));
    Object hooked = wovenInstance(recovers);
    assertEquals("recovered empty", call(hooked, "recovers", ""));
    assertEquals("ok a", call(hooked, "recovers", "a"));
    assertEquals(List.of("enter", "exit", "enter", "exit"), events);
  }

  @Test
  void failingScopeHooksNeverChangeWhatTheMethodDoes() throws Throwable {
    MethodHook<?> leaves = MethodHook.scoped(TYPE, "leaves", "(ILjava/lang/Object;)I", null, null);
    hooks.put(leaves.site(), (self, args) -> {
      throw new IllegalStateException("a Levee bug on entry");
    });
    hooks.put(leaves.exitSite(), (self, args) -> {
      throw new IllegalStateException("a Levee bug on exit");
    });
    Object hooked = wovenInstance(leaves);
    assertEquals(30, call(hooked, "leaves", 3, null));
    assertEquals("mode 0", assertThrows(IOException.class, () -> call(hooked, "leaves", 0, null)).getMessage());
  }

  @Test
  void anArgumentHookReplacesAnArgumentOfAStaticMethod() throws Throwable {
    MethodHook<?> describe = MethodHook.replaceArgument(
        TYPE, "describe", "(Ljava/lang/String;JLjava/lang/Runnable;)Ljava/lang/String;", 2, null);
    List<String> ran = new ArrayList<>();
    Object[] self = {"not called"};
    hooks.put(describe.site(), (s, args) -> {
      self[0] = s;
      Runnable original = (Runnable) args[0];
      return (Runnable) () -> {
        ran.add("wrapper");
        original.run();
      };
    });
    Object hooked = wovenInstance(describe);
    Method method = hooked.getClass().getMethod("describe", String.class, long.class, Runnable.class);
    assertEquals("p42", method.invoke(null, "p", 42L, (Runnable) () -> ran.add("task")));
    assertEquals(List.of("wrapper", "task"), ran, "the wide argument before it did not shift the slot");
    assertNull(self[0], "a static method has no this");
    hooks.put(describe.site(), (s, args) -> null);
    ran.clear();
    method.invoke(null, "p", 1L, (Runnable) () -> ran.add("task"));
    assertEquals(List.of("task"), ran, "null keeps the argument");
  }

  @Test
  void anArgumentOrReturnHookRunsTheMethodReplacesItsArgumentOrReturnsAtOnce() throws Throwable {
    MethodHook<?> hand = MethodHook.replaceArgumentOrReturn(TYPE, "hand", "(JLjava/lang/Runnable;)V", 1, null);
    Runnable replacement = () -> {};
    Object[] answer = {null};
    Object[] seen = {null};
    hooks.put(hand.site(), (self, args) -> {
      seen[0] = args[1];
      return answer[0];
    });
    Object hooked = wovenInstance(hand);
    Runnable task = () -> {};
    call(hooked, "hand", 7L, task);
    assertSame(task, hooked.getClass().getField("handed").get(hooked), "null: the method runs as called");
    assertSame(task, seen[0]);
    answer[0] = replacement;
    call(hooked, "hand", 7L, task);
    assertSame(replacement, hooked.getClass().getField("handed").get(hooked), "a Runnable takes the task's place");
    assertEquals(2, bodyRuns(hooked));
    answer[0] = Boolean.TRUE;
    call(hooked, "hand", 7L, task);
    assertEquals(2, bodyRuns(hooked), "anything else returns at once");
    IllegalStateException refused = new IllegalStateException("refused");
    hooks.put(hand.site(), (self, args) -> {
      throw refused;
    });
    assertSame(refused, assertThrows(IllegalStateException.class, () -> call(hooked, "hand", 7L, task)));
  }

  @Test
  void aConstructedHookSeesTheNewObjectAtEveryNormalReturn() throws Throwable {
    MethodHook<?> made = MethodHook.constructed(TYPE, "(IJ)V", null);
    List<Object[]> seen = new ArrayList<>();
    hooks.put(made.site(), (self, args) -> {
      seen.add(new Object[] {self, args});
      throw new IllegalStateException("a watcher's fault never fails the constructor");
    });
    Class<?> type = wovenInstance(made).getClass();
    Object early = type.getConstructor(int.class, long.class).newInstance(0, 5L);
    Object late = type.getConstructor(int.class, long.class).newInstance(3, 5L);
    assertThrows(InvocationTargetException.class, () -> type.getConstructor(int.class, long.class).newInstance(-1, 5L));
    assertEquals(2, seen.size(), "two normal returns, the throw made nothing");
    assertSame(early, seen.get(0)[0]);
    assertSame(late, seen.get(1)[0]);
    assertArrayEquals(new Object[] {3, 5L}, (Object[]) seen.get(1)[1]);
    assertEquals(3, bodyRuns(late));
    assertEquals(List.of(), missing);
  }

  @SuppressWarnings("unchecked")
  static <T extends Throwable> Object sneaky(Throwable t) throws T {
    throw (T) t;
  }
}
