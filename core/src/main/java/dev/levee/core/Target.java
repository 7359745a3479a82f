package dev.levee.core;

import java.util.Locale;

/**
 * A downstream dependency: {@code host:port}, the host lower-cased and the scheme's default port filled
 * in. Breaker and bulkhead state is keyed by target and shared by every client library.
 */
public final class Target {

  private final String host;
  private final int port;
  private final String key;

  private Target(String host, int port) {
    this.host = host;
    this.port = port;
    this.key = host + ":" + port;
  }

  /** A target; {@code port} must already be the effective port (default filled in). */
  public static Target of(String host, int port) {
    String h = host == null ? "" : host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return new Target(h, port);
  }

  /** The target of an HTTP(S) URI's authority; -1 ports take the scheme's default. */
  public static Target ofHttp(String scheme, String host, int port) {
    int effective = port;
    if (effective < 0) {
      effective = "https".equalsIgnoreCase(scheme) || "wss".equalsIgnoreCase(scheme) ? 443 : 80;
    }
    return of(host, effective);
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** {@code host:port}, as shown in messages and used as the registry key. */
  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : key;
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
