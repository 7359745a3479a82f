package dev.levee.instrumentation.servlet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/** Embedded Tomcat 10.1 ({@code jakarta.servlet}); requests reach the app through {@code ApplicationFilterChain}. */
final class TomcatContainer implements ServletContainer {

  private static final Logger TOMCAT_LOG = Logger.getLogger("org.apache");

  private final Tomcat tomcat = new Tomcat();
  private final Connector connector;

  TomcatContainer() throws Exception {
    TOMCAT_LOG.setLevel(Level.OFF);
    Path base = Files.createTempDirectory("levee-tomcat");
    tomcat.setBaseDir(base.toString());
    connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.setConnector(connector);
    Context context = tomcat.addContext("", base.toString());
    servlet(context, "app", "/app");
    servlet(context, "inner", "/inner");
    FilterDef filter = new FilterDef();
    filter.setFilterName("probe");
    filter.setFilter(new JakartaProbes.ProbeFilter());
    filter.setAsyncSupported("true");
    context.addFilterDef(filter);
    FilterMap mapping = new FilterMap();
    mapping.setFilterName("probe");
    mapping.addURLPattern("/app");
    context.addFilterMap(mapping);
    tomcat.start();
  }

  private static void servlet(Context context, String name, String path) {
    Wrapper wrapper = Tomcat.addServlet(context, name, new JakartaProbes.ProbeServlet(path));
    wrapper.setAsyncSupported(true);
    context.addServletMappingDecoded(path, name);
  }

  @Override
  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() throws Exception {
    tomcat.stop();
    tomcat.destroy();
  }

  @Override
  public String toString() {
    return "Tomcat 10.1";
  }
}
