package dev.levee.testkit;

import static dev.levee.testkit.Behaviour.closeWithoutResponse;
import static dev.levee.testkit.Behaviour.hang;
import static dev.levee.testkit.Behaviour.reset;
import static dev.levee.testkit.Behaviour.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class FaultServerTest {

  private FaultServer server;
  private HttpClient client;

  @BeforeEach
  void start() {
    server = FaultServer.start();
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(server.url(path))).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void unscriptedPathAnswersOkAndIsRecorded() throws Exception {
    HttpResponse<String> response = client.send(
        HttpRequest.newBuilder(URI.create(server.url("/any/where?a=1&b=2")))
            .header("X-Thing", "v1")
            .POST(HttpRequest.BodyPublishers.ofString("hello body"))
            .build(),
        HttpResponse.BodyHandlers.ofString());

    assertEquals(200, response.statusCode());
    assertEquals("ok", response.body());
    List<RecordedRequest> requests = server.requests("/any/where");
    assertEquals(1, requests.size());
    RecordedRequest r = requests.get(0);
    assertEquals("POST", r.method());
    assertEquals("a=1&b=2", r.query());
    assertEquals("v1", r.header("x-thing"), "headers are case-insensitive");
    assertEquals("v1", r.header("X-THING"));
    assertEquals("hello body", r.body());
    assertEquals("HTTP/1.1", r.version());
    long now = System.currentTimeMillis();
    assertTrue(r.epochMillis() <= now && r.epochMillis() > now - 10_000, "arrival time " + r.epochMillis());
  }

  @Test
  void statusWithRetryAfterAndBody() throws Exception {
    server.on("/busy").respond(status(503).header("Retry-After", "2").body("come back later"));

    HttpResponse<String> response = get("/busy");

    assertEquals(503, response.statusCode());
    assertEquals("2", response.headers().firstValue("Retry-After").orElse(null));
    assertEquals("come back later", response.body());
  }

  @Test
  void behavioursAreUsedInOrderAndTheLastRepeats() throws Exception {
    server.on("/flaky").respond(status(503), status(502), status(200));

    List<Integer> codes = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      codes.add(get("/flaky").statusCode());
    }

    assertEquals(List.of(503, 502, 200, 200, 200), codes);
    assertEquals(5, server.requestCount("/flaky"));
    assertEquals(0, server.requestCount("/other"));
  }

  @Test
  void respondRestartsTheSequence() throws Exception {
    server.on("/p").respond(status(500), status(201));
    assertEquals(500, get("/p").statusCode());
    server.on("/p").respond(status(404), status(202));
    assertEquals(404, get("/p").statusCode());
    assertEquals(202, get("/p").statusCode());
  }

  @Test
  void delayHoldsTheResponse() throws Exception {
    server.on("/slow").respond(status(200).after(Duration.ofMillis(400)));
    long start = System.nanoTime();

    HttpResponse<String> response = get("/slow");

    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals(200, response.statusCode());
    assertTrue(ms >= 390, "answered after " + ms + "ms");
    assertEquals(1, server.requestCount("/slow"));
  }

  @Test
  void trickledHeadArrivesOneByteAtATime() throws Exception {
    server.on("/trickle").respond(status(200).body("ok").trickleHead(Duration.ofMillis(5)));
    long start = System.nanoTime();

    HttpResponse<String> response = get("/trickle");

    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals(200, response.statusCode());
    assertEquals("ok", response.body());
    // the head is ~80 bytes ("HTTP/1.1 200 OK", Content-Type, Content-Length), each 5 ms after the last
    assertTrue(ms >= 300, "the head took " + ms + "ms");
  }

  @Test
  void trickledBodyFollowsAHeadSentAtOnce() throws Exception {
    server.on("/trickle").respond(status(200).body("0123456789").trickleBody(Duration.ofMillis(60)));
    long start = System.nanoTime();

    HttpResponse<java.io.InputStream> response = client.send(
        HttpRequest.newBuilder(URI.create(server.url("/trickle"))).build(), HttpResponse.BodyHandlers.ofInputStream());
    long headMs = (System.nanoTime() - start) / 1_000_000;
    String body;
    try (java.io.InputStream in = response.body()) {
      body = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    long allMs = (System.nanoTime() - start) / 1_000_000;

    assertEquals("0123456789", body);
    assertTrue(headMs < 400, "the head came at once, took " + headMs + "ms");
    assertTrue(allMs >= 500, "ten bytes 60 ms apart, took " + allMs + "ms");
  }

  @Test
  void delayFactoryAnswersOkLater() throws Exception {
    server.on("/d").respond(Behaviour.delay(Duration.ofMillis(200)));
    long start = System.nanoTime();
    HttpResponse<String> response = get("/d");
    assertEquals("ok", response.body());
    assertTrue(System.nanoTime() - start >= 190_000_000L);
  }

  @Test
  void hangIsRecordedAndTheClientTimeoutFires() {
    server.on("/hang").respond(hang());
    HttpRequest request = HttpRequest.newBuilder(URI.create(server.url("/hang"))).timeout(Duration.ofMillis(300)).build();

    long start = System.nanoTime();
    assertThrows(HttpTimeoutException.class, () -> client.send(request, HttpResponse.BodyHandlers.ofString()));
    long ms = (System.nanoTime() - start) / 1_000_000;

    assertTrue(ms >= 290 && ms < 5000, "timed out after " + ms + "ms");
    assertEquals(1, server.requestCount("/hang"));
  }

  @Test
  void closeEndsHungConnectionsPromptly() throws Exception {
    server.on("/hang").respond(hang());
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5000);
      send(socket, "GET /hang HTTP/1.1\r\nHost: x\r\n\r\n");
      server.awaitRequests("/hang", 1, Duration.ofSeconds(5));

      long start = System.nanoTime();
      server.close();
      long closeMs = (System.nanoTime() - start) / 1_000_000;

      assertTrue(closeMs < 2000, "close took " + closeMs + "ms");
      assertEquals(-1, readOrMinusOneOnReset(socket.getInputStream()), "the hung connection was closed");
    }
  }

  @Test
  void resetSurfacesAsIOExceptionInTheClient() {
    server.on("/reset").respond(reset());
    HttpRequest request = HttpRequest.newBuilder(URI.create(server.url("/reset")))
        .POST(HttpRequest.BodyPublishers.ofString("x"))
        .build();

    assertThrows(IOException.class, () -> client.send(request, HttpResponse.BodyHandlers.ofString()));
    assertEquals(1, server.requestCount("/reset"), "a POST is not repeated by the JDK client");
  }

  @Test
  void resetIsAConnectionResetOnARawSocket() throws Exception {
    server.on("/reset").respond(reset());
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5000);
      send(socket, "GET /reset HTTP/1.1\r\nHost: x\r\n\r\n");
      SocketException e = assertThrows(SocketException.class, () -> {
        InputStream in = socket.getInputStream();
        while (in.read() >= 0) {
          // read until the reset arrives
        }
      });
      assertTrue(e.getMessage().toLowerCase().contains("reset"), e.getMessage());
    }
    assertEquals(1, server.requestCount("/reset"));
  }

  @Test
  void closeWithoutResponseIsAnEndOfStream() throws Exception {
    server.on("/close").respond(closeWithoutResponse());
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5000);
      send(socket, "GET /close HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals(-1, socket.getInputStream().read());
    }
    assertEquals(1, server.requestCount("/close"));
    HttpRequest post = HttpRequest.newBuilder(URI.create(server.url("/close")))
        .POST(HttpRequest.BodyPublishers.ofString("x"))
        .build();
    assertThrows(IOException.class, () -> client.send(post, HttpResponse.BodyHandlers.ofString()));
  }

  @Test
  void keepAliveServesSeveralRequestsOnOneConnectionAndReadsChunkedBodies() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5000);
      send(socket, "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nTrailer: t\r\n\r\n");
      assertTrue(readResponseHead(socket.getInputStream()).startsWith("HTTP/1.1 200 OK"));
      send(socket, "PUT /b?x=y HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
      assertTrue(readResponseHead(socket.getInputStream()).startsWith("HTTP/1.1 200 OK"));
    }
    RecordedRequest a = server.requests("/a").get(0);
    RecordedRequest b = server.requests("/b").get(0);
    assertEquals("hello, world", a.body());
    assertEquals("abc", b.body());
    assertEquals("PUT", b.method());
    assertEquals(a.connectionId(), b.connectionId(), "same connection");
    assertTrue(b.nanoTime() >= a.nanoTime());
    assertEquals(1, server.connectionCount());
  }

  @Test
  void stallAcceptsConnectsButNeverAnswers() throws Exception {
    server.stallAccepts(true);
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(300);
      send(socket, "GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read());
    }
    assertEquals(0, server.requests().size(), "nothing was read");
    assertEquals(1, server.connectionCount());
  }

  @Test
  void stallingServerAcceptsAndNeverAnswers() throws Exception {
    try (StallingServer stalling = StallingServer.start()) {
      HttpRequest request = HttpRequest.newBuilder(URI.create(stalling.url("/x"))).timeout(Duration.ofMillis(300)).build();
      assertThrows(HttpTimeoutException.class, () -> client.send(request, HttpResponse.BodyHandlers.ofString()));
      assertTrue(stalling.acceptedCount() >= 1);
    }
  }

  @Test
  void awaitRequestsWaitsAndFailsClearly() throws Exception {
    server.on("/later").respond(status(204));
    CompletableFuture<HttpResponse<String>> pending = client.sendAsync(
        HttpRequest.newBuilder(URI.create(server.url("/later"))).build(), HttpResponse.BodyHandlers.ofString());

    assertEquals(1, server.awaitRequests("/later", 1, Duration.ofSeconds(5)).size());
    assertEquals(204, pending.get().statusCode());
    AssertionError e = assertThrows(AssertionError.class, () -> server.awaitRequests("/later", 2, Duration.ofMillis(100)));
    assertTrue(e.getMessage().contains("expected 2 requests for /later"), e.getMessage());
  }

  @Test
  void recordsConcurrentRequests() throws Exception {
    server.on("/c").respond(status(200).after(Duration.ofMillis(50)));
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      calls.add(client.sendAsync(
          HttpRequest.newBuilder(URI.create(server.url("/c?i=" + i))).build(), HttpResponse.BodyHandlers.ofString()));
    }
    for (CompletableFuture<HttpResponse<String>> c : calls) {
      assertEquals(200, c.get().statusCode());
    }
    assertEquals(20, server.requestCount("/c"));
    assertEquals(20, server.requests("/c").stream().map(RecordedRequest::query).distinct().count());
  }

  @Test
  void clearForgetsScriptsAndRequests() throws Exception {
    server.on("/p").respond(status(500));
    get("/p");
    server.clear();
    assertEquals(0, server.requestCount("/p"));
    assertEquals(200, get("/p").statusCode());
    assertNull(server.requests("/p").get(0).query());
  }

  @Test
  void unusedPortRefusesConnections() {
    int port = FaultServer.unusedPort();
    assertThrows(java.net.ConnectException.class, () -> new Socket("127.0.0.1", port).close());
  }

  @Test
  void behaviourDescribesItself() {
    assertEquals("status(503).header(Retry-After, 1).after(20ms)",
        status(503).header("Retry-After", "1").after(Duration.ofMillis(20)).toString());
    assertThrows(IllegalStateException.class, () -> hang().header("a", "b"));
  }

  private static void send(Socket socket, String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Reads a response head and its Content-Length body. */
  private static String readResponseHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      head.append((char) c);
    }
    int length = 0;
    for (String line : head.toString().split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    in.readNBytes(length);
    return head.toString();
  }

  private static int readOrMinusOneOnReset(InputStream in) throws IOException {
    try {
      return in.read();
    } catch (SocketException e) {
      return -1;
    }
  }
}
