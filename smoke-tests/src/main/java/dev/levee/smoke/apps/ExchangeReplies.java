package dev.levee.smoke.apps;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** How the smoke apps that serve with the JDK's {@code HttpServer} answer an exchange. */
final class ExchangeReplies {

  private ExchangeReplies() {}

  /** Answers {@code status} with a text body (none when null), and ends the exchange. */
  static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
    exchange.close();
  }
}
