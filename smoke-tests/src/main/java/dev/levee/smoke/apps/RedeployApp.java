package dev.levee.smoke.apps;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * Deploys {@link RedeployWebApp} on embedded Tomcat 10.1, calls it once (it makes an outgoing call through
 * Levee from the web app's request thread) and undeploys it, {@code --rounds N} times; then drops every
 * reference, collects, and prints {@code LEAKED n of N}: how many of the web apps' class loaders are still
 * reachable, with, for each, the threads whose context class loader it is. {@code --backend URL}, and
 * {@code --jdbc URL} for a statement too (its driver on this JVM's class path, as a container's is).
 *
 * <p>What this app does not do itself is left to the web app: the calls to Tomcat use
 * {@code HttpURLConnection} (whose instrumentation the test switches off), and the web app's HttpClient is
 * made here, on threads of this app's own, so the first of Levee's threads is made on a web app's request
 * thread.
 */
public final class RedeployApp {

  private RedeployApp() {}

  public static void main(String[] args) throws Exception {
    Logger.getLogger("").setLevel(Level.WARNING); // Tomcat's leak warnings (clearReferencesThreads) stay
    String backend = BackendCall.backendArgument(args);
    int rounds = Integer.parseInt(argument(args, "--rounds", "50"));
    String jdbc = argument(args, "--jdbc", null);
    if (jdbc != null) {
      warmUpH2(jdbc);
    }
    Path base = Files.createTempDirectory("redeploy");
    // the JDK client's default executor makes its threads on the first caller and keeps its context class
    // loader (the JDK's leak, not Levee's): threads made here, now
    ThreadPoolExecutor clientThreads = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
    clientThreads.prestartAllCoreThreads();
    HttpClient client = HttpClient.newBuilder().executor(clientThreads).connectTimeout(Duration.ofSeconds(5)).build();

    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(base.resolve("tomcat").toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.setConnector(connector);
    tomcat.getHost();
    tomcat.start();

    List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
    int served = 0;
    for (int i = 0; i < rounds; i++) {
      Path docBase = webApp(base.resolve("app" + i));
      Context context = tomcat.addContext("/app" + i, docBase.toString());
      Tomcat.addServlet(context, "call", RedeployWebApp.class.getName()); // by name: the web app's loader loads it
      context.addServletMappingDecoded("/call", "call");
      context.getServletContext().setAttribute(RedeployWebApp.CLIENT, client);
      context.getServletContext().setAttribute(RedeployWebApp.BACKEND, backend);
      if (jdbc != null) {
        context.getServletContext().setAttribute(RedeployWebApp.JDBC, jdbc);
      }
      loaders.add(new WeakReference<>(context.getLoader().getClassLoader()));
      String body = get("http://127.0.0.1:" + connector.getLocalPort() + "/app" + i + "/call");
      if (body.startsWith("200 backend=200") && body.contains("loader=ParallelWebappClassLoader")) {
        served++;
      } else {
        System.out.println("ROUND " + i + " " + body);
      }
      tomcat.getHost().removeChild(context);
    }
    System.out.println("SERVED " + served + " of " + rounds);

    int leaked = rounds;
    for (int gc = 0; gc < 10 && leaked > 0; gc++) {
      System.gc();
      Thread.sleep(100); // lets reference processing catch up; the count, not the wait, is asserted
      leaked = 0;
      for (WeakReference<ClassLoader> loader : loaders) {
        leaked += loader.get() == null ? 0 : 1;
      }
    }
    System.out.println("LEAKED " + leaked + " of " + rounds);
    for (int i = 0; i < loaders.size(); i++) {
      ClassLoader loader = loaders.get(i).get();
      if (loader != null) {
        System.out.println("LEAKED app" + i + " context class loader of " + threadsOf(loader));
      }
    }
    System.out.flush();
    tomcat.stop();
    tomcat.destroy();
    clientThreads.shutdownNow();
    try (Stream<Path> files = Files.walk(base)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
    System.exit(0);
  }

  /**
   * Lets the JDK and H2 do here, with this app's context class loader, what they do once per JVM and keep:
   * DriverManager loads the drivers it finds through its first caller's context class loader, and H2's
   * first database pins its first caller's class loader (a web app's: the one leak this test sees without
   * Levee). A container's JreMemoryLeakPreventionListener does the same for the JDK. Through H2's own
   * DataSource, whose connect Levee does not hook: none of Levee's threads is made here.
   */
  private static void warmUpH2(String jdbc) throws Exception {
    DriverManager.getDrivers();
    DataSource h2 = (DataSource) Class.forName("org.h2.jdbcx.JdbcDataSource").getDeclaredConstructor().newInstance();
    h2.getClass().getMethod("setURL", String.class).invoke(h2, jdbc);
    h2.getConnection("sa", "").close();
  }

  /** A web app folder with this JVM's copy of {@link RedeployWebApp}'s class file in WEB-INF/classes. */
  private static Path webApp(Path dir) throws IOException {
    String file = RedeployWebApp.class.getName().replace('.', '/') + ".class";
    Path target = dir.resolve("WEB-INF/classes").resolve(file);
    Files.createDirectories(target.getParent());
    try (InputStream in = RedeployApp.class.getClassLoader().getResourceAsStream(file)) {
      Files.copy(in, target);
    }
    return dir;
  }

  private static List<String> threadsOf(ClassLoader loader) {
    List<String> names = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getContextClassLoader() == loader) {
        names.add(t.getName());
      }
    }
    return names;
  }

  /** GET with HttpURLConnection: "STATUS BODY". */
  private static String get(String url) throws IOException {
    HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
    c.setConnectTimeout(5_000);
    c.setReadTimeout(15_000);
    int status = c.getResponseCode();
    try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      if (in != null) {
        in.transferTo(body);
      }
      return status + " " + body.toString(StandardCharsets.UTF_8);
    }
  }

  private static String argument(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }
}
