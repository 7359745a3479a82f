package dev.levee.smoke;

import static dev.levee.testkit.Behaviour.closeWithoutResponse;
import static dev.levee.testkit.Behaviour.hang;
import static dev.levee.testkit.Behaviour.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.smoke.apps.HttpUrlConnectionApp;
import dev.levee.smoke.apps.RestTemplateApp;
import dev.levee.testkit.FaultServer;
import dev.levee.testkit.Jdk;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the shared scenario list does not say about {@code HttpURLConnection}: the JDK's own silent re-send, with
 * and without Levee; the frameworks that use it underneath (Spring's {@code RestTemplate} with its default
 * request factory, Feign's default client's way of calling); and a thousand failing calls leaving nothing
 * behind in the JDK's keep-alive cache.
 */
class HttpUrlConnectionExtrasSmokeTest {

  static final String QUIET_BREAKER = AbstractHttpClientScenarios.QUIET_BREAKER;
  static final String FAST_RETRY = AbstractHttpClientScenarios.FAST_RETRY;

  static Stream<Jdk> jdks() {
    return SmokeJdks.both();
  }

  /**
   * A server that reads a request and closes without answering: with no agent the JDK sends a GET twice, and a
   * POST twice too (unless {@code sun.net.http.retryPost=false}); with Levee and {@code maxAttempts: 1} each
   * reaches it exactly once, and the app sees the JDK's own exception.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void theJdksOwnResendIsTamedForGetAndPost(Jdk jdk, @TempDir Path dir) {
    try (FaultServer bareServer = FaultServer.start(); FaultServer leveeServer = FaultServer.start()) {
      for (FaultServer s : new FaultServer[] {bareServer, leveeServer}) {
        s.on("/drop").respond(closeWithoutResponse());
        s.on("/order").respond(closeWithoutResponse());
      }
      Path config = SmokeApp.writeConfig(dir, "http:", "  defaults:", "    retry: {maxAttempts: 1}", QUIET_BREAKER);

      AppRun bare = app(jdk, dir).withoutAgent()
          .args("--url", bareServer.url("/drop"), "--url", bareServer.url("/order"), "--method", "GET", "--method", "POST",
              "--body", "{\"item\":1}", "--calls", "2")
          .run();
      AppRun levee = app(jdk, dir).config(config)
          .args("--url", leveeServer.url("/drop"), "--url", leveeServer.url("/order"), "--method", "GET", "--method", "POST",
              "--body", "{\"item\":1}", "--calls", "2")
          .run();

      String why = "without the agent:\n" + AbstractHttpClientScenarios.why(bare, bareServer)
          + "\nwith it:\n" + AbstractHttpClientScenarios.why(levee, leveeServer);
      assertEquals(2, bareServer.requestCount("/drop"), "the JDK alone sends a GET twice\n" + why);
      assertEquals(2, bareServer.requestCount("/order"), "the JDK alone sends a POST twice\n" + why);
      assertEquals(1, leveeServer.requestCount("/drop"), "maxAttempts 1: one GET\n" + why);
      assertEquals(1, leveeServer.requestCount("/order"), "one POST\n" + why);
      for (int i = 0; i < 2; i++) {
        assertEquals(bare.call(i).error, levee.call(i).error, "call " + i + ": the JDK's own exception\n" + why);
      }
    }
  }

  /**
   * Feign's default client and Spring's RestTemplate call through HttpURLConnection with timeouts of their own
   * (Feign's 10 s connect, 60 s read) or none (RestTemplate's default): a flaky GET is recovered, and a hanging
   * host ends at Levee's total instead. RestTemplate's POSTs (a streamed body) get one attempt, bounded by the
   * attempt's budget and carrying the deadline header.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void feignStyleAndRestTemplateCallsAreProtectedAlike(Jdk jdk, @TempDir Path dir) {
    try (FaultServer server = FaultServer.start()) {
      server.on("/feign/flaky").respond(status(503), status(503), status(200).body("feign ok"));
      server.on("/spring/flaky").respond(status(503), status(503), status(200).body("spring ok"));
      server.on("/hang").respond(hang());
      Path config = SmokeApp.writeConfig(dir, "http:", "  defaults:", "    timeout: {connect: 1s, attempt: 1s, total: 2s}",
          FAST_RETRY, QUIET_BREAKER);

      AppRun feign = app(jdk, dir).config(config).systemProperty("app.style", "feign")
          .args("--url", server.url("/feign/flaky"), "--url", server.url("/hang"), "--calls", "2")
          .timeout(Duration.ofSeconds(30))
          .run();
      AppRun spring = SmokeApp.launch(jdk, RestTemplateApp.class.getName()).classpath(springWebJars())
          .workingDirectory(dir).config(config)
          .args("--url", server.url("/spring/flaky"), "--url", server.url("/hang"), "--calls", "2")
          .timeout(Duration.ofSeconds(30))
          .run();

      for (AppRun run : new AppRun[] {feign, spring}) {
        String why = AbstractHttpClientScenarios.why(run, server);
        assertEquals(0, run.exitCode(), why);
        assertEquals(Integer.valueOf(200), run.call(0).status, why);
        assertEquals("java.net.SocketTimeoutException", run.call(1).error, why);
        assertTrue(run.call(1).ms >= 1500 && run.call(1).ms < 5000, "the 2 s total ends the call, took "
            + run.call(1).ms + "ms\n" + why);
      }
      // RestTemplate streams a request body (fixed length): one attempt, still bounded and admitted
      server.on("/spring/order").respond(status(503), status(200));
      AppRun posts = SmokeApp.launch(jdk, RestTemplateApp.class.getName()).classpath(springWebJars())
          .workingDirectory(dir).config(config)
          .args("--url", server.url("/spring/order"), "--url", server.url("/hang"), "--method", "POST",
              "--body", "{\"item\":1}", "--calls", "2")
          .timeout(Duration.ofSeconds(30))
          .run();
      String why = AbstractHttpClientScenarios.why(posts, server);
      assertEquals(0, posts.exitCode(), why);
      assertEquals(Integer.valueOf(503), posts.call(0).status, "a POST is not retried\n" + why);
      assertEquals(1, server.requestCount("/spring/order"), why);
      assertEquals("{\"item\":1}", server.requests("/spring/order").get(0).body(), why);
      assertNotNull(server.requests("/spring/order").get(0).header("X-Request-Deadline"), why);
      assertEquals("java.net.SocketTimeoutException", posts.call(1).error, why);
      assertTrue(posts.call(1).ms >= 800 && posts.call(1).ms < 4000, "one attempt of 1 s, took " + posts.call(1).ms
          + "ms\n" + why);
      assertEquals(AppCall.bodyOf("feign ok"), feign.call(0).body);
      assertEquals(AppCall.bodyOf("spring ok"), spring.call(0).body);
      assertEquals(3, server.requestCount("/feign/flaky"));
      assertEquals(3, server.requestCount("/spring/flaky"));
    }
  }

  /**
   * A thousand calls answered 503 (each retried once while the retry budget allows, the retried response's
   * connection closed, the last read
   * by the app, as usual, through its error stream) leave no connection behind: a healthy call right after
   * completes at once.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void aThousandFailingCallsLeaveNothingBehind(Jdk jdk, @TempDir Path dir) {
    int calls = 1000;
    try (FaultServer server = FaultServer.start()) {
      for (int i = 0; i < calls; i++) {
        server.on("/call/" + i).respond(status(503).body("down for maintenance"));
      }
      server.on("/call/" + calls).respond(status(200).body("healthy"));
      Path config = SmokeApp.writeConfig(dir, "http:", "  defaults:", "    timeout: {connect: 1s, attempt: 5s, total: 20s}",
          "    retry: {maxAttempts: 2, initialBackoff: 1ms, maxBackoff: 1ms}",
          "    circuitBreaker: {slidingWindowSize: 5000, minimumNumberOfCalls: 5000}");

      // and last, once the others are done, a healthy call: a connection left behind would hold it up
      AppRun run = app(jdk, dir).config(config)
          .args("--url", server.url("/call/{i}"), "--calls", "" + (calls + 1), "--concurrency", "4",
              "--pause-before-call", calls + ":500")
          .timeout(Duration.ofSeconds(120))
          .run();

      String why = run.describe();
      assertEquals(0, run.exitCode(), why);
      for (int i = 0; i < calls; i++) {
        AppCall call = run.call(i);
        assertEquals(Integer.valueOf(503), call.status, "call " + i + "\n" + why);
        assertEquals(AppCall.bodyOf("down for maintenance"), call.body, "call " + i);
        // the retry budget (on by default) refuses retries once the storm outgrows it: one or two requests
        int requests = server.requestCount("/call/" + i);
        assertTrue(requests >= 1 && requests <= 2, "at most maxAttempts, call " + i + ": " + requests);
      }
      AppCall healthy = run.call(calls);
      assertEquals(Integer.valueOf(200), healthy.status, why);
      assertTrue(healthy.ms < 1000, "the healthy call completes at once, took " + healthy.ms + "ms");
      assertFalse(run.stderr().toLowerCase(Locale.ROOT).contains("too many open files"), why);
    }
  }

  /**
   * A plain {@code Socket} through an HTTP proxy: the JDK tunnels it with an {@code HttpURLConnection} of its
   * own and reflects into the JDK's connection class, so that one connection is left to the JDK.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void aSocketThroughAnHttpProxyStillTunnels(Jdk jdk, @TempDir Path dir) throws Exception {
    try (FaultServer server = FaultServer.start(); ConnectProxy proxy = new ConnectProxy()) {
      server.on("/ok").respond(status(200).body("through the tunnel"));
      Path config = SmokeApp.writeConfig(dir, "http:", "  defaults:", FAST_RETRY, QUIET_BREAKER);

      AppRun run = SmokeApp.launch(jdk, dev.levee.smoke.apps.SocketThroughHttpProxyApp.class.getName())
          .workingDirectory(dir).config(config).systemProperty("app.proxy", "127.0.0.1:" + proxy.port())
          .args("--url", server.url("/ok"))
          .timeout(Duration.ofSeconds(30))
          .run();

      String why = AbstractHttpClientScenarios.why(run, server) + "\nproxy saw: " + proxy.connects;
      assertEquals(0, run.exitCode(), why);
      assertEquals(Integer.valueOf(200), run.call(0).status, why);
      assertEquals(AppCall.bodyOf("through the tunnel"), run.call(0).body, why);
      assertEquals(java.util.List.of("CONNECT " + server.hostPort()), proxy.connects, why);
    }
  }

  /** An HTTP proxy that does CONNECT only: it answers 200 and then pipes bytes both ways. */
  static final class ConnectProxy implements AutoCloseable {
    final java.net.ServerSocket socket;
    final java.util.List<String> connects = new java.util.concurrent.CopyOnWriteArrayList<>();

