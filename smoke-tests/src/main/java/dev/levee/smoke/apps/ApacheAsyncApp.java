package dev.levee.smoke.apps;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.async.methods.SimpleResponseConsumer;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.util.Timeout;

/**
 * An ordinary app that calls HTTP services with Apache HttpClient 5's async client. It knows nothing of
 * Levee. Command line: {@link AppArgs}; output: {@link CallReport}. {@code --mode sync} blocks on the
 * returned future ({@code execute(request, null).get()}), {@code --mode async} reports from a
 * {@code FutureCallback}; every callback invocation prints a line, so a callback fired twice shows up as
 * two lines for one call. {@code --version HTTP_2} uses {@code HttpAsyncClients.createHttp2Default()}
 * (HTTP/2 with prior knowledge), else HTTP/1.1.
 *
 * <p>As in {@link ApacheClassicApp}, {@code app.client} ({@code custom} default, {@code default},
 * {@code system}, {@code builder}, {@code minimal}, {@code cycle}) and {@code app.execute} ({@code simple}
 * default, {@code simple-context}, {@code producer}, {@code producer-context}, {@code producer-push-context},
 * {@code host-producer-push-context}, {@code cycle}) vary how the library is used.
 */
public final class ApacheAsyncApp {

  static final String[] CLIENTS = {"custom", "default", "system", "builder"};
  static final String[] OVERLOADS = {
    "simple", "simple-context", "producer", "producer-context", "producer-push-context", "host-producer-push-context"
  };

  private ApacheAsyncApp() {}

