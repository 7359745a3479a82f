package dev.levee.smoke.apps;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * An ordinary app that calls HTTP services with {@code java.net.http.HttpClient}, built the usual
 * way. It knows nothing of Levee. Command line: {@link AppArgs}; output: {@link CallReport}.
 */
public final class JdkHttpClientApp {

  private JdkHttpClientApp() {}

  public static void main(String[] argv) throws Exception {
    AppArgs args = AppArgs.parseOrExit(argv);
    HttpClient.Builder builder = HttpClient.newBuilder();
    if (args.version != null) {
      builder.version(HttpClient.Version.valueOf(args.version));
    }
    HttpClient client = builder.build();

    CallLoop.warmUp(args, url -> client.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    if (args.mode.equals("sync")) {
      runSync(client, args);
    } else {
      runAsync(client, args);
    }
    System.out.flush();
    System.exit(0);
  }

  private static HttpRequest request(AppArgs args, int call) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(args.url(call)));
    for (String[] h : args.headers) {
      b.header(h[0], h[1]);
    }
    if (args.timeoutMs > 0) {
      b.timeout(Duration.ofMillis(args.timeoutMs));
    }
    HttpRequest.BodyPublisher body = args.body == null
        ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(args.body);
    if (args.body != null) {
      b.header("Content-Type", "text/plain; charset=utf-8");
    }
    return b.method(args.method(call), body).build();
  }

  /**
   * The body handlings ({@code --body-handling}): {@code string} (default), {@code bytes}, {@code file}
   * ({@code ofFile} into {@code --body-dir}), {@code byte-consumer} ({@code ofByteArrayConsumer}),
   * {@code subscriber} ({@code fromSubscriber} with a subscriber of the app's own) and {@code input-stream}
   * ({@code ofInputStream}, read to the end after the response arrives).
   */
  public static final String[] BODY_HANDLINGS = {"string", "bytes", "file", "byte-consumer", "subscriber", "input-stream"};

  /** How call {@code index} reads its body, and how the app gets the bytes it delivered. */
  private static final class BodyHandling {
    final HttpResponse.BodyHandler<?> handler;
    final ReadBody read;

    BodyHandling(HttpResponse.BodyHandler<?> handler, ReadBody read) {
      this.handler = handler;
      this.read = read;
    }
  }

  private interface ReadBody {
    byte[] bytes(Object body) throws Exception;
  }

  private static BodyHandling bodyHandling(AppArgs args, int index) {
    switch (args.bodyHandling(index, BODY_HANDLINGS)) {
      case "bytes":
        return new BodyHandling(HttpResponse.BodyHandlers.ofByteArray(), body -> (byte[]) body);
      case "file":
        Path file = args.bodyFile(index);
        return new BodyHandling(HttpResponse.BodyHandlers.ofFile(file), body -> Files.readAllBytes((Path) body));
      case "byte-consumer": {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        return new BodyHandling(HttpResponse.BodyHandlers.ofByteArrayConsumer(chunk -> chunk.ifPresent(received::writeBytes)),
            body -> received.toByteArray());
      }
      case "subscriber": {
        CollectingSubscriber subscriber = new CollectingSubscriber();
        return new BodyHandling(HttpResponse.BodyHandlers.fromSubscriber(subscriber, s -> s.received.toByteArray()),
            body -> (byte[]) body);
      }
      case "input-stream":
        return new BodyHandling(HttpResponse.BodyHandlers.ofInputStream(), body -> {
          try (InputStream in = (InputStream) body) {
            return in.readAllBytes();
          }
        });
      default:
        return new BodyHandling(HttpResponse.BodyHandlers.ofString(),
            body -> ((String) body).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** A body subscriber of the app's own: it keeps every byte it is given. */
  private static final class CollectingSubscriber implements Flow.Subscriber<List<ByteBuffer>> {
    final ByteArrayOutputStream received = new ByteArrayOutputStream();

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      for (ByteBuffer b : buffers) {
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        received.writeBytes(bytes);
      }
    }

    @Override
    public void onError(Throwable throwable) {}

    @Override
    public void onComplete() {}
  }

  private static CallReport.Reply reply(HttpResponse<?> response, BodyHandling handling) throws Exception {
    return new CallReport.Reply(response.statusCode(), handling.read.bytes(response.body()));
  }

  private static void runSync(HttpClient client, AppArgs args) throws InterruptedException {
    CallLoop.runBlocking(args, index -> {
      BodyHandling handling = bodyHandling(args, index);
      return reply(client.send(request(args, index), handling.handler), handling);
    });
  }

  private static void runAsync(HttpClient client, AppArgs args) throws InterruptedException {
    ScheduledExecutorService canceller = Executors.newSingleThreadScheduledExecutor(CallLoop::daemon);
    Semaphore inFlight = new Semaphore(args.concurrency);
    CountDownLatch done = new CountDownLatch(args.calls);
    for (int i = 0; i < args.calls; i++) {
      int call = i;
      inFlight.acquire();
      args.pauseBefore(call);
      HttpRequest request = request(args, call);
      long start = System.nanoTime();
      BodyHandling handling = bodyHandling(args, call);
      CompletableFuture<? extends HttpResponse<?>> future;
      try {
        future = client.sendAsync(request, handling.handler);
      } catch (RuntimeException e) {
        CallReport.error(CallReport.call(call), e, start);
        inFlight.release();
        done.countDown();
        continue;
      }
      if (args.cancelAfterMs >= 0) {
        canceller.schedule(() -> future.cancel(true), args.cancelAfterMs, TimeUnit.MILLISECONDS);
      }
      future.whenComplete((r, e) -> {
        if (e == null) {
          try {
            CallReport.reply(CallReport.call(call), reply(r, handling), start);
          } catch (Exception readFailed) {
            CallReport.error(CallReport.call(call), readFailed, start);
          }
        } else {
          CallReport.error(CallReport.call(call), e, start);
        }
        inFlight.release();
        done.countDown();
      });
    }
    done.await();
  }

}
