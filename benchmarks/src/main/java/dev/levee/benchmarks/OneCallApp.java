package dev.levee.benchmarks;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The smallest real app: one GET, then exit. With the JDK {@code HttpClient} by default; with a second argument
 * {@code httpurlconnection}, with {@code java.net.HttpURLConnection}; {@code apache-httpclient4} or
 * {@code apache-httpclient5}, with Apache HttpClient 4.5's or 5.6's default classic client ({@code StartupBenchmark}'s {@code -Dstartup.client}).
 */
public final class OneCallApp {

  public static void main(String[] args) throws Exception {
    String client = args.length > 1 ? args[1] : "jdk-httpclient";
    int status = client.equals("httpurlconnection") ? viaUrlConnection(args[0])
        : client.equals("apache-httpclient4") ? ApacheHttpClient4Call.get(args[0])
        : client.equals("apache-httpclient5") ? ApacheHttpClient5Call.get(args[0])
        : viaHttpClient(args[0]);
    if (status != 200) {
      System.exit(1);
    }
  }

  private static int viaHttpClient(String url) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    return response.statusCode();
  }

  private static int viaUrlConnection(String url) throws Exception {
    HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
    int status = connection.getResponseCode();
    try (InputStream body = connection.getInputStream()) {
      body.readAllBytes();
    }
    return status;
  }

  /** Apart, so that verifying the app's main class loads none of HttpClient 4's classes in the other modes. */
  private static final class ApacheHttpClient4Call {
    static int get(String url) throws Exception {
      try (org.apache.http.impl.client.CloseableHttpClient client =
               org.apache.http.impl.client.HttpClients.createDefault();
           org.apache.http.client.methods.CloseableHttpResponse response =
               client.execute(new org.apache.http.client.methods.HttpGet(url))) {
        org.apache.http.util.EntityUtils.consume(response.getEntity());
        return response.getStatusLine().getStatusCode();
      }
    }
  }

  /** Apart, as {@link ApacheHttpClient4Call}. */
  private static final class ApacheHttpClient5Call {
    static int get(String url) throws Exception {
      try (org.apache.hc.client5.http.impl.classic.CloseableHttpClient client =
               org.apache.hc.client5.http.impl.classic.HttpClients.createDefault()) {
        return client.execute(new org.apache.hc.client5.http.classic.methods.HttpGet(url), response -> {
          org.apache.hc.core5.http.io.entity.EntityUtils.consume(response.getEntity());
          return response.getCode();
        });
      }
    }
  }

  private OneCallApp() {}
}
