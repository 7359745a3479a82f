package dev.levee.core;

import java.util.List;
import java.util.Locale;

/**
 * A downstream dependency: {@code host:port}, the host lower-cased and the scheme's default port filled
 * in. Breaker and bulkhead state is keyed by target and shared by every client library.
 *
 * <p>A {@linkplain #group group} stands for several servers one call may reach, the driver choosing among
 * them (a multi-host JDBC URL): it is keyed by all of them, in order, and host rules apply to it by its
 * first server.
 */
public final class Target {

  private final String host;
  private final int port;
  private final String key;

  private Target(String host, int port, String key) {
    this.host = host;
    this.port = port;
    this.key = key;
  }

  /** A target; {@code port} must already be the effective port (default filled in). */
  public static Target of(String host, int port) {
    String h = host == null ? "" : host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return new Target(h, port, h.indexOf(':') >= 0 ? "[" + h + "]:" + port : h + ":" + port);
  }

  /** The target of an HTTP(S) URI's authority; -1 ports take the scheme's default. */
  public static Target ofHttp(String scheme, String host, int port) {
    int effective = port;
    if (effective < 0) {
      effective = "https".equalsIgnoreCase(scheme) || "wss".equalsIgnoreCase(scheme) ? 443 : 80;
    }
    return of(host, effective);
  }

  /** Several servers as one target, {@code h1:5432,h2:5433}; a single server is itself. */
  public static Target group(List<Target> servers) {
    if (servers.size() == 1) {
      return servers.get(0);
    }
    StringBuilder key = new StringBuilder();
    for (Target server : servers) {
      key.append(key.length() == 0 ? "" : ",").append(server.key);
    }
    return new Target(servers.get(0).host, servers.get(0).port, key.toString());
  }

  /** The host, or a group's first server's host. */
  public String host() {
    return host;
  }

  /** The port, or a group's first server's port. */
  public int port() {
    return port;
  }

  /** {@code host:port} ({@code [v6]:port}), or a group's servers joined by commas; shown in messages and the registry key. */
  @Override
  public String toString() {
    return key;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Target && ((Target) o).key.equals(key);
  }

  @Override
  public int hashCode() {
    return key.hashCode();
  }
}
