package dev.levee.smoke.apps;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * An ordinary web app's parts on the {@code jakarta.servlet} API: a filter in front of a servlet that
 * calls a backend.
 */
public final class JakartaWebParts {

  private JakartaWebParts() {}

  /** GET /call?id=ID: one GET of the backend, then the outcome as the body ({@link BackendCall}). */
  public static final class CallingServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final String backend;

    public CallingServlet(String backend) {
      this.backend = backend;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
      String outcome = BackendCall.call(backend, req.getParameter("id"));
      res.setStatus(outcome.contains("backend=200") ? 200 : 502);
      res.setContentType("text/plain");
      res.getWriter().write(outcome);
    }
  }

  /** Marks each response it passes ({@code X-Filtered: yes}), as an app's logging or security filter would act. */
  public static final class MarkingFilter implements Filter {
    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
        throws IOException, ServletException {
      ((HttpServletResponse) res).setHeader("X-Filtered", "yes");
      chain.doFilter(req, res);
    }
  }
}
