package dev.levee.smoke.apps;

import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;

/**
 * An ordinary service with a HikariCP pool, served by the JDK's HttpServer. It knows nothing of Levee.
 *
 * <pre>
 *   --url URL --user U --pool-size N     (default 2; the pool keeps N connections open)
 * </pre>
 *
 * {@code GET /query} takes a connection and runs {@code SELECT 1} (200 "ok", or 500 with the exception);
 * {@code GET /pool} answers {@code total=N idle=N}. Prints {@code READY port=N} once the pool is full.
 */
public final class PooledService {

  private PooledService() {}

  public static void main(String[] argv) throws Exception {
    String url = null;
    String user = null;
    int size = 2;
    for (int i = 0; i < argv.length; i++) {
      switch (argv[i]) {
        case "--url": url = argv[++i]; break;
        case "--user": user = argv[++i]; break;
        case "--pool-size": size = Integer.parseInt(argv[++i]); break;
        default:
          System.err.println("usage error: unknown argument " + argv[i]);
          System.exit(2);
      }
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(size);
    HikariDataSource pool = new HikariDataSource(config);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/query", exchange -> {
      try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
        s.executeQuery("SELECT 1").close();
        ExchangeReplies.reply(exchange, 200, "ok");
      } catch (SQLException e) {
        ExchangeReplies.reply(exchange, 500, e.getClass().getName() + ": " + e.getMessage());
      }
    });
    server.createContext("/pool", exchange -> ExchangeReplies.reply(exchange, 200,
        "total=" + pool.getHikariPoolMXBean().getTotalConnections() + " idle=" + pool.getHikariPoolMXBean().getIdleConnections()));
    server.start();
    while (pool.getHikariPoolMXBean().getTotalConnections() < size) {
      Thread.sleep(20);
    }
    System.out.println("READY port=" + server.getAddress().getPort());
    System.out.flush();
  }
}
