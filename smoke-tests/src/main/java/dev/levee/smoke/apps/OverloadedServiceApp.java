package dev.levee.smoke.apps;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * The example service, unmodified: a JDK HttpServer with 16 worker threads and the JDK's unbounded
 * queue ({@code Executors.newFixedThreadPool(16)}), 200 ms of work per request at {@code /work}, and a cheap
 * {@code /health}; beside it the same work as a servlet on embedded Tomcat at {@code /tomcat/work}, and as an async
 * servlet at {@code /tomcat/async} (its 200 ms end on another thread, which completes the request). Each
 * counts how many of its handlers run at once; {@code /stats} (JDK server) reports the highest count and the
 * requests handled. Prints "listening JDKPORT TOMCATPORT", then serves until killed.
 */
public final class OverloadedServiceApp {

  static final long WORK_MILLIS = 200;

  private OverloadedServiceApp() {}

  /** Handlers running now, the most ever at once, and requests handled. */
  static final class Count {
    final AtomicInteger now = new AtomicInteger();
    final AtomicInteger most = new AtomicInteger();
    final AtomicInteger handled = new AtomicInteger();

    void work() throws InterruptedException {
      int running = now.incrementAndGet();
      most.accumulateAndGet(running, Math::max);
      try {
        Thread.sleep(WORK_MILLIS);
      } finally {
        now.decrementAndGet();
        handled.incrementAndGet();
      }
    }

    @Override
    public String toString() {
      return "most=" + most.get() + " handled=" + handled.get();
    }
  }

  static final Count JDK = new Count();
  static final Count TOMCAT = new Count();
  static final Count ASYNC = new Count();
  static final ScheduledExecutorService LATER = Executors.newScheduledThreadPool(2);
  static final AtomicInteger HEALTH = new AtomicInteger();

  public static void main(String[] args) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
    server.setExecutor(Executors.newFixedThreadPool(16));
    server.createContext("/work", exchange -> {
      try {
        JDK.work();
        reply(exchange, 200, "done");
      } catch (InterruptedException e) {
        reply(exchange, 500, "interrupted");
      }
    });
    server.createContext("/limited", exchange -> reply(exchange, 200, "done"));
    server.createContext("/health", exchange -> {
      HEALTH.incrementAndGet();
      reply(exchange, 200, "ok");
    });
    server.createContext("/stats", exchange -> reply(exchange, 200,
        "jdk " + JDK + " tomcat " + TOMCAT + " async " + ASYNC + " health=" + HEALTH.get()));
    server.start();

    Logger.getLogger("").setLevel(Level.WARNING);
    Path base = Files.createTempDirectory("tomcat-overloaded");
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.setConnector(connector);
    Context context = tomcat.addContext("/tomcat", base.toString());
    Tomcat.addServlet(context, "work", new WorkServlet());
    context.addServletMappingDecoded("/work", "work");
    Tomcat.addServlet(context, "async", new AsyncWorkServlet()).setAsyncSupported(true);
    context.addServletMappingDecoded("/async", "async");
    tomcat.start();

    System.out.println("listening " + server.getAddress().getPort() + " " + connector.getLocalPort());
    System.out.flush();
    tomcat.getServer().await();
  }

  static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** 200 ms of work, counted. */
  public static final class WorkServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
      try {
        TOMCAT.work();
        res.setContentType("text/plain");
        res.getWriter().write("done");
      } catch (InterruptedException e) {
        res.setStatus(500);
      }
    }
  }

  /** 200 ms of work that ends on another thread: the container thread returns at once. */
  public static final class AsyncWorkServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) {
      AsyncContext async = req.startAsync();
      async.setTimeout(10_000);
      int running = ASYNC.now.incrementAndGet();
      ASYNC.most.accumulateAndGet(running, Math::max);
      LATER.schedule(() -> {
        ASYNC.now.decrementAndGet();
        ASYNC.handled.incrementAndGet();
        try {
          res.setContentType("text/plain");
          res.getWriter().write("done");
        } catch (IOException e) {
          res.setStatus(500);
        }
        async.complete();
      }, WORK_MILLIS, TimeUnit.MILLISECONDS);
    }
  }
}
