package dev.levee.smoke.apps;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * An app already running when Levee is attached to it: one GET, then it prints {@code READY} and waits
 * until the file named by its second argument exists, then a second GET on the same client. Prints the
 * status of each as {@code CALL i status=N}. With a fourth argument {@code httpurlconnection}, both GETs are made
 * with {@code java.net.HttpURLConnection} instead.
 */
public final class AttachTargetApp {

  public static void main(String[] args) throws Exception {
    boolean urlConnection = args.length > 3 && args[3].equals("httpurlconnection");
    HttpClient client = urlConnection ? null : HttpClient.newHttpClient();
    Path go = Paths.get(args[2]);
    call(client, 0, args[0]);
    System.out.println("READY");
    System.out.flush();
    long giveUp = System.nanoTime() + 30_000_000_000L;
    while (!Files.exists(go) && System.nanoTime() < giveUp) {
      Thread.sleep(20);
    }
    call(client, 1, args[1]);
  }

  private static void call(HttpClient client, int i, String url) throws Exception {
    int status;
    if (client == null) {
      java.net.HttpURLConnection c = (java.net.HttpURLConnection) URI.create(url).toURL().openConnection();
      status = c.getResponseCode();
      try (java.io.InputStream body = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
        if (body != null) {
          body.readAllBytes();
        }
      }
    } else {
      status = client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
          .statusCode();
    }
    System.out.println("CALL " + i + " status=" + status);
    System.out.flush();
  }

  private AttachTargetApp() {}
}
