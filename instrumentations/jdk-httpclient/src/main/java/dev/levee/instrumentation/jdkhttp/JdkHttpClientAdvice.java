package dev.levee.instrumentation.jdkhttp;

import dev.levee.bridge.LeveeBridge;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Advice inlined into {@code java.net.http} classes. It may use {@code java.base} types and the bridge
 * only (DESIGN.md §5, §7): everything else happens in {@link JdkHttpClientHooks}.
 */
public final class JdkHttpClientAdvice {

  private JdkHttpClientAdvice() {}

  /** {@code HttpClientImpl.send}: the hook runs the pipeline and returns the response, or null to proceed. */
  public static final class Send {
    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    public static Object enter(
        @Advice.This Object client, @Advice.Argument(0) Object request, @Advice.Argument(1) Object handler) {
      Function<Object[], Object> hook = LeveeBridge.jdkHttpClientSend;
      return hook == null ? null : hook.apply(new Object[] {client, request, handler});
    }

    @Advice.OnMethodExit
    public static void exit(
        @Advice.Enter Object result,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned) {
      if (result != null) {
        returned = result;
      }
    }
  }

  /** {@code HttpClientImpl.sendAsync(request, handler, pushPromiseHandler)}. */
  public static final class SendAsync {
    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    public static Object enter(
        @Advice.This Object client,
        @Advice.Argument(0) Object request,
        @Advice.Argument(1) Object handler,
        @Advice.Argument(2) Object pushPromiseHandler) {
      Function<Object[], Object> hook = LeveeBridge.jdkHttpClientSendAsync;
      return hook == null ? null : hook.apply(new Object[] {client, request, handler, pushPromiseHandler});
    }

    @Advice.OnMethodExit
    public static void exit(
        @Advice.Enter Object result,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned) {
      if (result != null) {
        returned = result;
      }
    }
  }

  /** {@code HttpClientBuilderImpl.build()}: tightens (never loosens) the connect timeout the app set. */
  public static final class Build {
    @Advice.OnMethodEnter
    public static void enter(
        @Advice.FieldValue(value = "connectTimeout", readOnly = false) Duration connectTimeout) {
      UnaryOperator<Object> hook = LeveeBridge.jdkHttpClientConnectTimeout;
      if (hook != null) {
        connectTimeout = (Duration) hook.apply(connectTimeout);
      }
    }
  }
}
