package dev.levee.smoke.apps;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * A web app on embedded Tomcat 10.1 ({@code jakarta.servlet}): {@link JakartaWebParts}' filter and servlet
 * at /call, one request thread. {@code --backend URL}; prints "listening PORT pid PID", then serves until
 * killed.
 */
public final class TomcatServletApp {

  private TomcatServletApp() {}

  public static void main(String[] args) throws Exception {
    Logger.getLogger("").setLevel(Level.WARNING);
    Path base = Files.createTempDirectory("tomcat-app");
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    connector.setProperty("maxThreads", "1");
    connector.setProperty("minSpareThreads", "1");
    tomcat.setConnector(connector);
    Context context = tomcat.addContext("", base.toString());
    Tomcat.addServlet(context, "call", new JakartaWebParts.CallingServlet(BackendCall.backendArgument(args)));
    context.addServletMappingDecoded("/call", "call");
    FilterDef filter = new FilterDef();
    filter.setFilterName("marking");
    filter.setFilter(new JakartaWebParts.MarkingFilter());
    context.addFilterDef(filter);
    FilterMap mapping = new FilterMap();
    mapping.setFilterName("marking");
    mapping.addURLPattern("/*");
    context.addFilterMap(mapping);
    tomcat.start();
    System.out.println("listening " + connector.getLocalPort() + " pid " + ProcessHandle.current().pid());
    System.out.flush();
    tomcat.getServer().await();
  }
}
