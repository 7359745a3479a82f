package dev.levee.instrumentation.servlet;

import dev.levee.core.Clock;
import dev.levee.instrumentation.api.LeveeInstrumentation;
import dev.levee.instrumentation.api.LeveeRuntime;
import dev.levee.instrumentation.api.MethodHook;
import java.util.ArrayList;
import java.util.List;

/**
 * Servlet containers, {@code javax.servlet} and {@code jakarta.servlet} alike (Tomcat, Jetty, Undertow
 * and any other): while the application handles an inbound HTTP request, the thread's deadline is the
 * one the request carries in its headers, and a request over the {@code inbound} limits is shed before any of
 * the app's filters or servlets runs ({@link InboundRequestScope}).
 *
 * <p>Containers share no class to hook by name, and one JVM may hold several Servlet APIs in several
 * class loaders, so the hooks are named by interface: every class that itself declares
 * {@code Servlet.service(ServletRequest, ServletResponse)} or
 * {@code Filter.doFilter(ServletRequest, ServletResponse, FilterChain)} with the exact descriptor (and
 * whose class file names the API's package) is scoped. That is where the container hands a request to
 * the application on every container: the first filter of the chain, or the servlet when no filter
 * applies ({@code HttpServlet.service} itself, which every {@code HttpServlet} inherits), or the
 * container's own wrapper around them (Jetty's {@code FilterHolder}, Undertow's {@code ManagedFilter}). The
 * filter chain's own {@code doFilter(request, response)} has another descriptor and is not hooked.
 *
 * <p>What is not covered: a filter that is a lambda (a hidden class, which no transformer sees) runs
 * before the scope, which then begins at the next filter or the servlet; work an async servlet
 * ({@code startAsync}) continues on other threads runs without the deadline unless it is handed over
 * through an executor Levee follows; an async or error dispatch is a new scope that reads the headers
 * again, so a relative timeout ({@code grpc-timeout}, the inbound timeout header) or the default budget
 * counts again from there.
 */
public final class ServletInstrumentation implements LeveeInstrumentation<InboundRequestScope> {

  /** The two Servlet APIs, by package: {@code javax.servlet} (Servlet 4 and earlier) and {@code jakarta.servlet}. */
  static final List<String> API_PACKAGES = List.of("javax.servlet", "jakarta.servlet");

  @Override
  public String name() {
    return "servlet";
  }

  @Override
  public List<MethodHook<InboundRequestScope>> methodHooks() {
    List<MethodHook<InboundRequestScope>> hooks = new ArrayList<>();
    for (String api : API_PACKAGES) {
      hooks.add(service(api));
      hooks.add(doFilter(api));
    }
    return hooks;
  }

  /** Declared when the first class naming a Servlet API's package loads (a container's, or the API's own). */
  @Override
  public List<String> classFileMarkers() {
    return List.of("javax/servlet/", "jakarta/servlet/");
  }

  @Override
  public InboundRequestScope hooks(LeveeRuntime runtime) {
    return new InboundRequestScope(runtime.deadlineHeaders(), Clock.SYSTEM, runtime.inboundLimits());
  }

  /** {@code Servlet.service(ServletRequest, ServletResponse)} of one API. */
  static MethodHook<InboundRequestScope> service(String api) {
    String p = "L" + api.replace('.', '/') + "/";
    return MethodHook.scopedReturnEarlyInImplementors(api + ".Servlet", "service",
        "(" + p + "ServletRequest;" + p + "ServletResponse;)V", InboundRequestScope::enter, InboundRequestScope::exit);
  }

  /** {@code Filter.doFilter(ServletRequest, ServletResponse, FilterChain)} of one API. */
  static MethodHook<InboundRequestScope> doFilter(String api) {
    String p = "L" + api.replace('.', '/') + "/";
    return MethodHook.scopedReturnEarlyInImplementors(api + ".Filter", "doFilter",
        "(" + p + "ServletRequest;" + p + "ServletResponse;" + p + "FilterChain;)V", InboundRequestScope::enter,
        InboundRequestScope::exit);
  }
}
