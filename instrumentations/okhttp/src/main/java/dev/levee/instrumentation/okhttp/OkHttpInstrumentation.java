package dev.levee.instrumentation.okhttp;

import dev.levee.instrumentation.api.LeveeInstrumentation;
import dev.levee.instrumentation.api.LeveeRuntime;
import dev.levee.instrumentation.api.MethodHook;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
public final class OkHttpInstrumentation implements LeveeInstrumentation<OkHttpHooks> {

  /** OkHttp 3.x. */
  static final String REAL_CALL_3 = "okhttp3.RealCall";
  /** OkHttp 4.x and 5.x. */
  static final String REAL_CALL_4 = "okhttp3.internal.connection.RealCall";

  @Override
  public String name() {
    return "okhttp";
  }

  /** Declared when one of these loads: an app without OkHttp pays nothing for it at startup. */
  @Override
  public List<String> hookedClasses() {
    return Arrays.asList(REAL_CALL_3, REAL_CALL_4);
  }

  @Override
  public List<MethodHook<OkHttpHooks>> methodHooks() {
    List<MethodHook<OkHttpHooks>> hooks = new ArrayList<>();
    for (String realCall : new String[] {REAL_CALL_3, REAL_CALL_4}) {
      hooks.add(MethodHook.<OkHttpHooks>call(realCall, "execute", "()Lokhttp3/Response;", OkHttpHooks::execute)
          .declaring(IOException.class));
      hooks.add(MethodHook.call(realCall, "enqueue", "(Lokhttp3/Callback;)V", OkHttpHooks::enqueue));
      hooks.add(MethodHook.returnEarly(realCall, "cancel", "()V", OkHttpHooks::cancel));
    }
    return hooks;
  }

  @Override
  public OkHttpHooks hooks(LeveeRuntime runtime) {
    return new OkHttpHooks(runtime);
  }
}
