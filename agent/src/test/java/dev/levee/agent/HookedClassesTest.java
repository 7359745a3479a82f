package dev.levee.agent;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.instrumentation.api.LeveeInstrumentation;
import dev.levee.instrumentation.api.MethodHook;
import java.util.HashSet;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * An instrumentation that names its classes ({@link LeveeInstrumentation#hookedClasses}) is declared only
 * when one of them is met: a class it hooks but does not name would never be woven.
 */
class HookedClassesTest {

  @Test
  void everyHookedClassIsNamedAndNoHookIsByInterface() {
    int named = 0;
    for (LeveeInstrumentation<?> i : ServiceLoader.load(LeveeInstrumentation.class)) {
      if (i.hookedClasses() == null) {
        continue;
      }
      named++;
      Set<String> classes = new HashSet<>(i.hookedClasses());
      for (MethodHook<?> hook : i.methodHooks()) {
        assertFalse(hook.isByInterface(), i.name() + ": a hook named by interface cannot wait for a class: " + hook);
        assertTrue(classes.contains(hook.typeName()), i.name() + " does not name " + hook.typeName() + " in hookedClasses()");
      }
    }
    assertTrue(named >= 6, "jdk-httpclient, okhttp, apache-httpclient5, apache-httpclient4, httpurlconnection and "
        + "jdk-httpserver name their classes");
  }
}
