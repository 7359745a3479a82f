package dev.levee.instrumentation.jdkhttp;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.levee.instrumentation.api.LeveeInstrumentation;
import dev.levee.instrumentation.api.LeveeRuntime;
import dev.levee.instrumentation.api.TypeAdvice;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java.net.http.HttpClient}: every client the JDK builds is a {@code HttpClientImpl} (behind a
 * {@code HttpClientFacade}), so its public {@code send} and three-argument {@code sendAsync} see every call;
 * the two-argument {@code sendAsync} delegates to the three-argument one, and {@code send} to a private
 * four-argument one, so neither is counted twice.
 */
public final class JdkHttpClientInstrumentation implements LeveeInstrumentation {

  @Override
  public String name() {
    return "jdk-httpclient";
  }

  @Override
  public List<TypeAdvice> typeAdvice() {
    return Arrays.asList(
        TypeAdvice.forType("jdk.internal.net.http.HttpClientImpl")
            .advise(isPublic().and(named("send")).and(takesArguments(2)), JdkHttpClientAdvice.Send.class)
            .advise(isPublic().and(named("sendAsync")).and(takesArguments(3)), JdkHttpClientAdvice.SendAsync.class),
        TypeAdvice.forType("jdk.internal.net.http.HttpClientBuilderImpl")
            .advise(named("build").and(takesArguments(0)), JdkHttpClientAdvice.Build.class));
  }

  @Override
  public Map<String, Object> hooks(LeveeRuntime runtime) {
    JdkHttpClientHooks hooks = new JdkHttpClientHooks(runtime);
    Map<String, Object> map = new HashMap<>();
    map.put("jdkHttpClientSend", (java.util.function.Function<Object[], Object>) hooks::send);
    map.put("jdkHttpClientSendAsync", (java.util.function.Function<Object[], Object>) hooks::sendAsync);
    map.put("jdkHttpClientConnectTimeout", (java.util.function.UnaryOperator<Object>) hooks::connectTimeout);
    return map;
  }
}
