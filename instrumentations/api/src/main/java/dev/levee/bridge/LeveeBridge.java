package dev.levee.bridge;

import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The one class that advice calls. At startup the agent defines a copy of it, renamed
 * {@code java.lang.LeveeBridge}, into {@code java.base}, and rewrites the advice to call that copy: so it
 * is visible from every class loader (bootstrap, platform, any application loader), without appending a
 * jar to the boot class path. It therefore uses {@code java.base} types only and holds no logic: the real
 * work is done by hooks the agent registers in these fields, loaded by the agent's own loader.
 *
 * <p>A hook returns {@code null} to let the intercepted method run untouched, or the result to return
 * instead; it may throw what the intercepted method declares.
 */
public final class LeveeBridge {

  /** {@code HttpClientImpl.send(request, handler)}: args {client, request, handler}. */
  public static volatile Function<Object[], Object> jdkHttpClientSend;

  /** {@code HttpClientImpl.sendAsync(request, handler, pushPromiseHandler)}: args {client, request, handler, pph}. */
  public static volatile Function<Object[], Object> jdkHttpClientSendAsync;

  /** {@code HttpClientBuilderImpl.build()}: the builder's connect timeout (a Duration or null) in, the one to use out. */
  public static volatile UnaryOperator<Object> jdkHttpClientConnectTimeout;

  private LeveeBridge() {}
}
