package dev.levee.smoke.apps;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * An ordinary app that calls HTTP services with OkHttp, built the usual way: {@code Call.execute()} for
 * {@code --mode sync}, {@code Call.enqueue(Callback)} for async. It knows nothing of Levee. Command line:
 * {@link AppArgs}; output: {@link CallReport}.
 *
 * <p>Compiled against OkHttp 4.12 and run on 3.14, 4.12 and 5.x: it uses only API all three have (the
 * {@code RequestBody.create(MediaType, String)} form, deprecated in 4.x and 5.x, is the one 3.x has).
 */
public final class OkHttpApp {

  private static final MediaType TEXT = MediaType.parse("text/plain; charset=utf-8");

  private OkHttpApp() {}

  public static void main(String[] argv) throws Exception {
    AppArgs args = AppArgs.parseOrExit(argv);
    OkHttpClient.Builder builder = new OkHttpClient.Builder();
    if (args.timeoutMs > 0) {
      builder.callTimeout(args.timeoutMs, TimeUnit.MILLISECONDS);
    }
    if ("HTTP_2".equals(args.version)) {
      builder.protocols(Collections.singletonList(Protocol.H2_PRIOR_KNOWLEDGE));
    } else if ("HTTP_1_1".equals(args.version)) {
      builder.protocols(Collections.singletonList(Protocol.HTTP_1_1));
    }
    OkHttpClient client = builder.build();

    CallLoop.warmUp(args, url -> {
      try (Response r = client.newCall(new Request.Builder().url(url).build()).execute()) {
        readBody(r);
        return r.code();
      }
    });
    if (args.mode.equals("sync")) {
      runSync(client, args);
    } else {
      runAsync(client, args);
    }
    System.out.flush();
    System.exit(0);
  }

  @SuppressWarnings("deprecation")
  static Request request(AppArgs args, int call) {
    Request.Builder b = new Request.Builder().url(args.url(call));
    for (String[] h : args.headers) {
      b.header(h[0], h[1]);
    }
    RequestBody body = null;
    if (args.body != null) {
      body = RequestBody.create(TEXT, args.body);
    } else if (needsBody(args.method(call))) {
      body = RequestBody.create(TEXT, "");
    }
    return b.method(args.method(call), body).build();
  }

  private static boolean needsBody(String method) {
    return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
  }

  static void readBody(Response response) throws IOException {
    ResponseBody body = response.body();
    if (body != null) {
      body.string();
    }
  }

  /** The body handlings ({@code --body-handling}): {@code string} (default), {@code bytes}, {@code stream}. */
  public static final String[] BODY_HANDLINGS = {"string", "bytes", "stream"};

  private static CallReport.Reply reply(Response response, String handling) throws IOException {
    ResponseBody body = response.body();
    byte[] bytes;
    if (body == null) {
      bytes = new byte[0];
    } else if (handling.equals("bytes")) {
      bytes = body.bytes();
    } else if (handling.equals("stream")) {
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      byte[] chunk = new byte[1024];
      try (InputStream in = body.byteStream()) {
        for (int n; (n = in.read(chunk)) >= 0; ) {
          received.write(chunk, 0, n);
        }
      }
      bytes = received.toByteArray();
    } else {
      bytes = body.string().getBytes(StandardCharsets.UTF_8);
    }
    return new CallReport.Reply(response.code(), bytes);
  }

  private static void runSync(OkHttpClient client, AppArgs args) throws InterruptedException {
    CallLoop.runBlocking(args, index -> {
      try (Response r = client.newCall(request(args, index)).execute()) {
        return reply(r, args.bodyHandling(index, BODY_HANDLINGS));
      }
    });
  }

  private static void runAsync(OkHttpClient client, AppArgs args) throws InterruptedException {
    ScheduledExecutorService canceller = Executors.newSingleThreadScheduledExecutor(CallLoop::daemon);
    Semaphore inFlight = new Semaphore(args.concurrency);
    CountDownLatch done = new CountDownLatch(args.calls);
    for (int i = 0; i < args.calls; i++) {
      int index = i;
      String handling = args.bodyHandling(index, BODY_HANDLINGS);
      inFlight.acquire();
      args.pauseBefore(index);
      Request request = request(args, index);
      long start = System.nanoTime();
      Call call = client.newCall(request);
      try {
        call.enqueue(new Callback() {
          @Override
          public void onFailure(Call c, IOException e) {
            CallReport.error(CallReport.call(index), e, start);
            inFlight.release();
            done.countDown();
          }

          @Override
          public void onResponse(Call c, Response response) {
            try (Response r = response) {
              CallReport.reply(CallReport.call(index), reply(r, handling), start);
            } catch (IOException e) {
              CallReport.error(CallReport.call(index), e, start);
            }
            inFlight.release();
            done.countDown();
          }
        });
      } catch (RuntimeException e) {
        CallReport.error(CallReport.call(index), e, start);
        inFlight.release();
        done.countDown();
        continue;
      }
      if (args.cancelAfterMs >= 0) {
        canceller.schedule(call::cancel, args.cancelAfterMs, TimeUnit.MILLISECONDS);
      }
    }
    done.await();
  }

}
