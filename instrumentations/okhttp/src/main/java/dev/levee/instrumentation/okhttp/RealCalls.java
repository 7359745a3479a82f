package dev.levee.instrumentation.okhttp;

import java.lang.reflect.Field;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the hooks need from an application's {@code RealCall} that OkHttp's public API does not offer: its
 * client, and its "executed" flag. When Levee handles a call, the call object the application holds is
 * never executed itself (each attempt is a fresh call), yet it must behave as executed: {@code isExecuted()}
 * true, a second {@code execute()} or {@code enqueue()} failing with {@code IllegalStateException("Already
 * Executed")}, as OkHttp does.
 *
 * <p>The flag is OkHttp's own field ({@code boolean executed} guarded by the call's monitor in 3.x, an
 * {@code AtomicBoolean executed} in 4.x and 5.x), set reflectively. Should the field be out of reach (OkHttp
 * on the module path, its internal package not open), Levee remembers the calls it handled instead: the
 * second execute still fails, but {@code isExecuted()} then reports false.
 */
final class RealCalls {

  private static final ClassValue<Fields> FIELDS =
      new ClassValue<Fields>() {
        @Override
        protected Fields computeValue(Class<?> type) {
          return new Fields(type);
        }
      };

  /** Calls whose flag Levee could not set; weak, so a finished call is forgotten with it. */
  private static final Map<Object, Boolean> EXECUTED_WITHOUT_FLAG = Collections.synchronizedMap(new WeakHashMap<>());

  private RealCalls() {}

  /** The call's OkHttpClient: {@code getClient()} in 4.x and 5.x, the {@code client} field in 3.x. */
  static Object client(Object call) throws Exception {
    Fields fields = FIELDS.get(call.getClass());
    if (fields.client != null) {
      return fields.client.get(call);
    }
    return OkHttpApi.call(call, "getClient");
  }

  /** Whether the call is a web socket's upgrade: {@code getForWebSocket()} in 4.x and 5.x, a field in 3.x. */
  static boolean isForWebSocket(Object call) throws Exception {
    Fields fields = FIELDS.get(call.getClass());
    if (fields.forWebSocket != null) {
      return fields.forWebSocket.getBoolean(call);
    }
    return Boolean.TRUE.equals(OkHttpApi.call(call, "getForWebSocket"));
  }

  /**
   * Marks the call executed, as OkHttp's own execute() and enqueue() do first.
   *
   * @return false when it was executed already
   */
  static boolean markExecuted(Object call) {
    Field executed = FIELDS.get(call.getClass()).executed;
    if (executed != null) {
      try {
        if (executed.getType() == AtomicBoolean.class) {
          return ((AtomicBoolean) executed.get(call)).compareAndSet(false, true);
        }
        synchronized (call) { // OkHttp 3.x guards the flag with the call's monitor
          if (executed.getBoolean(call)) {
            return false;
          }
          executed.setBoolean(call, true);
          return true;
        }
      } catch (IllegalAccessException | RuntimeException e) {
        // fall back to remembering the call
      }
    }
    synchronized (EXECUTED_WITHOUT_FLAG) {
      return EXECUTED_WITHOUT_FLAG.put(call, Boolean.TRUE) == null && !isExecuted(call);
    }
  }

  private static boolean isExecuted(Object call) {
    try {
      return Boolean.TRUE.equals(OkHttpApi.call(call, "isExecuted"));
    } catch (Exception e) {
      return false;
    }
  }

  /** The reflective handles of one RealCall class, found once; null where the class has no such field. */
  private static final class Fields {
    final Field client;
    final Field executed;
    final Field forWebSocket;

    Fields(Class<?> type) {
      Field found = accessible(type, "executed");
      this.executed = found != null && (found.getType() == AtomicBoolean.class || found.getType() == boolean.class)
          ? found
          : null;
      // 4.x and 5.x have a public getClient(); 3.x only the package-private field
      Field client = null;
      Field forWebSocket = null;
      try {
        type.getMethod("getClient");
      } catch (NoSuchMethodException e) {
        client = accessible(type, "client");
        forWebSocket = accessible(type, "forWebSocket");
      }
      this.client = client;
      this.forWebSocket = forWebSocket;
    }

    private static Field accessible(Class<?> type, String name) {
      try {
        Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        return f;
      } catch (NoSuchFieldException | RuntimeException e) {
        return null; // absent in this version, or in a module that does not open it
      }
    }
  }
}
