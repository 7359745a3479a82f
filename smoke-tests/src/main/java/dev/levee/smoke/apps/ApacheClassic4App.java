package dev.levee.smoke.apps;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.HttpHost;
import org.apache.http.HttpResponse;
import org.apache.http.client.ResponseHandler;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.client.methods.HttpUriRequest;
import org.apache.http.client.methods.RequestBuilder;
import org.apache.http.client.protocol.HttpClientContext;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.DefaultHttpClient;
import org.apache.http.impl.client.DefaultHttpRequestRetryHandler;
import org.apache.http.impl.client.DefaultServiceUnavailableRetryStrategy;
import org.apache.http.impl.client.HttpClientBuilder;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.params.HttpConnectionParams;
import org.apache.http.util.EntityUtils;

/**
 * An ordinary app that calls HTTP services with Apache HttpClient 4's classic client. It knows nothing of
 * Levee. Command line: {@link AppArgs} ({@code --mode sync} only); output: {@link CallReport}. Compiled
 * against 4.5 and run also on 4.3's jars: it uses only API both have.
 *
 * <ul>
 *   <li>{@code app.client}: {@code default} ({@code HttpClients.createDefault()}, the default; with
 *       {@code --concurrency} above 2, a custom client whose pool lends that many connections per route, as an
 *       app making that many calls at once would have), {@code custom}
 *       ({@code HttpClients.custom().build()}), {@code builder} ({@code HttpClientBuilder.create().build()}),
 *       {@code system} ({@code createSystem()}), {@code minimal} ({@code createMinimal()}),
 *       {@code deprecated} ({@code new DefaultHttpClient()}), {@code own-retries} (a builder client that
 *       retries by itself: an I/O failure 5 times, POST included, and a 503 3 times), or {@code cycle}: call i uses the (i mod 4)-th
 *       of the first four;
 *   <li>{@code --body-handling}: how the body is read, and through which {@code execute} overload:
 *       {@code string} ({@code execute(request)}, {@code EntityUtils.toString}), {@code handler}
 *       ({@code execute(request, ResponseHandler)}), {@code stream} ({@code execute(host, request, context)},
 *       the entity's stream read by hand), {@code bytes} ({@code execute(request, context)},
 *       {@code EntityUtils.toByteArray}), {@code host-handler} ({@code execute(host, request, handler,
 *       context)}); or {@code cycle}.
 * </ul>
 */
public final class ApacheClassic4App {

  static final String[] CLIENTS = {"default", "custom", "builder", "system"};
  static final String[] BODY_HANDLINGS = {"string", "handler", "stream", "bytes", "host-handler"};

  /** {@code --cancel-after-ms}: the app aborts its request from another thread ({@code HttpUriRequest.abort()}). */
  private static final ScheduledExecutorService ABORTER = Executors.newSingleThreadScheduledExecutor(CallLoop::daemon);

  private ApacheClassic4App() {}

  public static void main(String[] argv) throws Exception {
    AppArgs args = AppArgs.parseSyncOrExit(argv, "the classic client has no async mode");
    String clientChoice = System.getProperty("app.client", "default");
    CloseableHttpClient[] clients = clientChoice.equals("cycle") ? new CloseableHttpClient[CLIENTS.length] : new CloseableHttpClient[1];
    for (int i = 0; i < clients.length; i++) {
      clients[i] = client(clientChoice.equals("cycle") ? CLIENTS[i] : clientChoice, args.concurrency);
    }

    CallLoop.warmUp(args, url -> clients[0].execute(new HttpGet(url), STATUS));
    HttpUriRequest shared = args.sharedRequest ? request(args, 0) : null;
    CallLoop.runBlocking(args, index -> {
      CloseableHttpClient client = clients[index % clients.length];
      HttpUriRequest request = shared != null ? shared : request(args, index);
      if (args.cancelAfterMs > 0) {
        ABORTER.schedule(request::abort, args.cancelAfterMs, TimeUnit.MILLISECONDS);
      }
      return execute(client, args.bodyHandling(index, BODY_HANDLINGS), request);
    });
    if (shared != null) {
      List<String> names = new ArrayList<>();
      for (Header h : shared.getAllHeaders()) {
        names.add(h.getName());
      }
      CallReport.requestHeaders(names);
    }
    System.out.flush();
    System.exit(0);
  }

