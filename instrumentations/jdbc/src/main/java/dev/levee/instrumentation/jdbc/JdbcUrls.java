package dev.levee.instrumentation.jdbc;

import dev.levee.core.Target;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The servers ({@code host:port}) a JDBC URL names, with the driver's default port filled in, and the
 * target a connect to it is keyed by: its one server, or, for a multi-host URL (failover, load balancing),
 * all of them as one {@linkplain Target#group group}.
 *
 * <p>Nothing but hosts and ports ever leaves here: a URL may carry credentials in several places (MySQL's
 * {@code user:password@host} and {@code (host=h,password=p)}, Oracle's {@code scott/"p@ss"@host}, SQL
 * Server's {@code ;password=}, query parameters), and a target is printed in exceptions and on stderr. Each
 * driver's documented forms are read by its own rules, and a host that is not a plain host name or IP
 * address after that (a form Levee misread) gives the placeholder {@code <subprotocol>.unparsed:0} instead.
 *
 * <p>An embedded database has no server: it is a target of its own, keyed by its name with port 0, so
 * host rules can name it: {@code jdbc:h2:mem:orders} is {@code orders.h2-mem:0},
 * {@code jdbc:h2:./data/orders} (or {@code file:}) is {@code orders.h2-file:0}; a URL of another driver
 * without a {@code //host} part ({@code jdbc:sqlite:app.db}) is {@code <subprotocol>.local:0}.
 */
public final class JdbcUrls {

  private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9_.-]+");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]*:[0-9a-f:.]*(%[a-z0-9_.-]+)?");
  /** What may come before the {@code //} of a server URL: {@code loadbalance:}, {@code tcp:}, {@code hsql:}. */
  private static final Pattern SCHEME_PREFIX = Pattern.compile("[A-Za-z0-9+.:-]*");
  private static final Pattern ORACLE_ADDRESS = Pattern.compile("\\(\\s*ADDRESS\\s*=", Pattern.CASE_INSENSITIVE);
  private static final Pattern ORACLE_HOST = Pattern.compile("\\(\\s*HOST\\s*=\\s*([^)\\s]*)\\s*\\)", Pattern.CASE_INSENSITIVE);
  private static final Pattern ORACLE_PORT = Pattern.compile("\\(\\s*PORT\\s*=\\s*([^)\\s]*)\\s*\\)", Pattern.CASE_INSENSITIVE);

  private JdbcUrls() {}

  /** What a connect to {@code url} is keyed by, or null for a string that is not a JDBC URL. */
  public static Target target(String url) {
    List<Target> servers = servers(url);
    return servers == null ? null : Target.group(servers);
  }

  /** The servers {@code url} names, in its order (at least one), or null for a string that is not a JDBC URL. */
  static List<Target> servers(String url) {
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
    List<Target> servers;
    try {
      servers = parse(subprotocol, body);
    } catch (IllegalArgumentException ambiguous) {
      return unparsed(subprotocol);
    }
    for (Target server : servers) {
      if (!isPlainHost(server.host())) {
        return unparsed(subprotocol);
      }
    }
    return servers;
  }

  /** A URL whose hosts Levee cannot tell apart from what else it holds: keyed by its driver alone, never by its text. */
  private static List<Target> unparsed(String subprotocol) {
    return Collections.singletonList(Target.of(embeddedName(subprotocol) + ".unparsed", 0));
  }

  private static List<Target> parse(String subprotocol, String body) {
    switch (subprotocol) {
      case "postgresql":
      case "pgsql":
        return serverList(body, 5432);
      case "mysql":
      case "mysql+srv":
      case "mariadb":
        return serverList(body, 3306);
      case "h2":
        return h2(body);
      case "sqlserver":
        return sqlServer(body);
      case "jtds":
        return serverList(body, body.regionMatches(true, 0, "sybase:", 0, 7) ? 7100 : 1433);
      case "oracle":
        return oracle(body);
      default:
        return other(subprotocol, body);
    }
  }

  private static boolean isPlainHost(String host) {
    return HOST_NAME.matcher(host).matches() || IPV6.matcher(host).matches();
  }

  /**
   * {@code [prefix:]//hosts[/db][?params]}, hosts being what PostgreSQL, MySQL, MariaDB and most drivers write:
   * {@code host[:port]} separated by commas, each possibly with {@code user:password@} before it (MySQL), or
   * MySQL's {@code address=(host=h)(port=p)...}, {@code (host=h,port=p,...)} and {@code [list]}. No
   * {@code //}: the default host ({@code jdbc:postgresql:db}).
   */
  private static List<Target> serverList(String body, int defaultPort) {
    String hosts = authority(body);
    if (hosts == null) {
      return Collections.singletonList(Target.of("localhost", defaultPort));
    }
    List<Target> servers = new ArrayList<>();
    addServers(hosts, defaultPort, servers);
    return servers;
  }

  /**
   * The part between {@code //} and the first {@code /}, {@code ?}, {@code #} or {@code ;} outside
   * parentheses and brackets, or null when the body has no {@code //} where a server URL has it: a
   * {@code //} inside a parameter's value is not one.
   *
   * @throws IllegalArgumentException when an {@code @} follows in the path: a password with an unencoded
   *     {@code /} ({@code user:pa/ss@host}), so where the hosts end cannot be told
   */
  private static String authority(String body) {
    int slashes = body.indexOf("//");
    if (slashes < 0 || !SCHEME_PREFIX.matcher(body.substring(0, slashes)).matches()) {
      return null;
    }
    String rest = body.substring(slashes + 2);
    int end = indexOfOutside(rest, "/?#;", 0);
    if (end < 0) {
      return rest;
    }
    if (rest.charAt(end) == '/') {
      int pathEnd = indexOfOutside(rest, "?#;", end);
      if (rest.substring(end, pathEnd >= 0 ? pathEnd : rest.length()).indexOf('@') >= 0) {
        throw new IllegalArgumentException("an @ in the path");
      }
    }
    return rest.substring(0, end);
  }

  private static void addServers(String hosts, int defaultPort, List<Target> servers) {
    for (String item : splitOutside(hosts, ',')) {
      // user:password@ in front of a host, or of a [list] it shares with every host in it
      int at = lastIndexOfOutside(item, '@');
      String host = item.substring(at + 1).trim();
      String lower = host.toLowerCase(Locale.ROOT);
      if (lower.startsWith("address=") || host.startsWith("(")) {
        servers.add(keyValueServer(host, defaultPort));
      } else if (host.startsWith("[") && host.endsWith("]") && !isIpv6Literal(host.substring(1, host.length() - 1))) {
        addServers(host.substring(1, host.length() - 1), defaultPort, servers);
      } else if (!host.isEmpty() || servers.isEmpty()) {
        servers.add(hostPort(host, defaultPort));
      }
    }
    if (servers.isEmpty()) {
      servers.add(Target.of("localhost", defaultPort));
    }
  }

  private static boolean isIpv6Literal(String s) {
    return s.indexOf(':') != s.lastIndexOf(':') && s.indexOf(',') < 0 && s.indexOf('=') < 0 && s.indexOf('(') < 0;
  }

  /** MySQL's {@code address=(host=h)(port=p)(key=value)} and {@code (host=h,port=p,key=value)}: only host and port are read. */
  private static Target keyValueServer(String spec, int defaultPort) {
    String host = "localhost";
    int port = defaultPort;
    for (String part : spec.split("[(),]")) {
      int eq = part.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = part.substring(0, eq).trim();
      String value = part.substring(eq + 1).trim();
      if (key.equalsIgnoreCase("host")) {
        host = value;
      } else if (key.equalsIgnoreCase("port")) {
        port = parsePort(value, defaultPort);
      }
    }
    return Target.of(host, port);
  }

  /** H2: {@code tcp://host:port/db}, {@code ssl://...} (a cluster lists several), or an embedded database ({@code mem:}, {@code file:}, a path). */
  private static List<Target> h2(String body) {
    String lower = body.toLowerCase(Locale.ROOT);
    if (lower.startsWith("tcp:") || lower.startsWith("ssl:")) {
      return serverList(body, 9092);
    }
    int semicolon = body.indexOf(';');
    String database = semicolon >= 0 ? body.substring(0, semicolon) : body;
    if (lower.startsWith("mem:")) {
      return Collections.singletonList(Target.of(embeddedName(database.substring(4)) + ".h2-mem", 0));
    }
    if (lower.startsWith("file:")) {
      database = database.substring(5);
    } else if (lower.startsWith("split:") || lower.startsWith("nio:") || lower.startsWith("async:")) {
      database = database.substring(database.indexOf(':') + 1);
    }
    return Collections.singletonList(Target.of(embeddedName(database) + ".h2-file", 0));
  }

  /**
   * SQL Server: {@code //host[\instance][:port][;property=value...]} or {@code //;serverName=h;portNumber=p};
   * default 1433. A property's value may be in braces ({@code password={a;b}}), semicolons and all.
   */
  private static List<Target> sqlServer(String body) {
    String authority = authority(body);
    if (authority == null) {
      return Collections.singletonList(Target.of("localhost", 1433));
    }
    String properties = body.substring(body.indexOf("//") + 2 + authority.length());
    String host = authority;
    int port = -1;
    int colon = authority.lastIndexOf(':');
    if (colon >= 0 && authority.indexOf(']') < colon) {
      port = parsePort(authority.substring(colon + 1), 1433);
      host = authority.substring(0, colon);
    }
    if (host.isEmpty()) {
      String named = property(properties, "serverName");
      host = named == null ? "localhost" : named;
    }
    if (host.indexOf('\\') >= 0) {
      host = host.substring(0, host.indexOf('\\'));
    }
    if (port < 0) {
      String portNumber = property(properties, "portNumber");
      if (portNumber == null) {
        portNumber = property(properties, "port");
      }
      port = portNumber == null ? 1433 : parsePort(portNumber, 1433);
    }
    return Collections.singletonList(Target.of(host, port));
  }

  /** {@code ;key=value} in SQL Server's property list, case-insensitive, braces respected; null when absent. */
  private static String property(String properties, String key) {
    for (String part : splitOutside(properties, ';')) {
      int eq = part.indexOf('=');
      if (eq > 0 && part.substring(0, eq).trim().equalsIgnoreCase(key)) {
        return part.substring(eq + 1).trim();
      }
    }
    return null;
  }

  /**
   * Oracle thin: {@code thin:[user/password]@} and then a descriptor {@code (DESCRIPTION=(ADDRESS=(HOST=h)(PORT=p))...)}
   * (each ADDRESS a server), or EZConnect {@code [//][tcps://]host[:port][,host2[:port2]][:sid][/service][?params]}
   * (a port applies to the hosts before it that have none), or a TNS alias; default port 1521. The password
   * may be in double quotes, {@code @} and all: the {@code @} that begins the descriptor is the first outside quotes.
   */
  private static List<Target> oracle(String body) {
    int at = indexOfOutsideQuotes(body, '@');
    if (at < 0) {
      return Collections.singletonList(Target.of("localhost", 1521));
    }
    String rest = body.substring(at + 1).trim();
    if (rest.startsWith("(")) {
      return oracleDescriptor(rest);
    }
    if (rest.startsWith("//")) {
      rest = rest.substring(2);
    }
    int scheme = rest.indexOf("://");
    if (scheme > 0 && SCHEME_PREFIX.matcher(rest.substring(0, scheme)).matches()) {
      rest = rest.substring(scheme + 3);
    }
    int end = indexOfOutside(rest, "/?", 0);
    String authority = end >= 0 ? rest.substring(0, end) : rest;
    List<String> hosts = new ArrayList<>();
    List<Integer> ports = new ArrayList<>();
    for (String item : splitOutside(authority, ',')) {
      String host = item.trim();
      int port = -1;
      int bracket = host.indexOf(']');
      int first = host.indexOf(':', Math.max(bracket, 0));
      if (first >= 0) {
        // host:port, or host:port:sid
        int second = host.indexOf(':', first + 1);
        port = parsePort(host.substring(first + 1, second >= 0 ? second : host.length()), 1521);
        host = host.substring(0, first);
      }
      hosts.add(host);
      ports.add(port);
    }
    List<Target> servers = new ArrayList<>();
    int port = 1521;
    for (int i = hosts.size() - 1; i >= 0; i--) {
      port = ports.get(i) >= 0 ? ports.get(i) : (i == hosts.size() - 1 ? 1521 : port);
      servers.add(0, Target.of(hosts.get(i).isEmpty() ? "localhost" : hosts.get(i), port));
    }
    return servers;
  }

  /** Every {@code (ADDRESS=...(HOST=h)(PORT=p))} of a descriptor, in order; none: its HOST and PORT, if any. */
  private static List<Target> oracleDescriptor(String descriptor) {
    List<Target> servers = new ArrayList<>();
    // with ADDRESS entries, the text before the first is the descriptor's head; without, all of it is one
    String[] addresses = ORACLE_ADDRESS.split(descriptor);
    for (int i = addresses.length > 1 ? 1 : 0; i < addresses.length; i++) {
      Matcher host = ORACLE_HOST.matcher(addresses[i]);
      if (host.find()) {
        Matcher port = ORACLE_PORT.matcher(addresses[i]);
        servers.add(Target.of(host.group(1), port.find() ? parsePort(port.group(1), 1521) : 1521));
      }
    }
    if (servers.isEmpty()) {
      servers.add(Target.of("localhost", 1521));
    }
    return servers;
  }

  private static List<Target> other(String subprotocol, String body) {
    if (authority(body) != null) {
      return serverList(body, defaultPort(subprotocol));
    }
    return Collections.singletonList(Target.of(embeddedName(subprotocol) + ".local", 0));
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

  /** {@code host}, {@code host:port}, {@code [v6]}, {@code [v6]:port}; an empty host is {@code localhost}. */
  private static Target hostPort(String authority, int defaultPort) {
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
    return Target.of(host.isEmpty() ? "localhost" : host, port);
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
    String digits = text.trim();
    if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return defaultPort;
    }
    int port = Integer.parseInt(digits);
    return port > 0 && port <= 65535 ? port : defaultPort;
  }

  /** The first of {@code chars} at or after {@code from} outside (), [] and {}, or -1. */
  private static int indexOfOutside(String s, String chars, int from) {
    int depth = 0;
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
        depth--;
      } else if (depth == 0 && chars.indexOf(c) >= 0) {
        return i;
      }
    }
    return -1;
  }

  private static int lastIndexOfOutside(String s, char wanted) {
    int last = -1;
    int i = indexOfOutside(s, String.valueOf(wanted), 0);
    while (i >= 0) {
      last = i;
      i = indexOfOutside(s, String.valueOf(wanted), i + 1);
    }
    return last;
  }

  private static List<String> splitOutside(String s, char separator) {
    List<String> parts = new ArrayList<>();
    int start = 0;
    int i = indexOfOutside(s, String.valueOf(separator), 0);
    while (i >= 0) {
      parts.add(s.substring(start, i));
      start = i + 1;
      i = indexOfOutside(s, String.valueOf(separator), start);
    }
    parts.add(s.substring(start));
    return parts;
  }

  private static int indexOfOutsideQuotes(String s, char wanted) {
    boolean quoted = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == wanted && !quoted) {
        return i;
      }
    }
    return -1;
  }
}
