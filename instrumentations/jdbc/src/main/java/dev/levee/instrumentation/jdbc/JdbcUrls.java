package dev.levee.instrumentation.jdbc;

import dev.levee.core.Target;
import java.util.Locale;

/**
 * The target ({@code host:port}) of a JDBC URL: the database server a connection goes to, with the
 * driver's default port filled in; for a multi-host URL, its first host.
 *
 * <p>An embedded database has no server: it is a target of its own, keyed by its name with port 0, so
 * host rules can name it: {@code jdbc:h2:mem:orders} is {@code orders.h2-mem:0},
 * {@code jdbc:h2:./data/orders} (or {@code file:}) is {@code orders.h2-file:0}; a URL of another driver
 * without a {@code //host} part ({@code jdbc:sqlite:app.db}) is {@code <subprotocol>.local:0}.
 */
final class JdbcUrls {

  private JdbcUrls() {}

  /** The target, or null for a string that is not a JDBC URL. */
  static Target target(String url) {
    if (url == null || !url.regionMatches(true, 0, "jdbc:", 0, 5)) {
      return null;
    }
    String rest = url.substring(5);
    // driver wrappers that prefix the real URL's subprotocol
    for (String wrapper : new String[] {"p6spy:", "log4jdbc:", "otel:"}) {
      if (rest.regionMatches(true, 0, wrapper, 0, wrapper.length())) {
        rest = rest.substring(wrapper.length());
      }
    }
    int colon = rest.indexOf(':');
    if (colon <= 0) {
      return null;
    }
    String subprotocol = rest.substring(0, colon).toLowerCase(Locale.ROOT);
    String body = rest.substring(colon + 1);
    switch (subprotocol) {
      case "postgresql":
      case "pgsql":
        return server(body, 5432, "localhost");
      case "mysql":
      case "mariadb":
        return mysql(body);
      case "h2":
        return h2(body);
      case "sqlserver":
      case "jtds":
        return sqlServer(body);
      case "oracle":
        return oracle(body);
      default:
        return other(subprotocol, body);
    }
  }