    ConnectProxy() throws IOException {
      socket = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
      Thread acceptor = new Thread(this::serve, "connect-proxy");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    private void serve() {
      while (!socket.isClosed()) {
        try {
          java.net.Socket client = socket.accept();
          Thread t = new Thread(() -> tunnel(client), "connect-proxy-tunnel");
          t.setDaemon(true);
          t.start();
        } catch (IOException closed) {
          return;
        }
      }
    }

    private void tunnel(java.net.Socket client) {
      try (java.net.Socket c = client) {
        java.io.InputStream in = c.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
          int b = in.read();
          if (b < 0) {
            return;
          }
          head.append((char) b);
        }
        String[] requestLine = head.toString().split("\r\n")[0].split(" ");
        connects.add(requestLine[0] + " " + requestLine[1]);
        String[] hostPort = requestLine[1].split(":");
        try (java.net.Socket target = new java.net.Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
          c.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
          Thread up = new Thread(() -> {
            try {
              in.transferTo(target.getOutputStream());
            } catch (IOException ignored) {
              // the other side closed
            }
          }, "connect-proxy-up");
          up.setDaemon(true);
          up.start();
          target.getInputStream().transferTo(c.getOutputStream());
        }
      } catch (IOException ignored) {
        // a tunnel ends when either side closes
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static SmokeApp.Builder app(Jdk jdk, Path dir) {
    return SmokeApp.launch(jdk, HttpUrlConnectionApp.class.getName()).workingDirectory(dir);
  }

  /** Spring's jars, copied by this module's pom into target/spring-web/VERSION/. */
  static Path[] springWebJars() {
    return SmokeApp.jarsIn(SmokeApp.copiedLibraries("levee.spring.web.jars", "spring-web/6.2.19")).toArray(new Path[0]);
  }
}
