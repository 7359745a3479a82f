package dev.levee.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A real HTTP/2 server for the smoke tests: Jetty 12 on 127.0.0.1, cleartext, speaking HTTP/1.1 and
 * h2c (both the {@code Upgrade: h2c} of an HTTP/1.1 request and prior knowledge). Each path answers a
 * script of statuses, the last one repeating; {@link #HANG} never answers, {@link #DROP} closes the connection. Every request is recorded
 * with the HTTP version Jetty saw, so a test can tell HTTP/2 from HTTP/1.1.
 *
 * <pre>
 *   try (H2cServer server = H2cServer.start()) {
 *     server.on("/flaky", 503, 503, 200);
 *     ... server.url("/flaky") ...
 *     server.requests("/flaky").get(2).version()  // "HTTP/2.0"
 *   }
 * </pre>
 */
final class H2cServer implements AutoCloseable {

  /** In a script: accept the request and never answer it (until the server stops). */
  static final int HANG = -1;

  /** In a script: read the request, then close the connection without answering. */
  static final int DROP = -2;

  /** One request as Jetty handed it to the handler. */
  record Seen(String method, String path, String version, String deadline, String body, long epochMillis) {
    @Override
    public String toString() {
      return method + " " + path + " " + version + " X-Request-Deadline=" + deadline
          + (body.isEmpty() ? "" : " body=" + body) + " at " + epochMillis;
    }
  }

  private final Server server;
  private final ServerConnector connector;
  private final Map<String, List<Integer>> scripts = new ConcurrentHashMap<>();
  private final Map<String, Integer> served = new ConcurrentHashMap<>();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final List<Callback> hanging = new CopyOnWriteArrayList<>();

  private H2cServer() {
    server = new Server();
    HttpConfiguration config = new HttpConfiguration();
    connector = new ServerConnector(server, 1, 1,
        new HttpConnectionFactory(config), new HTTP2CServerConnectionFactory(config));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(new Scripted());
    server.setStopTimeout(0);
  }

  static H2cServer start() {
    H2cServer s = new H2cServer();
    try {
      s.server.start();
    } catch (Exception e) {
      throw new IllegalStateException("Jetty did not start", e);
    }
    return s;
  }

  /** Statuses {@code path} answers in turn; the last repeats. Unscripted paths answer 200. */
  H2cServer on(String path, Integer... statuses) {
    scripts.put(path, new ArrayList<>(Arrays.asList(statuses)));
    return this;
  }

  String url(String path) {
    return "http://127.0.0.1:" + connector.getLocalPort() + path;
  }

  List<Seen> requests() {
    return new ArrayList<>(seen);
  }

  List<Seen> requests(String path) {
    return seen.stream().filter(s -> s.path().equals(path)).toList();
  }

  /** Everything it saw, one per line, for assertion messages. */
  String describe() {
    StringBuilder s = new StringBuilder("h2c server ").append(url("")).append(" saw:");
    for (Seen r : seen) {
      s.append("\n  ").append(r);
    }
    return s.toString();
  }

  @Override
  public void close() {
    for (Callback c : hanging) {
      c.failed(new IllegalStateException("server stopping"));
    }
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("Jetty did not stop", e);
    }
  }

  /**
   * The read-and-drop scenario over HTTP/2, for any client: two servers that read each request and drop the
   * connection, one under the defaults (maxAttempts 3), one under a host rule of maxAttempts 1; the app
   * (already told to speak HTTP/2) calls each once. Exactly maxAttempts requests reach each.
   */
  static void assertDropsSeeExactlyMaxAttempts(Function<Path, SmokeApp.Builder> app, Path dir, String mode) {
    try (H2cServer three = H2cServer.start(); H2cServer one = H2cServer.start()) {
      three.on("/drop", DROP);
      one.on("/drop", DROP);
      Path config = SmokeApp.writeConfig(dir,
          "http:",
          "  defaults:",
          "    timeout: {connect: 1s, attempt: 1s, total: 3s}",
          AbstractHttpClientScenarios.FAST_RETRY,
          AbstractHttpClientScenarios.QUIET_BREAKER,
          "  hosts:",
          "    \"" + one.url("").substring("http://".length()) + "\": {retry: {maxAttempts: 1}}");

      AppRun run = app.apply(dir).config(config)
          .args("--url", three.url("/drop"), "--url", one.url("/drop"), "--calls", "2", "--mode", mode).run();

      String why = run.describe() + "\n" + three.describe() + "\n" + one.describe();
      assertEquals(0, run.exitCode(), why);
      assertNotNull(run.call(0).error, why);
      assertNotNull(run.call(1).error, why);
      assertEquals(3, three.requests("/drop").size(),
          "exactly maxAttempts: the client's own re-send tamed\n" + why);
      assertEquals(1, one.requests("/drop").size(), "maxAttempts 1: one request\n" + why);
    }
  }

  private int next(String path) {
    List<Integer> script = scripts.get(path);
    if (script == null || script.isEmpty()) {
      return 200;
    }
    int i = served.merge(path, 1, Integer::sum) - 1;
    return script.get(Math.min(i, script.size() - 1));
  }

  private final class Scripted extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      String path = request.getHttpURI().getPath();
      String body = Content.Source.asString(request);
      seen.add(new Seen(request.getMethod(), path, request.getConnectionMetaData().getHttpVersion().asString(),
          request.getHeaders().get("X-Request-Deadline"), body, System.currentTimeMillis()));
      int status = next(path);
      if (status == HANG) {
        hanging.add(callback);
        return true;
      }
      if (status == DROP) {
        request.getConnectionMetaData().getConnection().getEndPoint().close();
        return true;
      }
      response.setStatus(status);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
      Content.Sink.write(response, true, status + "\n", callback);
      return true;
    }
  }
}
