package dev.levee.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The smallest real app: one JDK HttpClient GET, then exit. */
public final class OneCallApp {

  public static void main(String[] args) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(URI.create(args[0])).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      System.exit(1);
    }
  }

  private OneCallApp() {}
}
