package dev.levee.instrumentation.jdkhttpserver;

import dev.levee.core.Clock;
import dev.levee.instrumentation.api.LeveeInstrumentation;
import dev.levee.instrumentation.api.LeveeRuntime;
import dev.levee.instrumentation.api.MethodHook;
import java.util.Collections;
import java.util.List;

/**
 * The JDK's {@code com.sun.net.httpserver}: every exchange, whatever the handler (often a lambda, which
 * cannot be instrumented), runs through {@code Filter.Chain.doFilter}: the server's own chain of system
 * filters, then the app's filters, each calling the next chain, then the handler. The outermost call
 * reads the request's deadline and is the door where an exchange over the {@code inbound} limits is shed
 * ({@link InboundExchanges}); the nested ones only count, so it is read once per exchange. The same
 * name and descriptor hold from JDK 11 to JDK 25.
 */
public final class JdkHttpServerInstrumentation implements LeveeInstrumentation<InboundExchanges> {

  static final String CHAIN = "com.sun.net.httpserver.Filter$Chain";

  @Override
  public String name() {
    return "jdk-httpserver";
  }

  /** Declared when the chain loads: an app that serves no JDK HttpServer pays nothing for it at startup. */
  @Override
  public List<String> hookedClasses() {
    return Collections.singletonList(CHAIN);
  }

  @Override
  public List<MethodHook<InboundExchanges>> methodHooks() {
    return Collections.singletonList(MethodHook.scopedReturnEarly(CHAIN, "doFilter", "(Lcom/sun/net/httpserver/HttpExchange;)V",
        (exchanges, chain, args) -> exchanges.enter(args[0]), InboundExchanges::exit));
  }

  @Override
  public InboundExchanges hooks(LeveeRuntime runtime) {
    return new InboundExchanges(runtime.deadlineHeaders(), runtime.inboundLimits(), Clock.SYSTEM);
  }
}
