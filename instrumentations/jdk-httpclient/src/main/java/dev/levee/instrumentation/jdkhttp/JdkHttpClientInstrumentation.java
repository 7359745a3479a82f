package dev.levee.instrumentation.jdkhttp;

import dev.levee.instrumentation.api.LeveeInstrumentation;
import dev.levee.instrumentation.api.LeveeRuntime;
import dev.levee.instrumentation.api.MethodHook;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * {@code java.net.http.HttpClient}: every client the JDK builds is a {@code HttpClientImpl} (behind a
 * {@code HttpClientFacade}), so its public {@code send} and three-argument {@code sendAsync} see every
 * call; the two-argument {@code sendAsync} delegates to the three-argument one, and {@code send} to a
 * private four-argument one, so no call is counted twice. {@code HttpClientBuilderImpl.build} is where the
 * connect timeout is tightened, {@code MultiExchange.responseAsync} where the JDK's own re-send is turned off
 * for Levee's attempts. The same names and descriptors hold from JDK 11 to JDK 25 (the re-send's flag was
 * renamed from {@code expiredOnce} to {@code retriedOnce} on the way).
 */
public final class JdkHttpClientInstrumentation implements LeveeInstrumentation<JdkHttpClientHooks> {

  private static final String CLIENT = "jdk.internal.net.http.HttpClientImpl";
  private static final String BUILDER = "jdk.internal.net.http.HttpClientBuilderImpl";
  private static final String EXCHANGE = "jdk.internal.net.http.MultiExchange";

  @Override
  public String name() {
    return "jdk-httpclient";
  }

  /** Declared when one of these loads: an app that makes no JDK HttpClient pays nothing for it at startup. */
  @Override
  public List<String> hookedClasses() {
    return Arrays.asList(CLIENT, BUILDER, EXCHANGE);
  }

  @Override
  public List<MethodHook<JdkHttpClientHooks>> methodHooks() {
    return Arrays.asList(
        MethodHook.<JdkHttpClientHooks>call(CLIENT, "send",
            "(Ljava/net/http/HttpRequest;Ljava/net/http/HttpResponse$BodyHandler;)Ljava/net/http/HttpResponse;",
            JdkHttpClientHooks::send).declaring(IOException.class, InterruptedException.class),
        MethodHook.<JdkHttpClientHooks>call(CLIENT, "sendAsync",
            "(Ljava/net/http/HttpRequest;Ljava/net/http/HttpResponse$BodyHandler;"
                + "Ljava/net/http/HttpResponse$PushPromiseHandler;)Ljava/util/concurrent/CompletableFuture;",
            JdkHttpClientHooks::sendAsync),
        MethodHook.<JdkHttpClientHooks>replaceField(BUILDER, "build", "()Ljava/net/http/HttpClient;",
            "connectTimeout", "Ljava/time/Duration;", JdkHttpClientHooks::connectTimeout),
        MethodHook.<JdkHttpClientHooks>replaceField(EXCHANGE, "responseAsync",
            "(Ljava/util/concurrent/Executor;)Ljava/util/concurrent/CompletableFuture;",
            Arrays.asList("expiredOnce", "retriedOnce"), "Z", JdkHttpClientHooks::alreadyRetried));
  }

  @Override
  public JdkHttpClientHooks hooks(LeveeRuntime runtime) {
    return new JdkHttpClientHooks(runtime);
  }
}
