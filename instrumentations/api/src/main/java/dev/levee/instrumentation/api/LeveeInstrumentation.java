package dev.levee.instrumentation.api;

import java.util.List;
import java.util.Map;

/**
 * One client library's instrumentation: which classes it rewrites with which advice, and the hooks that
 * connect that advice (through {@link dev.levee.bridge.LeveeBridge}) to the pipeline. Found with
 * {@link java.util.ServiceLoader}.
 */
public interface LeveeInstrumentation {

  /** The name in resilience.yaml's {@code instrumentation} section, e.g. {@code jdk-httpclient}. */
  String name();

  /** The advice to apply, by exact class name: cheap to match, nothing loaded to decide. */
  List<TypeAdvice> typeAdvice();

  /**
   * The hooks to register: {@link dev.levee.bridge.LeveeBridge} field name to hook object (of that
   * field's {@code java.util.function} type).
   */
  Map<String, Object> hooks(LeveeRuntime runtime);
}
