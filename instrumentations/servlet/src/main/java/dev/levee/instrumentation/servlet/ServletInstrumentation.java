package dev.levee.instrumentation.servlet;

import dev.levee.core.Clock;
import dev.levee.instrumentation.api.LeveeInstrumentation;
import dev.levee.instrumentation.api.LeveeRuntime;
import dev.levee.instrumentation.api.MethodHook;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Servlet containers, {@code javax.servlet} and {@code jakarta.servlet} alike (Tomcat, Jetty, Undertow
 * and any other): while the application handles an inbound HTTP request, the thread's deadline is the
 * one the request carries in its headers ({@link InboundRequestScope}).
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
public final class ServletInstrumentation implements LeveeInstrumentation {

  /** The two Servlet APIs, by package: {@code javax.servlet} (Servlet 4 and earlier) and {@code jakarta.servlet}. */
  static final List<String> API_PACKAGES = List.of("javax.servlet", "jakarta.servlet");

  @Override
  public String name() {
    return "servlet";
  }

  @Override
  public List<MethodHook> methodHooks() {
    List<MethodHook> hooks = new ArrayList<>();
    for (String api : API_PACKAGES) {
      String p = "L" + api.replace('.', '/') + "/";
      hooks.add(MethodHook.scopedInImplementors(api + ".Servlet", "service",
          "(" + p + "ServletRequest;" + p + "ServletResponse;)V", serviceSite(api)));
      hooks.add(MethodHook.scopedInImplementors(api + ".Filter", "doFilter",
          "(" + p + "ServletRequest;" + p + "ServletResponse;" + p + "FilterChain;)V", doFilterSite(api)));
    }
    return hooks;
  }

  @Override
  public Map<String, BiFunction<Object, Object[], Object>> hooks(LeveeRuntime runtime) {
    return hooks(new InboundRequestScope(runtime.deadlineHeaders(), Clock.SYSTEM));
  }

  /** Every site's entry and exit hook, all served by one scope. */
  Map<String, BiFunction<Object, Object[], Object>> hooks(InboundRequestScope scope) {
    Map<String, BiFunction<Object, Object[], Object>> map = new HashMap<>();
    for (MethodHook hook : methodHooks()) {
      map.put(hook.site(), scope::enter);
      map.put(hook.exitSite(), scope::exit);
    }
    return map;
  }

  static String serviceSite(String api) {
    return "servlet." + api + ".service";
  }

  static String doFilterSite(String api) {
    return "servlet." + api + ".doFilter";
  }
}
