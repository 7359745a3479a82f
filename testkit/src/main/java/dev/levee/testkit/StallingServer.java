package dev.levee.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Accepts TCP connections on 127.0.0.1 and never reads or writes: a peer that completes the TCP
 * handshake and then says nothing (a hung proxy, a database whose handshake never answers, a TLS
 * server stuck before its hello). Connections stay open until {@link #close()}.
 */
public final class StallingServer implements AutoCloseable {

  private final ServerSocket listener;
  private final Set<Socket> held = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  private final Thread acceptor;

  private StallingServer(ServerSocket listener) {
    this.listener = listener;
    this.acceptor = new Thread(this::acceptLoop, "stalling-server-" + listener.getLocalPort());
    acceptor.setDaemon(true);
  }

  public static StallingServer start() {
    try {
      ServerSocket ss = new ServerSocket();
      ss.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 200);
      StallingServer server = new StallingServer(ss);
      server.acceptor.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start StallingServer", e);
    }
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** {@code http://127.0.0.1:port} + path. */
  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  /** Connections accepted so far. */
  public int acceptedCount() {
    return accepted.get();
  }

  @Override
  public void close() {
    FaultServer.closeQuietly(listener);
    for (Socket s : held) {
      FaultServer.closeQuietly(s);
    }
    try {
      acceptor.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket s = listener.accept();
        held.add(s);
        accepted.incrementAndGet();
      } catch (IOException e) {
        return;
      }
    }
  }
}
