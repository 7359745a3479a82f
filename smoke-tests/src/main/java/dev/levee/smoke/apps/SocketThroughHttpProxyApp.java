package dev.levee.smoke.apps;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A plain {@code Socket} through an HTTP proxy ({@code new Socket(Proxy)} with {@code Proxy.Type.HTTP}): the JDK
 * tunnels it with a CONNECT made by an {@code HttpURLConnection} of its own, into whose class it then reflects.
 * The app speaks HTTP/1.1 over the socket by hand. {@code -Dapp.proxy=HOST:PORT}; {@code --url} the target; output:
 * {@link CallReport}.
 */
public final class SocketThroughHttpProxyApp {

  private SocketThroughHttpProxyApp() {}

  public static void main(String[] argv) throws Exception {
    AppArgs args = AppArgs.parse(argv);
    String[] proxy = System.getProperty("app.proxy").split(":");
    CallLoop.runBlocking(args, index -> {
      URI target = URI.create(args.url(index));
      try (Socket socket = new Socket(new Proxy(Proxy.Type.HTTP,
          new InetSocketAddress(proxy[0], Integer.parseInt(proxy[1]))))) {
        socket.connect(new InetSocketAddress(target.getHost(), target.getPort()), 5000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + target.getPath() + " HTTP/1.1\r\nHost: " + target.getHost() + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        for (int n; (n = in.read(buffer)) >= 0; ) {
          reply.write(buffer, 0, n);
        }
        String text = new String(reply.toByteArray(), StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(text.substring(9, 12));
        return new CallReport.Reply(status, text.substring(text.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.ISO_8859_1));
      }
    });
    System.out.flush();
    System.exit(0);
  }
}
