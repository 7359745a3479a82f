package dev.levee.testkit;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fault-injecting HTTP/1.1 server on raw sockets, bound to 127.0.0.1. Each path follows a
 * {@link Script} of {@link Behaviour}s; unscripted paths answer 200 "ok". Every request that reached
 * the server is recorded, including those it then hangs on or resets.
 *
 * <p>Raw sockets rather than {@code com.sun.net.httpserver}: the faults under test (reset, hang after
 * reading, close without a response, accept-and-stall) live below what an HTTP server library lets a
 * handler do, and the JDK server is itself a class the agent may instrument.
 *
 * <pre>
 *   try (FaultServer server = FaultServer.start()) {
 *     server.on("/flaky").respond(status(503), status(503), status(200));
 *     ... call server.url("/flaky") ...
 *     assertEquals(3, server.requestCount("/flaky"));
 *   }
 * </pre>
 */
public final class FaultServer implements AutoCloseable {

  private static final int MAX_LINE = 64 * 1024;
  private static final int MAX_BODY = 16 * 1024 * 1024;

  private final ServerSocket listener;
  private final ExecutorService connections;
  private final Thread acceptor;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final ConcurrentMap<String, Script> scripts = new ConcurrentHashMap<>();
  private final List<RecordedRequest> recorded = new ArrayList<>();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final AtomicLong connectionIds = new AtomicLong();
  private final AtomicLong sequence = new AtomicLong();
  private volatile boolean stallAccepts;

