package dev.levee.smoke.apps;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The web app {@link RedeployApp} deploys again and again. {@link RedeployApp} copies this class file into
 * the web app's {@code WEB-INF/classes}, so each deploy loads it in a class loader of its own (Tomcat's
 * {@code WebappClassLoader}). GET: when {@code redeploy.jdbc} is set, a connect and one statement on an
 * embedded H2 database, then one outgoing call of the JDK HttpClient the container hands over (a client of
 * the web app's own would keep its own threads); the body names the class loader the servlet ran in.
 *
 * <p>While the request runs, the web app has a value in an inheritable thread-local, as an MDC does; it is
 * removed before the request ends, so only a thread made during the request can still hold it.
 */
public final class RedeployWebApp extends HttpServlet {

  private static final long serialVersionUID = 1L;

  /** The servlet context attribute holding the shared {@code HttpClient}. */
  public static final String CLIENT = "redeploy.client";
  /** The servlet context attribute holding the backend's URL. */
  public static final String BACKEND = "redeploy.backend";
  /** The servlet context attribute holding a JDBC URL, when the web app should also run a statement. */
  public static final String JDBC = "redeploy.jdbc";

  private static final InheritableThreadLocal<Object> REQUEST = new InheritableThreadLocal<>();

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
    REQUEST.set(this);
    String outcome;
    try {
      // the statement first: Levee arms its cancel on this thread, so the first deploy's makes levee-timer
      String jdbc = (String) getServletContext().getAttribute(JDBC);
      String selected = jdbc == null ? "" : " jdbc=" + select(jdbc);
      HttpClient client = (HttpClient) getServletContext().getAttribute(CLIENT);
      String backend = (String) getServletContext().getAttribute(BACKEND);
      HttpResponse<String> response = client.send(
          HttpRequest.newBuilder(URI.create(backend)).build(), HttpResponse.BodyHandlers.ofString());
      outcome = "backend=" + response.statusCode() + selected;
    } catch (Exception e) {
      outcome = "error=" + e;
    } finally {
      REQUEST.remove();
    }
    res.setStatus(outcome.startsWith("backend=200") ? 200 : 502);
    res.setContentType("text/plain");
    res.getWriter().write(outcome + " loader=" + getClass().getClassLoader().getClass().getSimpleName());
  }

  private static int select(String url) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT 1")) {
      r.next();
      return r.getInt(1);
    }
  }
}
