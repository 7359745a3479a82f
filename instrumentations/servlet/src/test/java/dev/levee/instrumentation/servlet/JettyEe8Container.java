package dev.levee.instrumentation.servlet;

import javax.servlet.DispatcherType;
import java.util.EnumSet;
import org.eclipse.jetty.ee8.servlet.FilterHolder;
import org.eclipse.jetty.ee8.servlet.ServletContextHandler;
import org.eclipse.jetty.ee8.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** Jetty 12, ee8 environment ({@code javax.servlet} 4, the nested ee8 handlers). */
final class JettyEe8Container implements ServletContainer {

  private final Server server = new Server();
  private final ServerConnector connector = new ServerConnector(server);

  JettyEe8Container() throws Exception {
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    for (String path : new String[] {"/app", "/inner"}) {
      ServletHolder holder = new ServletHolder(new JavaxProbes.ProbeServlet(path));
      holder.setAsyncSupported(true);
      context.addServlet(holder, path);
    }
    FilterHolder filter = new FilterHolder(new JavaxProbes.ProbeFilter());
    filter.setAsyncSupported(true);
    context.addFilter(filter, "/app", EnumSet.of(DispatcherType.REQUEST));
    server.setHandler(context);
    server.start();
  }

  @Override
  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }

  @Override
  public String toString() {
    return "Jetty 12 ee8";
  }
}
