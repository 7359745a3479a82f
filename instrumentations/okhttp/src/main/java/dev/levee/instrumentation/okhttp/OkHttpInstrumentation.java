package dev.levee.instrumentation.okhttp;

import dev.levee.instrumentation.api.LeveeInstrumentation;
import dev.levee.instrumentation.api.LeveeRuntime;
import dev.levee.instrumentation.api.MethodHook;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * OkHttp: every {@code Call} any {@code OkHttpClient} makes is a {@code RealCall} (however the client was
 * built: {@code new OkHttpClient()}, a builder, a {@code newBuilder()} copy), so its public {@code execute()},
 * {@code enqueue(Callback)} and {@code cancel()} see every call. Hooking the call, not the client's interceptor
 * list, means no interceptor of Levee's is ever copied twice into a chain by {@code newBuilder()} (DESIGN.md §7).
 *
 * <p>OkHttp 3.x (Java) names the class {@code okhttp3.RealCall}; 4.x and 5.x (Kotlin) name it
 * {@code okhttp3.internal.connection.RealCall}; the three methods have the same names and descriptors in all
 * of them (checked with javap on 3.14.9, 4.12.0 and 5.5.1). Kotlin's internal {@code enqueue$okhttp} is the
 * dispatcher's, which the public {@code RealCall.enqueue} calls; hooking the public one sees each call once.
 */
public final class OkHttpInstrumentation implements LeveeInstrumentation {

  static final String EXECUTE = "okhttp.execute";
  static final String ENQUEUE = "okhttp.enqueue";
  static final String CANCEL = "okhttp.cancel";

  /** OkHttp 3.x. */
  static final String REAL_CALL_3 = "okhttp3.RealCall";
  /** OkHttp 4.x and 5.x. */
  static final String REAL_CALL_4 = "okhttp3.internal.connection.RealCall";

  @Override
  public String name() {
    return "okhttp";
  }

  @Override
  public List<MethodHook> methodHooks() {
    List<MethodHook> hooks = new ArrayList<>();
    for (String realCall : new String[] {REAL_CALL_3, REAL_CALL_4}) {
      hooks.add(MethodHook.returnEarly(realCall, "execute", "()Lokhttp3/Response;", EXECUTE));
      hooks.add(MethodHook.returnEarly(realCall, "enqueue", "(Lokhttp3/Callback;)V", ENQUEUE));
      hooks.add(MethodHook.returnEarly(realCall, "cancel", "()V", CANCEL));
    }
    return hooks;
  }

  @Override
  public Map<String, BiFunction<Object, Object[], Object>> hooks(LeveeRuntime runtime) {
    OkHttpHooks hooks = new OkHttpHooks(runtime);
    Map<String, BiFunction<Object, Object[], Object>> map = new HashMap<>();
    map.put(EXECUTE, hooks::execute);
    map.put(ENQUEUE, hooks::enqueue);
    map.put(CANCEL, hooks::cancel);
    return map;
  }
}
