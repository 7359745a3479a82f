package dev.levee.core.metrics;

import dev.levee.core.LeveeLog;
import dev.levee.core.LeveeThreads;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Serves {@code GET /metrics} in Prometheus' text format from a thread of Levee's own
 * ({@code levee-prometheus}), one scrape at a time. A plain socket, not the JDK's HttpServer: Levee hooks
 * that server's requests (inbound deadlines, load shedding), and its own endpoint must never pass through
 * them, nor be shed with the app's traffic.
 */
public final class PrometheusServer implements Closeable {

  private final ServerSocket socket;
  private final Supplier<String> body;
  private final Thread thread;

  private PrometheusServer(ServerSocket socket, Supplier<String> body) {
    this.socket = socket;
    this.body = body;
    this.thread = LeveeThreads.newThread("levee-prometheus", this::serve);
  }

  /** Binds {@code host:port} (port 0: any free one) and starts serving. */
  public static PrometheusServer start(String host, int port, Supplier<String> body) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getByName(host), port), 16);
    PrometheusServer server = new PrometheusServer(socket, body);
    server.thread.start();
    return server;
  }

  public int port() {
    return socket.getLocalPort();
  }

  private void serve() {
    while (!socket.isClosed()) {
      try (Socket client = socket.accept()) {
        client.setSoTimeout(5_000);
        answer(client);
      } catch (SocketException closed) {
        if (socket.isClosed()) {
          return;
        }
      } catch (Throwable t) {
        LeveeLog.warnOnce("metrics.serve", "internal error serving /metrics", t);
      }
    }
  }

  private void answer(Socket client) throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.ISO_8859_1));
    String requestLine = in.readLine();
    for (String header = in.readLine(); header != null && !header.isEmpty(); header = in.readLine()) {
      // headers are not needed
    }
    String[] parts = requestLine == null ? new String[0] : requestLine.split(" ");
    String method = parts.length > 0 ? parts[0] : "";
    String path = parts.length > 1 ? parts[1] : "";
    int query = path.indexOf('?');
    path = query >= 0 ? path.substring(0, query) : path;
    boolean get = method.equals("GET") || method.equals("HEAD");
    String status;
    String text;
    String type = "text/plain; charset=utf-8";
    if (get && (path.equals("/metrics") || path.equals("/"))) {
      status = "200 OK";
      text = body.get();
      type = "text/plain; version=0.0.4; charset=utf-8";
    } else {
      status = get ? "404 Not Found" : "405 Method Not Allowed";
      text = "levee serves GET /metrics only\n";
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    OutputStream out = client.getOutputStream();
    out.write(("HTTP/1.1 " + status + "\r\nContent-Type: " + type + "\r\nContent-Length: " + bytes.length
        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    if (!method.equals("HEAD")) {
      out.write(bytes);
    }
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
