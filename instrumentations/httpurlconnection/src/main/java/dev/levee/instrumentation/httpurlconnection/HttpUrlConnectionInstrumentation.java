package dev.levee.instrumentation.httpurlconnection;

import dev.levee.instrumentation.api.LeveeInstrumentation;
import dev.levee.instrumentation.api.LeveeRuntime;
import dev.levee.instrumentation.api.MethodHook;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * {@code java.net.HttpURLConnection} and {@code javax.net.ssl.HttpsURLConnection}: every one the JDK makes for
 * an {@code http} or {@code https} URL comes from {@code openConnection(URL, Proxy)} of the scheme's
 * {@code Handler} ({@code URL.openConnection()} and {@code openConnection(Proxy)} both end there; the https
 * handler overrides the http one's). That is where Levee hands the app its own connection object
 * ({@link ProtectedHttpURLConnection}, {@link ProtectedHttpsURLConnection}), which collects what the app sets
 * and runs the exchange through the pipeline, each attempt on a fresh connection of the JDK's. Hooking the
 * JDK's stateful connection object itself would mean resetting a dozen private fields between attempts, which
 * change from one JDK to the next.
 *
 * <p>{@code HttpClient.writeRequests(MessageHeader, PosterOutputStream, boolean)}, where the JDK's connection
 * writes every request, is where its own silent re-send is turned off for Levee's attempts ({@code failedOnce}):
 * the same name, descriptor and field on JDK 17 and JDK 25 ({@code parseHTTP}, where the re-send happens, has
 * an argument fewer on 25).
 */
public final class HttpUrlConnectionInstrumentation implements LeveeInstrumentation<HttpUrlConnectionHooks> {

  private static final String HTTP_HANDLER = "sun.net.www.protocol.http.Handler";
  private static final String HTTPS_HANDLER = "sun.net.www.protocol.https.Handler";
  private static final String HTTP_CLIENT = "sun.net.www.http.HttpClient";
  private static final String OPEN_CONNECTION = "(Ljava/net/URL;Ljava/net/Proxy;)Ljava/net/URLConnection;";

  @Override
  public String name() {
    return "httpurlconnection";
  }

  /** Declared when one of these loads: an app that opens no http URL pays nothing for it at startup. */
  @Override
  public List<String> hookedClasses() {
    return Arrays.asList(HTTP_HANDLER, HTTPS_HANDLER, HTTP_CLIENT);
  }

  @Override
  public List<MethodHook<HttpUrlConnectionHooks>> methodHooks() {
    // one handler for both handlers' openConnection: each method reference spins a class of its own at startup
    MethodHook.Handler<HttpUrlConnectionHooks> openConnection = HttpUrlConnectionHooks::openConnection;
    return Arrays.asList(
        MethodHook.<HttpUrlConnectionHooks>call(HTTP_HANDLER, "openConnection", OPEN_CONNECTION, openConnection)
            .declaring(IOException.class),
        MethodHook.<HttpUrlConnectionHooks>call(HTTPS_HANDLER, "openConnection", OPEN_CONNECTION, openConnection)
            .declaring(IOException.class),
        MethodHook.<HttpUrlConnectionHooks>replaceField(HTTP_CLIENT, "writeRequests",
            "(Lsun/net/www/MessageHeader;Lsun/net/www/http/PosterOutputStream;Z)V",
            "failedOnce", "Z", HttpUrlConnectionHooks::alreadyRetried));
  }

  @Override
  public HttpUrlConnectionHooks hooks(LeveeRuntime runtime) {
    return new HttpUrlConnectionHooks(runtime);
  }
}
