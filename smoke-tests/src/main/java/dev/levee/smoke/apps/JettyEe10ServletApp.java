package dev.levee.smoke.apps;

import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A web app on Jetty 12, ee10 ({@code jakarta.servlet}): {@link JakartaWebParts}' filter and servlet at
 * /call, a small thread pool. {@code --backend URL}; prints "listening PORT pid PID", then serves until
 * killed.
 */
public final class JettyEe10ServletApp {

  private JettyEe10ServletApp() {}

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
    context.addServlet(new ServletHolder(new JakartaWebParts.CallingServlet(backend)), "/call");
    context.addFilter(new FilterHolder(new JakartaWebParts.MarkingFilter()), "/*", EnumSet.of(DispatcherType.REQUEST));
    server.setHandler(context);
    server.start();
    System.out.println("listening " + connector.getLocalPort() + " pid " + ProcessHandle.current().pid());
    System.out.flush();
    server.join();
  }
}