  private FaultServer(ServerSocket listener) {
    this.listener = listener;
    int port = listener.getLocalPort();
    this.connections =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "fault-server-" + port + "-conn");
              t.setDaemon(true);
              return t;
            });
    this.acceptor = new Thread(this::acceptLoop, "fault-server-" + port + "-accept");
    acceptor.setDaemon(true);
  }

  /** Starts on 127.0.0.1 on a free port. */
  public static FaultServer start() {
    return start(0);
  }

  /** Starts on 127.0.0.1:{@code port} (0: a free port). */
  public static FaultServer start(int port) {
    try {
      ServerSocket ss = new ServerSocket();
      ss.setReuseAddress(true);
      ss.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 200);
      FaultServer server = new FaultServer(ss);
      server.acceptor.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start FaultServer on 127.0.0.1:" + port, e);
    }
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** {@code 127.0.0.1:port}: the target as Levee names it. */
  public String hostPort() {
    return "127.0.0.1:" + port();
  }

  /** {@code http://127.0.0.1:port} + path (path should start with '/', may carry a query). */
  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  /**
   * A port on 127.0.0.1 where nothing listens (bound, then released): connecting is refused, the
   * {@code connect-failure} outcome. Another process could take it meanwhile; on a test machine the
   * kernel hands out ephemeral ports round-robin, so that is unlikely within a test.
   */
  public static int unusedPort() {
    try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return ss.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port", e);
    }
  }

  /** The script for a path (without query); created on first use, answering 200 "ok". */
  public Script on(String path) {
    return scripts.computeIfAbsent(path, Script::new);
  }

  /**
   * When on, every newly accepted connection is held open and never read from or written to: the
   * client's connect succeeds (the kernel completes the handshake) and then nothing ever comes back.
   */
  public FaultServer stallAccepts(boolean stall) {
    this.stallAccepts = stall;
    return this;
  }

  /** Requests whose path (without query) is {@code path}, in arrival order. */
  public List<RecordedRequest> requests(String path) {
    List<RecordedRequest> matching = new ArrayList<>();
    synchronized (recorded) {
      for (RecordedRequest r : recorded) {
        if (r.path().equals(path)) {
          matching.add(r);
        }
      }
    }
    return matching;
  }

  /** Every request, in arrival order. */
  public List<RecordedRequest> requests() {
    synchronized (recorded) {
      return new ArrayList<>(recorded);
    }
  }

  public int requestCount(String path) {
    return requests(path).size();
  }

  /** TCP connections accepted so far (including stalled ones). */
  public long connectionCount() {
    return connectionIds.get();
  }

  /**
   * Waits until at least {@code n} requests for {@code path} have arrived and returns them all.
   *
   * @throws AssertionError when they have not arrived within {@code timeout}
   */
  public List<RecordedRequest> awaitRequests(String path, int n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (recorded) {
      while (true) {
        List<RecordedRequest> seen = requests(path);
        if (seen.size() >= n) {
          return seen;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "expected " + n + " requests for " + path + " within " + timeout.toMillis() + "ms, saw " + seen.size()
                  + ": " + seen);
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(recorded, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while waiting for requests to " + path, e);
        }
      }
    }
  }

  /** Forgets the recorded requests and every script (paths answer 200 "ok" again). */
  public void clear() {
    synchronized (recorded) {
      recorded.clear();
    }
    scripts.clear();
  }

  /** Closes the listener and every open connection, hung and stalled ones included. */
  @Override
  public void close() {
    closing.countDown();
    closeQuietly(listener);
    for (Socket s : open) {
      closeQuietly(s);
    }
    connections.shutdownNow();
    try {
      acceptor.join(1000);
      connections.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "FaultServer[" + hostPort() + ", " + requests().size() + " requests]";
  }

  private boolean isClosing() {
    return closing.getCount() == 0;
  }

  private void acceptLoop() {
    while (!isClosing()) {
      Socket socket;
      try {
        socket = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      long id = connectionIds.getAndIncrement();
      open.add(socket);
      if (isClosing()) {
        closeQuietly(socket);
        return;
      }
      if (stallAccepts) {
        continue; // held in `open` until close(): never read, never written
      }
      try {
        connections.execute(() -> serve(socket, id));
      } catch (RuntimeException rejected) {
        closeQuietly(socket);
      }
    }
  }

  private void serve(Socket socket, long connectionId) {
    try {
      socket.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = new BufferedOutputStream(socket.getOutputStream());
      while (!isClosing()) {
        String requestLine = readLine(in);
        if (requestLine == null) {
          return; // the client closed an idle connection
        }
        if (requestLine.isEmpty()) {
          continue; // tolerated between requests (RFC 9112 §2.2)
        }
        long nanoTime = System.nanoTime();
        long epochMillis = System.currentTimeMillis();
        String[] parts = requestLine.split(" ");
        if (parts.length != 3) {
          writeRaw(out, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
          return;
        }
        String method = parts[0];
        String target = parts[1];
        String version = parts[2];
        Map<String, List<String>> headers = readHeaders(in);
        if ("100-continue".equalsIgnoreCase(first(headers, "Expect"))) {
          writeRaw(out, "HTTP/1.1 100 Continue\r\n\r\n");
        }
        byte[] body = readBody(in, headers);
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? null : target.substring(q + 1);
        if (path.startsWith("http://")) { // absolute form (a proxy-style request)
          int slash = path.indexOf('/', "http://".length());
          path = slash < 0 ? "/" : path.substring(slash);
        }
        record(new RecordedRequest(
            sequence.getAndIncrement(), connectionId, method, path, query, version, headers, body, epochMillis,
            nanoTime));

        Script script = scripts.get(path);
        Behaviour behaviour = script == null ? Behaviour.ok() : script.next();
        if (!behaviour.delay().isZero() && closing.await(behaviour.delay().toNanos(), TimeUnit.NANOSECONDS)) {
          return;
        }
        switch (behaviour.kind()) {
          case HANG:
            drainUntilClosed(in);
            return;
          case RESET:
            socket.setSoLinger(true, 0);
            return;
          case CLOSE_WITHOUT_RESPONSE:
            return;
          case RESPOND:
          default:
            boolean keepAlive = keepAlive(version, headers);
            respond(out, method, behaviour, keepAlive, closing);
            if (!keepAlive) {
              return;
            }
        }
      }
    } catch (IOException | InterruptedException e) {
      // the client went away, or close() closed the socket under us
    } finally {
      open.remove(socket);
      closeQuietly(socket);
    }
  }

  private void record(RecordedRequest request) {
    synchronized (recorded) {
      recorded.add(request);
      recorded.notifyAll();
    }
  }

  private static void respond(OutputStream out, String method, Behaviour b, boolean keepAlive, CountDownLatch closing)
      throws IOException, InterruptedException {
    int code = b.statusCode();
    boolean noBody = code < 200 || code == 204 || code == 304;
    byte[] body = noBody ? new byte[0] : b.bodyText().getBytes(StandardCharsets.UTF_8);
    StringBuilder head = new StringBuilder();
    head.append("HTTP/1.1 ").append(code).append(' ').append(reason(code)).append("\r\n");
    boolean hasContentType = false;
    for (String[] h : b.headers()) {
      head.append(h[0]).append(": ").append(h[1]).append("\r\n");
      hasContentType |= h[0].equalsIgnoreCase("Content-Type");
    }
    if (!hasContentType && !noBody) {
      head.append("Content-Type: text/plain; charset=utf-8\r\n");
    }
    if (!noBody) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    if (!keepAlive) {
      head.append("Connection: close\r\n");
    }
    head.append("\r\n");
    write(out, head.toString().getBytes(StandardCharsets.ISO_8859_1), b.headByteGap(), closing);
    if (!"HEAD".equals(method)) {
      write(out, body, b.bodyByteGap(), closing);
    }
    out.flush();
  }

  /** Writes {@code bytes} at once, or one at a time {@code gap} apart (until the server closes). */
  private static void write(OutputStream out, byte[] bytes, Duration gap, CountDownLatch closing)
      throws IOException, InterruptedException {
    if (gap.isZero()) {
      out.write(bytes);
      return;
    }
    for (byte b : bytes) {
      out.write(b);
      out.flush();
      if (closing.await(gap.toNanos(), TimeUnit.NANOSECONDS)) {
        return;
      }
    }
  }

  private static boolean keepAlive(String version, Map<String, List<String>> headers) {
    String connection = first(headers, "Connection");
    String c = connection == null ? "" : connection.toLowerCase(Locale.ROOT);
    if ("HTTP/1.0".equals(version)) {
      return c.contains("keep-alive");
    }
    return !c.contains("close");
  }

  private static void drainUntilClosed(InputStream in) throws IOException {
    byte[] sink = new byte[4096];
    while (in.read(sink) >= 0) {
      // a hung exchange: keep the connection open, discard whatever the client still sends
    }
  }

  private static Map<String, List<String>> readHeaders(InputStream in) throws IOException {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    int total = 0;
    while (true) {
      String line = readLine(in);
      if (line == null) {
        throw new EOFException("connection closed inside the request head");
      }
      if (line.isEmpty()) {
        return headers;
      }
      total += line.length();
      if (total > MAX_LINE) {
        throw new IOException("request head too large");
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue; // not a header; ignore rather than guess
      }
      String name = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      List<String> values = null;
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          values = e.getValue();
          break;
        }
      }
      if (values == null) {
        values = new ArrayList<>();
        headers.put(name, values);
      }
      values.add(value);
    }
  }

  private static byte[] readBody(InputStream in, Map<String, List<String>> headers) throws IOException {
    String te = first(headers, "Transfer-Encoding");
    if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        String sizeLine = readLine(in);
        if (sizeLine == null) {
          throw new EOFException("connection closed inside a chunked body");
        }
        int semi = sizeLine.indexOf(';');
        int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
        if (size == 0) {
          String trailer;
          do {
            trailer = readLine(in);
          } while (trailer != null && !trailer.isEmpty());
          return body.toByteArray();
        }
        if (body.size() + size > MAX_BODY) {
          throw new IOException("request body too large");
        }
        body.write(readExactly(in, size));
        readLine(in); // the CRLF after the chunk
      }
    }
    String length = first(headers, "Content-Length");
    if (length == null) {
      return new byte[0];
    }
    long n = Long.parseLong(length.trim());
    if (n < 0 || n > MAX_BODY) {
      throw new IOException("bad Content-Length " + length);
    }
    return readExactly(in, (int) n);
  }

  private static byte[] readExactly(InputStream in, int n) throws IOException {
    byte[] buf = new byte[n];
    int off = 0;
    while (off < n) {
      int r = in.read(buf, off, n - off);
      if (r < 0) {
        throw new EOFException("connection closed inside the body (" + off + " of " + n + " bytes)");
      }
      off += r;
    }
    return buf;
  }

  /** A line without its CRLF (or bare LF); null on end of stream before any byte. */
  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      int c = in.read();
      if (c < 0) {
        if (line.length() == 0) {
          return null;
        }
        throw new EOFException("connection closed inside a line");
      }
      if (c == '\n') {
        int len = line.length();
        if (len > 0 && line.charAt(len - 1) == '\r') {
          line.setLength(len - 1);
        }
        return line.toString();
      }
      if (line.length() >= MAX_LINE) {
        throw new IOException("line too long");
      }
      line.append((char) c);
    }
  }

  private static String first(Map<String, List<String>> headers, String name) {
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
        return e.getValue().get(0);
      }
    }
    return null;
  }

  private static void writeRaw(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  static String reason(int code) {
    switch (code) {
      case 100: return "Continue";
      case 200: return "OK";
      case 201: return "Created";
      case 204: return "No Content";
      case 301: return "Moved Permanently";
      case 302: return "Found";
      case 304: return "Not Modified";
      case 400: return "Bad Request";
      case 401: return "Unauthorized";
      case 403: return "Forbidden";
      case 404: return "Not Found";
      case 408: return "Request Timeout";
      case 409: return "Conflict";
      case 429: return "Too Many Requests";
      case 500: return "Internal Server Error";
      case 502: return "Bad Gateway";
      case 503: return "Service Unavailable";
      case 504: return "Gateway Timeout";
      default: return "Status " + code;
    }
  }

  static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // closing is best effort
    }
  }
}