  @SuppressWarnings("deprecation") // DefaultHttpClient: deprecated since 4.3, still in many legacy apps
  private static CloseableHttpClient client(String how, int concurrency) {
    switch (how) {
      case "default":
        // the default pool lends 2 connections per route: an app that makes more calls at once sizes it
        return concurrency <= 2 ? HttpClients.createDefault()
            : HttpClients.custom().setMaxConnPerRoute(concurrency).setMaxConnTotal(2 * concurrency).build();
      case "custom":
        return HttpClients.custom().build();
      case "builder":
        return HttpClientBuilder.create().build();
      case "system":
        return HttpClients.createSystem();
      case "minimal":
        return HttpClients.createMinimal();
      case "deprecated":
        return new DefaultHttpClient();
      case "own-retries":
        return HttpClients.custom()
            .setRetryHandler(new DefaultHttpRequestRetryHandler(5, true))
            .setServiceUnavailableRetryStrategy(new DefaultServiceUnavailableRetryStrategy(3, 10))
            .build();
      default:
        throw new IllegalArgumentException("app.client: " + how);
    }
  }

  /** Reads the whole body, as an app would, and returns the status. */
  private static final ResponseHandler<Integer> STATUS = response -> {
    EntityUtils.consume(response.getEntity());
    return response.getStatusLine().getStatusCode();
  };

  /** Reads the whole body and returns the status and the bytes. */
  private static final ResponseHandler<CallReport.Reply> REPLY = response -> new CallReport.Reply(
      response.getStatusLine().getStatusCode(),
      response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity()));

  private static CallReport.Reply execute(CloseableHttpClient client, String handling, HttpUriRequest request)
      throws IOException {
    URI uri = request.getURI();
    HttpHost host = new HttpHost(uri.getHost(), uri.getPort(), uri.getScheme());
    switch (handling) {
      case "handler":
        return client.execute(request, REPLY);
      case "host-handler":
        return client.execute(host, request, REPLY, HttpClientContext.create());
      case "string":
        try (CloseableHttpResponse r = client.execute(request)) {
          HttpEntity entity = r.getEntity();
          String text = entity == null ? "" : EntityUtils.toString(entity, StandardCharsets.UTF_8);
          return new CallReport.Reply(r.getStatusLine().getStatusCode(), text.getBytes(StandardCharsets.UTF_8));
        }
      case "stream":
        try (CloseableHttpResponse r = client.execute(host, request, HttpClientContext.create())) {
          return new CallReport.Reply(r.getStatusLine().getStatusCode(), readByHand(r));
        }
      case "bytes":
        try (CloseableHttpResponse r = client.execute(request, HttpClientContext.create())) {
          return new CallReport.Reply(r.getStatusLine().getStatusCode(),
              r.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(r.getEntity()));
        }
      default:
        throw new IllegalArgumentException("--body-handling: " + handling);
    }
  }

  private static byte[] readByHand(HttpResponse response) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (response.getEntity() != null) {
      try (InputStream in = response.getEntity().getContent()) {
        byte[] buffer = new byte[1024];
        for (int n; (n = in.read(buffer)) >= 0; ) {
          out.write(buffer, 0, n);
        }
      }
    }
    return out.toByteArray();
  }

  @SuppressWarnings("deprecation") // request params: what DefaultHttpClient reads its timeouts from
  private static HttpUriRequest request(AppArgs args, int call) {
    RequestBuilder builder = RequestBuilder.create(args.method(call)).setUri(args.url(call));
    for (String[] h : args.headers) {
      builder.addHeader(h[0], h[1]);
    }
    if (args.body != null) {
      builder.setEntity(new StringEntity(args.body, ContentType.create("text/plain", "UTF-8")));
    }
    if (args.timeoutMs > 0) {
      builder.setConfig(RequestConfig.custom().setSocketTimeout((int) args.timeoutMs).build());
    }
    HttpUriRequest request = builder.build();
    if (args.timeoutMs > 0) {
      HttpConnectionParams.setSoTimeout(request.getParams(), (int) args.timeoutMs);
    }
    return request;
  }
}
