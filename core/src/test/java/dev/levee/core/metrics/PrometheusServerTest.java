package dev.levee.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PrometheusServerTest {

  private static String exchange(int port, String request) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      s.shutdownOutput();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      InputStream in = s.getInputStream();
      in.transferTo(answer);
      return answer.toString(StandardCharsets.UTF_8);
    }
  }

  @Test
  void getHeadOtherPathsAndAnEmptyConnection() throws Exception {
    try (PrometheusServer server = PrometheusServer.start("127.0.0.1", 0, () -> "levee_x 1\n")) {
      String get = exchange(server.port(), "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
      assertTrue(get.startsWith("HTTP/1.1 200 OK\r\n") && get.endsWith("\r\n\r\nlevee_x 1\n"), get);
      String head = exchange(server.port(), "HEAD /metrics HTTP/1.1\r\n\r\n");
      assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n") && head.endsWith("\r\n\r\n"), "a HEAD has no body: " + head);
      assertTrue(exchange(server.port(), "GET /other HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 404 "));
      assertTrue(exchange(server.port(), "POST /metrics HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 405 "));
      String empty = exchange(server.port(), "");
      assertTrue(empty.startsWith("HTTP/1.1 405 ") && empty.endsWith("\r\n\r\nlevee serves GET /metrics only\n"),
          "a connection that says nothing gets a whole answer: " + empty);
      assertEquals(get, exchange(server.port(), "GET /metrics?x=1 HTTP/1.1\r\n\r\n"), "still serving");
    }
  }
}
