package dev.levee.smoke.apps;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
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
    AppArgs args;
    try {
      args = AppArgs.parse(argv);
    } catch (IllegalArgumentException e) {
      System.err.println("usage error: " + e.getMessage());
      System.exit(2);
      return;
    }
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
    return b.method(args.method, body).build();
  }

  private static void runSync(HttpClient client, AppArgs args) throws InterruptedException {
    CallLoop.runBlocking(args, index -> client.send(request(args, index), HttpResponse.BodyHandlers.ofString()).statusCode());
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
      CompletableFuture<HttpResponse<String>> future;
      try {
        future = client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
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
          CallReport.status(CallReport.call(call), r.statusCode(), start);
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
