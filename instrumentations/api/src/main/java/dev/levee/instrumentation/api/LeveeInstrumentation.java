package dev.levee.instrumentation.api;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * One client library's instrumentation: the methods it hooks, and the hooks (plain Java, loaded by the
 * agent's loader) that translate between the library and the pipeline. Found with
 * {@link java.util.ServiceLoader}.
 */
public interface LeveeInstrumentation {

  /** The name in resilience.yaml's {@code instrumentation} section, e.g. {@code jdk-httpclient}. */
  String name();

  /** The methods to hook: by exact class, name and descriptor, or by interface, name and descriptor. */
  List<MethodHook> methodHooks();

  /**
   * The hook for each site named in {@link #methodHooks()}: called with the instance and the arguments,
   * it returns the result to use, or null to let the method run untouched.
   */
  Map<String, BiFunction<Object, Object[], Object>> hooks(LeveeRuntime runtime);
}
