package dev.levee.instrumentation.executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.levee.core.config.InstrumentationConfig;
import dev.levee.instrumentation.api.BridgeTable;
import dev.levee.instrumentation.api.LeveeInstrumentation;
import dev.levee.instrumentation.api.MethodHook;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.concurrent.ThreadPoolExecutor;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExecutorsInstrumentationTest {

  final ExecutorsInstrumentation instrumentation = new ExecutorsInstrumentation();

  @Test
  void isFoundByTheAgentUnderTheNameTheConfigAccepts() {
    boolean found = false;
    for (LeveeInstrumentation<?> i : ServiceLoader.load(LeveeInstrumentation.class)) {
      found |= i instanceof ExecutorsInstrumentation;
    }
    assertTrue(found, "META-INF/services names ExecutorsInstrumentation");
    assertTrue(InstrumentationConfig.NAMES.contains(instrumentation.name()));
  }

  @Test
  void everyHookHasItsFunctionAndItsOwnSite() {
    List<MethodHook<ThreadPoolHooks>> hooks = instrumentation.methodHooks();
    Set<String> sites = new HashSet<>();
    for (MethodHook<ThreadPoolHooks> hook : hooks) {
      MethodHook.Kind expected = hook.methodName().equals("<init>")
          ? MethodHook.Kind.CONSTRUCTED
          : hook.methodName().equals("execute") && hook.typeName().equals(ThreadPoolExecutor.class.getName())
              ? MethodHook.Kind.REPLACE_ARGUMENT_OR_RETURN // it may refuse a task (executors.maxQueue)
              : MethodHook.Kind.REPLACE_ARGUMENT;
      assertEquals(expected, hook.kind(), hook.toString());
      assertTrue(sites.add(hook.site()), "one site per hook: " + hook.site());
    }
    assertEquals(sites, BridgeTable.of(instrumentation, instrumentation.hooks(null)).keySet());
  }

  /**
   * Every hooked method exists with its exact descriptor on the JDK running the tests, and the argument
   * replaced has the type its wrapper stands for. ThreadBuilders is JDK 21+.
   */
  @Test
  void everyHookedMethodExistsOnThisJdk() throws Exception {
    for (MethodHook<ThreadPoolHooks> hook : instrumentation.methodHooks()) {
      Class<?> type;
      try {
        type = Class.forName(hook.typeName(), false, null);
      } catch (ClassNotFoundException e) {
        assertEquals("java.lang.ThreadBuilders", hook.typeName());
        assertTrue(Runtime.version().feature() < 21, "ThreadBuilders exists from JDK 21");
        continue;
      }
      if (hook.kind() == MethodHook.Kind.CONSTRUCTED) {
        assertTrue(Arrays.stream(type.getDeclaredConstructors()).anyMatch(c -> MethodType.methodType(void.class,
            c.getParameterTypes()).toMethodDescriptorString().equals(hook.methodDescriptor())), hook.toString());
        continue;
      }
      Method method = declared(type, hook.methodName(), hook.methodDescriptor());
      Class<?> argument = method.getParameterTypes()[hook.argumentIndex()];
      assertTrue(argument.isInterface() && argument.getName().startsWith("java."), hook + " replaces a " + argument);
      assertTrue(!Modifier.isAbstract(method.getModifiers()), hook.toString());
    }
  }

  private static Method declared(Class<?> type, String name, String descriptor) {
    for (Method m : type.getDeclaredMethods()) {
      if (m.getName().equals(name)
          && MethodType.methodType(m.getReturnType(), m.getParameterTypes()).toMethodDescriptorString().equals(descriptor)) {
        return m;
      }
    }
    return fail(type.getName() + " declares no " + name + descriptor + " on JDK " + Runtime.version());
  }
}