  public static void main(String[] argv) throws Exception {
    AppArgs args = AppArgs.parseOrExit(argv);
    String clientChoice = "HTTP_2".equals(args.version) ? "http2" : System.getProperty("app.client", "custom");
    String executeChoice = System.getProperty("app.execute", "simple");
    CloseableHttpAsyncClient[] clients =
        clientChoice.equals("cycle") ? new CloseableHttpAsyncClient[CLIENTS.length] : new CloseableHttpAsyncClient[1];
    for (int i = 0; i < clients.length; i++) {
      clients[i] = client(clientChoice.equals("cycle") ? CLIENTS[i] : clientChoice);
      clients[i].start();
    }

    CallLoop.warmUp(args, url -> clients[0].execute(SimpleHttpRequest.create("GET", URI.create(url)), null).get().getCode());
    ScheduledExecutorService canceller = Executors.newSingleThreadScheduledExecutor(CallLoop::daemon);
    Semaphore inFlight = new Semaphore(args.concurrency);
    CountDownLatch done = new CountDownLatch(args.calls);
    boolean async = args.mode.equals("async");
    SimpleHttpRequest shared = args.sharedRequest ? request(args, 0) : null;
    for (int i = 0; i < args.calls; i++) {
      int call = i;
      inFlight.acquire();
      args.pauseBefore(call);
      CloseableHttpAsyncClient client = clients[call % clients.length];
      String overload = executeChoice.equals("cycle") ? OVERLOADS[call % OVERLOADS.length] : executeChoice;
      SimpleHttpRequest request = shared != null ? shared : request(args, call);
      long start = System.nanoTime();
      FutureCallback<Object> callback = !async ? null : new FutureCallback<Object>() {
        @Override
        public void completed(Object response) {
          CallReport.reply(CallReport.call(call), reply(response), start);
          finished();
        }

        @Override
        public void failed(Exception e) {
          CallReport.error(CallReport.call(call), e, start);
          finished();
        }

        @Override
        public void cancelled() {
          CallReport.error(CallReport.call(call), new java.util.concurrent.CancellationException("cancelled"), start);
          finished();
        }

        private void finished() {
          inFlight.release();
          done.countDown();
        }
      };
      Future<?> future;
      try {
        future = execute(client, overload, request, URI.create(args.url(shared != null ? 0 : call)),
            args.bodyHandling(call, BODY_HANDLINGS), callback);
      } catch (RuntimeException e) {
        CallReport.error(CallReport.call(call), e, start);
        inFlight.release();
        done.countDown();
        continue;
      }
      if (async) {
        if (args.cancelAfterMs >= 0) {
          canceller.schedule(() -> future.cancel(true), args.cancelAfterMs, TimeUnit.MILLISECONDS);
        }
        continue;
      }
      Thread waiter = new Thread(() -> {
        try {
          CallReport.reply(CallReport.call(call), reply(future.get()), start);
        } catch (Exception e) {
          CallReport.error(CallReport.call(call), e, start);
        } finally {
          inFlight.release();
          done.countDown();
        }
      }, "app-caller");
      waiter.setDaemon(true);
      waiter.start();
    }
    done.await();
    Thread.sleep(async ? 200 : 0); // a second callback, were there one, would print now
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

  private static CloseableHttpAsyncClient client(String how) {
    switch (how) {
      case "default":
        return HttpAsyncClients.createDefault();
      case "system":
        return HttpAsyncClients.createSystem();
      case "builder":
        return HttpAsyncClientBuilder.create().build();
      case "minimal":
        return HttpAsyncClients.createMinimal();
      case "http2":
        return HttpAsyncClients.createHttp2Default();
      case "custom":
        return HttpAsyncClients.custom().build();
      default:
        throw new IllegalArgumentException("app.client: " + how);
    }
  }

  /**
   * The body handlings ({@code --body-handling}) of the producer/consumer overloads: {@code simple} (default,
   * {@code SimpleResponseConsumer}) or {@code stream} (a streaming consumer of the app's own). The
   * {@code SimpleHttpRequest} overloads always read into a {@code SimpleHttpResponse}.
   */
  public static final String[] BODY_HANDLINGS = {"simple", "stream"};

  private static AsyncResponseConsumer<?> consumer(String handling) {
    return handling.equals("stream") ? new StreamingConsumer() : SimpleResponseConsumer.create();
  }

  /** What the app got: a {@code SimpleHttpResponse}, or its own consumer's {@link CallReport.Reply}. */
  private static CallReport.Reply reply(Object result) {
    if (result instanceof CallReport.Reply) {
      return (CallReport.Reply) result;
    }
    SimpleHttpResponse response = (SimpleHttpResponse) result;
    byte[] body = response.getBodyBytes();
    return new CallReport.Reply(response.getCode(), body == null ? new byte[0] : body);
  }

  /** An app's own streaming consumer: keeps the bytes as they arrive. */
  private static final class StreamingConsumer extends AbstractBinResponseConsumer<CallReport.Reply> {
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private int status;

    @Override
    protected void start(HttpResponse response, ContentType contentType) {
      status = response.getCode();
    }

    @Override
    protected int capacityIncrement() {
      return Integer.MAX_VALUE;
    }

    @Override
    protected void data(ByteBuffer data, boolean endOfStream) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      received.write(bytes, 0, bytes.length);
    }

    @Override
    protected CallReport.Reply buildResult() {
      return new CallReport.Reply(status, received.toByteArray());
    }

    @Override
    public void releaseResources() {}
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Future<?> execute(CloseableHttpAsyncClient client, String overload, SimpleHttpRequest request,
      URI uri, String handling, FutureCallback callback) {
    HttpClientContext context = HttpClientContext.create();
    switch (overload) {
      case "simple":
        return client.execute(request, callback);
      case "simple-context":
        return client.execute(request, context, callback);
      case "producer":
        return client.execute(SimpleRequestProducer.create(request), consumer(handling), callback);
      case "producer-context":
        return client.execute(SimpleRequestProducer.create(request), consumer(handling), context, callback);
      case "producer-push-context":
        return client.execute(SimpleRequestProducer.create(request), consumer(handling), null, context, callback);
      case "host-producer-push-context":
        return client.execute(new HttpHost(uri.getScheme(), uri.getHost(), uri.getPort()),
            SimpleRequestProducer.create(request), consumer(handling), null, context, callback);
      default:
        throw new IllegalArgumentException("app.execute: " + overload);
    }
  }

  private static SimpleHttpRequest request(AppArgs args, int call) {
    SimpleHttpRequest request = SimpleHttpRequest.create(args.method(call), URI.create(args.url(call)));
    for (String[] h : args.headers) {
      request.addHeader(h[0], h[1]);
    }
    if (args.body != null) {
      request.setBody(args.body, ContentType.create("text/plain", "UTF-8"));
    }
    if (args.timeoutMs > 0) {
      request.setConfig(RequestConfig.custom().setResponseTimeout(Timeout.ofMilliseconds(args.timeoutMs)).build());
    }
    return request;
  }

}
