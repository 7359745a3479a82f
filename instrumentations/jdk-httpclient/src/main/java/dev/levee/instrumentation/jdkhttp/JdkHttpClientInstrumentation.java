package dev.levee.instrumentation.jdkhttp;

import dev.levee.instrumentation.api.LeveeInstrumentation;
import dev.levee.instrumentation.api.LeveeRuntime;
import dev.levee.instrumentation.api.MethodHook;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * {@code java.net.http.HttpClient}: every client the JDK builds is a {@code HttpClientImpl} (behind a
 * {@code HttpClientFacade}), so its public {@code send} and three-argument {@code sendAsync} see every
 * call; the two-argument {@code sendAsync} delegates to the three-argument one, and {@code send} to a
 * private four-argument one, so no call is counted twice. {@code HttpClientBuilderImpl.build} is where the
 * connect timeout is tightened, {@code MultiExchange.responseAsync} where the JDK's own re-send is turned off
 * for Levee's attempts. The same names and descriptors hold from JDK 11 to JDK 25 (the re-send's flag was
 * renamed from {@code expiredOnce} to {@code retriedOnce} on the way).
 */
public final class JdkHttpClientInstrumentation implements LeveeInstrumentation {

  static final String SEND = "jdk-httpclient.send";
  static final String SEND_ASYNC = "jdk-httpclient.sendAsync";
  static final String CONNECT_TIMEOUT = "jdk-httpclient.connectTimeout";
  static final String NO_OWN_RETRY = "jdk-httpclient.noOwnRetry";

  private static final String CLIENT = "jdk.internal.net.http.HttpClientImpl";
  private static final String BUILDER = "jdk.internal.net.http.HttpClientBuilderImpl";
  private static final String EXCHANGE = "jdk.internal.net.http.MultiExchange";

  @Override
  public String name() {
    return "jdk-httpclient";
  }

  @Override
  public List<MethodHook> methodHooks() {
    return Arrays.asList(
        MethodHook.returnEarly(CLIENT, "send",
            "(Ljava/net/http/HttpRequest;Ljava/net/http/HttpResponse$BodyHandler;)Ljava/net/http/HttpResponse;",
            SEND),
        MethodHook.returnEarly(CLIENT, "sendAsync",
            "(Ljava/net/http/HttpRequest;Ljava/net/http/HttpResponse$BodyHandler;"
                + "Ljava/net/http/HttpResponse$PushPromiseHandler;)Ljava/util/concurrent/CompletableFuture;",
            SEND_ASYNC),
        MethodHook.replaceField(BUILDER, "build", "()Ljava/net/http/HttpClient;",
            "connectTimeout", "Ljava/time/Duration;", CONNECT_TIMEOUT),
        MethodHook.replaceField(EXCHANGE, "responseAsync",
            "(Ljava/util/concurrent/Executor;)Ljava/util/concurrent/CompletableFuture;",
            Arrays.asList("expiredOnce", "retriedOnce"), "Z", NO_OWN_RETRY));
  }

  @Override
  public Map<String, BiFunction<Object, Object[], Object>> hooks(LeveeRuntime runtime) {
    JdkHttpClientHooks hooks = new JdkHttpClientHooks(runtime);
    Map<String, BiFunction<Object, Object[], Object>> map = new HashMap<>();
    map.put(SEND, hooks::send);
    map.put(SEND_ASYNC, hooks::sendAsync);
    map.put(CONNECT_TIMEOUT, (builder, value) -> hooks.connectTimeout(value[0]));
    map.put(NO_OWN_RETRY, hooks::alreadyRetried);
    return map;
  }
}
