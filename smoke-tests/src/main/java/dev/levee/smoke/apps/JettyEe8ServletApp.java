package dev.levee.smoke.apps;

import javax.servlet.DispatcherType;
import java.util.EnumSet;
import org.eclipse.jetty.ee8.servlet.FilterHolder;
import org.eclipse.jetty.ee8.servlet.ServletContextHandler;
import org.eclipse.jetty.ee8.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A web app on Jetty 12, ee8 ({@code javax.servlet}): {@link JavaxWebParts}' filter and servlet at
 * /call, a small thread pool. {@code --backend URL}; prints "listening PORT pid PID", then serves until
 * killed.
 */
public final class JettyEe8ServletApp {

  private JettyEe8ServletApp() {}

  public static void main(String[] args) throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(4, 1);
    threads.setReservedThreads(0);
    Server server = new Server(threads);
    ServerConnector connector = new ServerConnector(server, 1, 1);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    String backend = BackendCall.backendArgument(args);
    context.addServlet(new ServletHolder(new JavaxWebParts.CallingServlet(backend)), "/call");
    context.addFilter(new FilterHolder(new JavaxWebParts.MarkingFilter()), "/*", EnumSet.of(DispatcherType.REQUEST));
    server.setHandler(context);
    server.start();
    System.out.println("listening " + connector.getLocalPort() + " pid " + ProcessHandle.current().pid());
    System.out.flush();
    server.join();
  }
}
