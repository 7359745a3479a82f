package dev.levee.smoke.apps;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.HttpClientResponseHandler;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * An ordinary app that calls HTTP services with Apache HttpClient 5's classic (blocking) client. It knows
 * nothing of Levee. Command line: {@link AppArgs} ({@code --mode sync} only); output: {@link CallReport}.
 * Compiled against the newest 5.x and run also on an older line's jars: it uses only API both have.
 *
 * <p>Two system properties vary how the app uses the library, so one scenario can prove that every way of
 * building a client and every {@code execute} overload gets the same treatment:
 *
 * <ul>
 *   <li>{@code app.client}: {@code custom} (default: {@code HttpClients.custom().build()}), {@code default}
 *       ({@code createDefault()}), {@code system} ({@code createSystem()}), {@code builder}
 *       ({@code HttpClientBuilder.create().build()}), {@code minimal} ({@code createMinimal()}), or
 *       {@code cycle}: call i uses the (i mod 4)-th of the first four;
 *   <li>{@code app.execute}: {@code handler} (default: {@code execute(request, handler)}), one of the other
 *       overloads' names below, or {@code cycle}: call i uses the (i mod 8)-th.
 * </ul>
 */
public final class ApacheClassicApp {

  static final String[] CLIENTS = {"custom", "default", "system", "builder"};
  static final String[] OVERLOADS = {
    "handler", "context-handler", "host-handler", "host-context-handler",
    "plain", "context", "host", "host-context"
  };

  private ApacheClassicApp() {}

  /** {@code --cancel-after-ms}: the app cancels its request from another thread ({@code HttpUriRequestBase.cancel()}). */
  private static final ScheduledExecutorService CANCELLER = Executors.newSingleThreadScheduledExecutor(CallLoop::daemon);

  public static void main(String[] argv) throws Exception {
    AppArgs args = AppArgs.parseSyncOrExit(argv, "the classic client has no async mode");
    String clientChoice = System.getProperty("app.client", "custom");
    String executeChoice = System.getProperty("app.execute", "handler");
    CloseableHttpClient[] clients = clientChoice.equals("cycle") ? new CloseableHttpClient[CLIENTS.length] : new CloseableHttpClient[1];
    for (int i = 0; i < clients.length; i++) {
      clients[i] = client(clientChoice.equals("cycle") ? CLIENTS[i] : clientChoice);
    }

    CallLoop.warmUp(args, url -> clients[0].execute(new org.apache.hc.client5.http.classic.methods.HttpGet(url), STATUS));
    HttpUriRequestBase shared = args.sharedRequest ? request(args, 0) : null;
    CallLoop.runBlocking(args, index -> {
      CloseableHttpClient client = clients[index % clients.length];
      String overload = executeChoice.equals("cycle") ? OVERLOADS[index % OVERLOADS.length] : executeChoice;
      HttpUriRequestBase request = shared != null ? shared : request(args, index);
      if (args.cancelAfterMs > 0) {
        CANCELLER.schedule(request::cancel, args.cancelAfterMs, TimeUnit.MILLISECONDS);
      }
      return execute(client, overload, request, URI.create(args.url(shared != null ? 0 : index)));
    });
    if (shared != null) {
      List<String> names = new ArrayList<>();
      for (Header h : shared.getHeaders()) {
        names.add(h.getName());
      }
      CallReport.requestHeaders(names);
    }
    System.out.flush();
    System.exit(0);
  }

  private static CloseableHttpClient client(String how) {
    switch (how) {
      case "default":
        return HttpClients.createDefault();
      case "system":
        return HttpClients.createSystem();
      case "builder":
        return HttpClientBuilder.create().build();
      case "minimal":
        return HttpClients.createMinimal();
      case "custom":
        return HttpClients.custom().build();
      default:
        throw new IllegalArgumentException("app.client: " + how);
    }
  }

  /** Reads the whole body, as an app would, and returns the status. */
  private static final HttpClientResponseHandler<Integer> STATUS = response -> {
    EntityUtils.consume(response.getEntity());
    return response.getCode();
  };

  /** Reads the whole body, as an app would, and returns the status and the bytes. */
  private static final HttpClientResponseHandler<CallReport.Reply> REPLY = ApacheClassicApp::reply;

  private static CallReport.Reply reply(ClassicHttpResponse response) throws IOException {
    byte[] body = response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity());
    return new CallReport.Reply(response.getCode(), body);
  }

  @SuppressWarnings("deprecation") // the response-returning overloads: deprecated in 5.x's newest, still used widely
  private static CallReport.Reply execute(CloseableHttpClient client, String overload, HttpUriRequestBase request,
      URI uri) throws IOException {
    HttpHost host = new HttpHost(uri.getScheme(), uri.getHost(), uri.getPort());
    HttpClientContext context = HttpClientContext.create();
    switch (overload) {
      case "handler":
        return client.execute(request, REPLY);
      case "context-handler":
        return client.execute(request, context, REPLY);
      case "host-handler":
        return client.execute(host, request, REPLY);
      case "host-context-handler":
        return client.execute(host, request, context, REPLY);
      default:
        break;
    }
    CloseableHttpResponse response;
    switch (overload) {
      case "plain":
        response = client.execute(request);
        break;
      case "context":
        response = client.execute(request, context);
        break;
      case "host":
        response = client.execute(host, request);
        break;
      case "host-context":
        response = client.execute(host, request, context);
        break;
      default:
        throw new IllegalArgumentException("app.execute: " + overload);
    }
    try (ClassicHttpResponse r = response) {
      return reply(r);
    }
  }

  private static HttpUriRequestBase request(AppArgs args, int call) {
    HttpUriRequestBase request = new HttpUriRequestBase(args.method(call), URI.create(args.url(call)));
    for (String[] h : args.headers) {
      request.addHeader(h[0], h[1]);
    }
    if (args.body != null) {
      request.setEntity(new StringEntity(args.body, ContentType.create("text/plain", "UTF-8")));
    }
    if (args.timeoutMs > 0) {
      request.setConfig(RequestConfig.custom()
          .setResponseTimeout(Timeout.ofMilliseconds(args.timeoutMs))
          .build());
    }
    return request;
  }

}
