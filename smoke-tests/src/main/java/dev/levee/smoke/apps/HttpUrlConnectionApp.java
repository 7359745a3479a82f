package dev.levee.smoke.apps;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * An ordinary app that calls HTTP services with {@code java.net.HttpURLConnection}, as legacy code does:
 * {@code new URL(u).openConnection()}, a cast, setters, {@code getResponseCode()}, then {@code getInputStream()}
 * or, for an error status, {@code getErrorStream()}. It knows nothing of Levee. Command line: {@link AppArgs}
 * ({@code --mode sync} only: there is no async API); output: {@link CallReport}.
 *
 * <p>{@code -Dapp.style=feign} makes each call the way Feign's default client does (connect and read timeouts
 * of its own, no redirects, no user interaction, {@code connect()} before the response is asked for).
 */
public final class HttpUrlConnectionApp {

  /** The body handlings ({@code --body-handling}): {@code stream} (default, read in chunks), {@code bytewise}. */
  public static final String[] BODY_HANDLINGS = {"stream", "bytewise"};

  private HttpUrlConnectionApp() {}

  public static void main(String[] argv) throws Exception {
    AppArgs args = AppArgs.parseSyncOrExit(argv, "HttpURLConnection has no async mode");
    boolean feign = "feign".equals(System.getProperty("app.style"));
    CallLoop.warmUp(args, url -> {
      HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
      int status = c.getResponseCode();
      read(status >= 400 ? c.getErrorStream() : c.getInputStream(), "stream");
      return status;
    });
    CallLoop.runBlocking(args, index -> call(args, index, feign));
    System.out.flush();
    System.exit(0);
  }

  private static CallReport.Reply call(AppArgs args, int index, boolean feign) throws IOException {
    HttpURLConnection c = (HttpURLConnection) new URL(args.url(index)).openConnection();
    if (feign) {
      c.setConnectTimeout(10_000);
      c.setReadTimeout(60_000);
      c.setAllowUserInteraction(false);
      c.setInstanceFollowRedirects(false);
    }
    c.setRequestMethod(args.method(index));
    for (String[] h : args.headers) {
      c.addRequestProperty(h[0], h[1]);
    }
    if (args.timeoutMs > 0) {
      c.setConnectTimeout((int) args.timeoutMs);
      c.setReadTimeout((int) args.timeoutMs);
    }
    if (feign) {
      c.connect();
    }
    if (args.body != null) {
      c.setDoOutput(true);
      c.setRequestProperty("Content-Type", "text/plain; charset=utf-8");
      try (OutputStream out = c.getOutputStream()) {
        out.write(args.body.getBytes(StandardCharsets.UTF_8));
      }
    }
    int status = c.getResponseCode();
    byte[] body = read(status >= 400 ? c.getErrorStream() : c.getInputStream(), args.bodyHandling(index, BODY_HANDLINGS));
    return new CallReport.Reply(status, body);
  }

  /** The whole body, in chunks or a byte at a time; a missing stream (no body) is empty. */
  private static byte[] read(InputStream in, String handling) throws IOException {
    if (in == null) {
      return new byte[0];
    }
    try (InputStream body = in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (handling.equals("bytewise")) {
        for (int b; (b = body.read()) >= 0; ) {
          out.write(b);
        }
      } else {
        byte[] buffer = new byte[4096];
        for (int n; (n = body.read(buffer)) >= 0; ) {
          out.write(buffer, 0, n);
        }
      }
      return out.toByteArray();
    }
  }
}
