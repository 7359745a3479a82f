package dev.levee.smoke.apps;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * OkHttp apps for what only OkHttp has, one per mode; each knows nothing of Levee. Prints {@code CALL}
 * lines ({@link CallReport}) and {@code key=value} lines.
 *
 * <pre>
 *   OkHttpExtrasApp leak URL HEALTHY_URL CALLS      CALLS sync GETs of URL (each response closed, as apps do),
 *                                                  then one GET of HEALTHY_URL (CALL 0); pool.* counts
 *   OkHttpExtrasApp interceptors URL                one sync GET (CALL 0) and one async GET (CALL 1) through an
 *                                                  app interceptor, a network interceptor and an event listener
 *   OkHttpExtrasApp clients okhttp:URL jdk:URL ...  calls one after another with OkHttp or the JDK HttpClient
 * </pre>
 *
 * Every mode first prints {@code okhttp.jar=} the jar OkHttp was loaded from.
 */
public final class OkHttpExtrasApp {

  private OkHttpExtrasApp() {}

  public static void main(String[] args) throws Exception {
    System.out.println("okhttp.jar=" + OkHttpClient.class.getProtectionDomain().getCodeSource().getLocation());
    switch (args[0]) {
      case "leak":
        leak(args[1], args[2], Integer.parseInt(args[3]));
        break;
      case "interceptors":
        interceptors(args[1]);
        break;
      case "clients":
        clients(args);
        break;
      default:
        System.err.println("usage error: unknown mode " + args[0]);
        System.exit(2);
    }
    System.out.flush();
    System.exit(0);
  }

  private static void leak(String url, String healthyUrl, int calls) {
    OkHttpClient client = new OkHttpClient();
    int[] byStatus = new int[600];
    int errors = 0;
    long start = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      try (Response r = client.newCall(new Request.Builder().url(url).build()).execute()) {
        byStatus[r.code()]++;
      } catch (IOException e) {
        errors++;
      }
    }
    System.out.println("calls.status503=" + byStatus[503]);
    System.out.println("calls.errors=" + errors);
    System.out.println("calls.ms=" + (System.nanoTime() - start) / 1_000_000);
    long healthyStart = System.nanoTime();
    try (Response r = client.newCall(new Request.Builder().url(healthyUrl).build()).execute()) {
      OkHttpApp.readBody(r);
      CallReport.status(CallReport.call(0), r.code(), healthyStart);
    } catch (IOException e) {
      CallReport.error(CallReport.call(0), e, healthyStart);
    }
    System.out.println("pool.connections=" + client.connectionPool().connectionCount());
    System.out.println("pool.idle=" + client.connectionPool().idleConnectionCount());
  }

  private static void interceptors(String url) throws Exception {
    AtomicInteger application = new AtomicInteger();
    AtomicInteger network = new AtomicInteger();
    AtomicInteger withDeadline = new AtomicInteger();
    AtomicInteger callStart = new AtomicInteger();
    AtomicInteger responseHeaders = new AtomicInteger();
    OkHttpClient client = new OkHttpClient.Builder()
        .addInterceptor(chain -> {
          application.incrementAndGet();
          if (chain.request().header("X-Request-Deadline") != null) {
            withDeadline.incrementAndGet();
          }
          return chain.proceed(chain.request());
        })
        .addNetworkInterceptor(chain -> {
          network.incrementAndGet();
          return chain.proceed(chain.request());
        })
        .eventListener(new EventListener() {
          @Override
          public void callStart(Call call) {
            callStart.incrementAndGet();
          }

          @Override
          public void responseHeadersEnd(Call call, Response response) {
            responseHeaders.incrementAndGet();
          }
        })
        .build();

    long start = System.nanoTime();
    try (Response r = client.newCall(new Request.Builder().url(url).build()).execute()) {
      OkHttpApp.readBody(r);
      CallReport.status(CallReport.call(0), r.code(), start);
    } catch (IOException e) {
      CallReport.error(CallReport.call(0), e, start);
    }

    CompletableFuture<Void> done = new CompletableFuture<>();
    long asyncStart = System.nanoTime();
    client.newCall(new Request.Builder().url(url).build()).enqueue(new Callback() {
      @Override
      public void onFailure(Call call, IOException e) {
        CallReport.error(CallReport.call(1), e, asyncStart);
        done.complete(null);
      }

      @Override
      public void onResponse(Call call, Response response) {
        try (Response r = response) {
          OkHttpApp.readBody(r);
          CallReport.status(CallReport.call(1), r.code(), asyncStart);
        } catch (IOException e) {
          CallReport.error(CallReport.call(1), e, asyncStart);
        }
        done.complete(null);
      }
    });
    done.get(20, TimeUnit.SECONDS);

    System.out.println("interceptor.application=" + application.get());
    System.out.println("interceptor.applicationWithDeadline=" + withDeadline.get());
    System.out.println("interceptor.network=" + network.get());
    System.out.println("listener.callStart=" + callStart.get());
    System.out.println("listener.responseHeadersEnd=" + responseHeaders.get());
  }

  private static void clients(String[] args) {
    OkHttpClient okHttp = new OkHttpClient();
    HttpClient jdk = HttpClient.newHttpClient();
    List<String> calls = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      calls.add(args[i]);
    }
    for (int i = 0; i < calls.size(); i++) {
      String spec = calls.get(i);
      int colon = spec.indexOf(':');
      String library = spec.substring(0, colon);
      String url = spec.substring(colon + 1);
      long start = System.nanoTime();
      try {
        if (library.equals("okhttp")) {
          try (Response r = okHttp.newCall(new Request.Builder().url(url).build()).execute()) {
            OkHttpApp.readBody(r);
            CallReport.status(CallReport.call(i), r.code(), start);
          }
        } else {
          HttpResponse<String> r = jdk.send(HttpRequest.newBuilder(URI.create(url)).build(),
              HttpResponse.BodyHandlers.ofString());
          CallReport.status(CallReport.call(i), r.statusCode(), start);
        }
      } catch (Exception e) {
        CallReport.error(CallReport.call(i), e, start);
      }
    }
  }
}
