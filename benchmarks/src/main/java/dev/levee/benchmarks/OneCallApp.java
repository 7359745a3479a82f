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
 * {@code httpurlconnection}, with {@code java.net.HttpURLConnection} ({@code StartupBenchmark}'s
 * {@code -Dstartup.client}).
 */
public final class OneCallApp {

  public static void main(String[] args) throws Exception {
    boolean urlConnection = args.length > 1 && args[1].equals("httpurlconnection");
    int status = urlConnection ? viaUrlConnection(args[0]) : viaHttpClient(args[0]);
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

  private OneCallApp() {}
}
