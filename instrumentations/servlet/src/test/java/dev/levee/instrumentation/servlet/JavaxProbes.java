package dev.levee.instrumentation.servlet;

import javax.servlet.AsyncContext;
import javax.servlet.DispatcherType;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import dev.levee.core.deadline.CurrentDeadline;
import java.io.IOException;

/** A filter and a servlet of the {@code javax.servlet} API, scoped as Levee weaves them. */
final class JavaxProbes {

  static final String API = "javax.servlet";

  private JavaxProbes() {}

  /** In front of {@code /app}, for REQUEST dispatches only (the default). */
  public static final class ProbeFilter implements Filter {
    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) {
      String id = req.getParameter("id");
      Probe.aroundOutermost(id, () -> Probe.woven(ServletInstrumentation.doFilter(API).site(), this,
          new Object[] {req, res, chain}, () -> {
            Probe.record(id, "filter", CurrentDeadline.get());
            chain.doFilter(req, res);
          }));
    }
  }

  /**
   * Mapped at {@code /app} and at {@code /inner}: records the deadline its {@code doGet} sees under its
   * path, and on {@code /app} goes on as {@code then} says: {@code forward} or {@code include} to
   * {@code /inner}, {@code async} (an async dispatch to {@code /inner}), {@code throw}.
   */
  public static final class ProbeServlet extends HttpServlet {
    private final String path;

    /** @param path where it is mapped ({@code getServletPath} of an included request is the includer's) */
    public ProbeServlet(String path) {
      this.path = path;
    }

    @Override
    public void service(ServletRequest req, ServletResponse res) {
      Probe.woven(ServletInstrumentation.service(API).site(), this, new Object[] {req, res},
          () -> super.service(req, res));
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
      String id = req.getParameter("id");
      String then = req.getParameter("then");
      boolean first = path.equals("/app") && req.getDispatcherType() == DispatcherType.REQUEST;
      Probe.record(id, path, CurrentDeadline.get());
      try {
        if (first && "forward".equals(then)) {
          req.getRequestDispatcher("/inner").forward(req, res);
          Probe.record(id, "afterForward", CurrentDeadline.get());
          return;
        }
        if (first && "include".equals(then)) {
          req.getRequestDispatcher("/inner").include(req, res);
          Probe.record(id, "afterInclude", CurrentDeadline.get());
        }
        if (first && "async".equals(then)) {
          AsyncContext async = req.startAsync();
          async.dispatch("/inner");
          return;
        }
        if (first && "throw".equals(then)) {
          throw new IllegalStateException("the app's own failure");
        }
      } catch (javax.servlet.ServletException e) {
        throw new IOException(e);
      }
      res.setContentType("text/plain");
      res.getWriter().write("ok " + path);
    }
  }
}