  /** {@code //host[:port][,host2[:port2]][/db][?params]}; no {@code //}: the default host. */
  private static Target server(String body, int defaultPort, String defaultHost) {
    int slashes = body.indexOf("//");
    if (slashes < 0) {
      return Target.of(defaultHost, defaultPort);
    }
    String authority = body.substring(slashes + 2);
    int end = indexOfAny(authority, "/?;");
    if (end >= 0) {
      authority = authority.substring(0, end);
    }
    int comma = authority.indexOf(',');
    if (comma >= 0) {
      authority = authority.substring(0, comma);
    }
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      authority = authority.substring(at + 1);
    }
    return hostPort(authority, defaultPort, defaultHost);
  }

  /** MySQL and MariaDB: {@code mysql:[loadbalance:|replication:|...]//host:port}, or {@code address=(host=h)(port=p)}. */
  private static Target mysql(String body) {
    int slashes = body.indexOf("//");
    if (slashes >= 0) {
      String authority = body.substring(slashes + 2);
      if (authority.startsWith("address=") || authority.startsWith("(")) {
        String host = parameter(authority, "host");
        String port = parameter(authority, "port");
        return Target.of(host == null ? "localhost" : host, port == null ? 3306 : parsePort(port, 3306));
      }
    }
    return server(body, 3306, "localhost");
  }

  /** H2: {@code tcp://host:port/db}, {@code ssl://...}, or an embedded database ({@code mem:}, {@code file:}, a path). */
  private static Target h2(String body) {
    String lower = body.toLowerCase(Locale.ROOT);
    if (lower.startsWith("tcp:") || lower.startsWith("ssl:")) {
      return server(body, 9092, "localhost");
    }
    int semicolon = body.indexOf(';');
    String database = semicolon >= 0 ? body.substring(0, semicolon) : body;
    if (lower.startsWith("mem:")) {
      return Target.of(embeddedName(database.substring(4)) + ".h2-mem", 0);
    }
    if (lower.startsWith("file:")) {
      database = database.substring(5);
    } else if (lower.startsWith("split:") || lower.startsWith("nio:") || lower.startsWith("async:")) {
      database = database.substring(database.indexOf(':') + 1);
    }
    return Target.of(embeddedName(database) + ".h2-file", 0);
  }

  /** SQL Server: {@code //host[\instance][:port][;...]} or {@code //;serverName=h;portNumber=p}; default 1433. */
  private static Target sqlServer(String body) {
    int slashes = body.indexOf("//");
    if (slashes < 0) {
      return Target.of("localhost", 1433);
    }
    String rest = body.substring(slashes + 2);
    int semicolon = rest.indexOf(';');
    String authority = semicolon >= 0 ? rest.substring(0, semicolon) : rest;
    String properties = semicolon >= 0 ? rest.substring(semicolon) : "";
    int backslash = authority.indexOf('\\');
    String host = authority;
    int port = 1433;
    int colon = authority.lastIndexOf(':');
    if (colon >= 0 && authority.indexOf(']') < colon) {
      port = parsePort(authority.substring(colon + 1), 1433);
      host = authority.substring(0, colon);
    }
    if (backslash >= 0 && backslash < host.length()) {
      host = host.substring(0, backslash);
    }
    if (host.isEmpty()) {
      String named = property(properties, "serverName");
      host = named == null ? "localhost" : named;
    }
    String portNumber = property(properties, "portNumber");
    if (portNumber == null) {
      portNumber = property(properties, "port");
    }
    if (portNumber != null && colon < 0) {
      port = parsePort(portNumber, 1433);
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return Target.of(host, port);
  }

  /**
   * Oracle thin: {@code thin:@host:port:sid}, {@code thin:@//host:port/service}, {@code thin:@host:port/service},
   * {@code thin:user/password@...}, or a descriptor {@code @(DESCRIPTION=(ADDRESS=(HOST=h)(PORT=p))...)}; default 1521.
   */
  private static Target oracle(String body) {
    int at = body.indexOf('@');
    if (at < 0) {
      return Target.of("localhost", 1521);
    }
    String rest = body.substring(at + 1).trim();
    if (rest.startsWith("(")) {
      String host = parameter(rest, "host");
      String port = parameter(rest, "port");
      return Target.of(host == null ? "localhost" : host, port == null ? 1521 : parsePort(port, 1521));
    }
    if (rest.startsWith("//")) {
      rest = rest.substring(2);
    }
    int end = indexOfAny(rest, "/?");
    String authority = end >= 0 ? rest.substring(0, end) : rest;
    int comma = authority.indexOf(',');
    if (comma >= 0) {
      authority = authority.substring(0, comma);
    }
    // host:port:sid - the sid is the part after the second colon (outside an IPv6 bracket)
    int bracket = authority.indexOf(']');
    int first = authority.indexOf(':', Math.max(bracket, 0));
    if (first >= 0) {
      int second = authority.indexOf(':', first + 1);
      if (second >= 0) {
        authority = authority.substring(0, second);
      }
    }
    return hostPort(authority, 1521, "localhost");
  }

  private static Target other(String subprotocol, String body) {
    if (body.contains("//")) {
      return server(body, defaultPort(subprotocol), "localhost");
    }
    return Target.of(embeddedName(subprotocol) + ".local", 0);
  }

  private static int defaultPort(String subprotocol) {
    switch (subprotocol) {
      case "db2":
        return 50000;
      case "hsqldb":
        return 9001;
      case "derby":
        return 1527;
      case "redshift":
        return 5439;
      case "firebirdsql":
        return 3050;
      case "clickhouse":
      case "ch":
        return 8123;
      default:
        return 0;
    }
  }

  /** {@code host}, {@code host:port}, {@code [v6]}, {@code [v6]:port}. */
  private static Target hostPort(String authority, int defaultPort, String defaultHost) {
    String host = authority;
    int port = defaultPort;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close > 0) {
        host = authority.substring(1, close);
        if (authority.length() > close + 2 && authority.charAt(close + 1) == ':') {
          port = parsePort(authority.substring(close + 2), defaultPort);
        }
      }
    } else {
      int colon = authority.lastIndexOf(':');
      if (colon >= 0) {
        host = authority.substring(0, colon);
        port = parsePort(authority.substring(colon + 1), defaultPort);
      }
    }
    return Target.of(host.isEmpty() ? defaultHost : host, port);
  }

  /** A database name or path as a host label: its last path segment, lower case, letters, digits and '-'. */
  static String embeddedName(String database) {
    String name = database;
    int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
    if (slash >= 0) {
      name = name.substring(slash + 1);
    }
    StringBuilder label = new StringBuilder(name.length());
    for (char c : name.toLowerCase(Locale.ROOT).toCharArray()) {
      label.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ? c : '-');
    }
    return label.length() == 0 ? "unnamed" : label.toString();
  }

  private static int parsePort(String text, int defaultPort) {
    try {
      int port = Integer.parseInt(text.trim());
      return port > 0 && port <= 65535 ? port : defaultPort;
    } catch (NumberFormatException e) {
      return defaultPort;
    }
  }

  /** {@code (key=value)} in a descriptor, case-insensitive; null when absent. */
  private static String parameter(String descriptor, String key) {
    String lower = descriptor.toLowerCase(Locale.ROOT);
    int i = lower.indexOf("(" + key + "=");
    int start;
    if (i >= 0) {
      start = i + key.length() + 2;
    } else if (lower.startsWith(key + "=")) {
      start = key.length() + 1;
    } else {
      return null;
    }
    int end = indexOfAny(descriptor.substring(start), ")");
    String value = end >= 0 ? descriptor.substring(start, start + end) : descriptor.substring(start);
    return value.trim();
  }

  /** {@code ;key=value} in SQL Server's property list, case-insensitive; null when absent. */
  private static String property(String properties, String key) {
    for (String part : properties.split(";")) {
      int eq = part.indexOf('=');
      if (eq > 0 && part.substring(0, eq).trim().equalsIgnoreCase(key)) {
        return part.substring(eq + 1).trim();
      }
    }
    return null;
  }

  private static int indexOfAny(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }
}
