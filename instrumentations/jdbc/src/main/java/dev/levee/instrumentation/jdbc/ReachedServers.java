package dev.levee.instrumentation.jdbc;

import dev.levee.core.Target;
import dev.levee.instrumentation.api.LibraryMethods;
import java.sql.Connection;

/**
 * The server a connection made from a multi-host URL actually reached, as its driver tells through its own
 * public API (JDBC has none for it): PostgreSQL's {@code HostSpec}, MariaDB's {@code HostAddress}, MySQL
 * Connector/J's {@code host:port}. Null for other drivers, or when the driver does not say: the statement is
 * then keyed by the URL's servers as one group.
 */
final class ReachedServers {

  private ReachedServers() {}

  static Target of(Connection connection) {
    try {
      // a pool's proxy hands out its driver's connection
      Connection raw = connection.unwrap(Connection.class);
      String type = raw.getClass().getName();
      if (type.startsWith("org.postgresql.")) {
        Object hostSpec = LibraryMethods.invoke(LibraryMethods.invoke(raw, "getQueryExecutor"), "getHostSpec");
        return Target.of((String) LibraryMethods.invoke(hostSpec, "getHost"), (Integer) LibraryMethods.invoke(hostSpec, "getPort"));
      }
      if (type.startsWith("org.mariadb.jdbc.")) {
        Object address = LibraryMethods.invoke(LibraryMethods.invoke(raw, "getClient"), "getHostAddress");
        return Target.of((String) address.getClass().getField("host").get(address), address.getClass().getField("port").getInt(address));
      }
      if (type.startsWith("com.mysql.cj.")) {
        String hostPort = (String) LibraryMethods.invoke(raw, "getHostPortPair");
        int colon = hostPort.lastIndexOf(':');
        return Target.of(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
      }
      return null;
    } catch (Throwable e) {
      return null;
    }
  }
}
