package dev.levee.smoke.apps;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The outgoing call the servlet apps make for each request they serve: one GET with the JDK HttpClient,
 * as an ordinary app makes it (no deadline of its own).
 */
final class BackendCall {

  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private BackendCall() {}

  /** GETs {@code backend?id=ID} and describes the outcome: {@code id=ID thread=NAME backend=STATUS}. */
  static String call(String backend, String id) {
    String outcome;
    try {
      HttpResponse<String> response = CLIENT.send(
          HttpRequest.newBuilder(URI.create(backend + "?id=" + id)).build(), HttpResponse.BodyHandlers.ofString());
      outcome = "backend=" + response.statusCode();
    } catch (Exception e) {
      outcome = "backend-error=" + e;
    }
    return "id=" + id + " thread=" + Thread.currentThread().getName() + " " + outcome;
  }

  /** The value of {@code --backend URL}. */
  static String backendArgument(String[] args) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--backend")) {
        return args[i + 1];
      }
    }
    throw new IllegalArgumentException("usage: --backend URL");
  }
}
