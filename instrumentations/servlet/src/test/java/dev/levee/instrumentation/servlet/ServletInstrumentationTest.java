package dev.levee.instrumentation.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.config.DeadlineConfig;
import dev.levee.core.deadline.DeadlineHeaders;
import dev.levee.instrumentation.api.BridgeTable;
import dev.levee.instrumentation.api.LeveeInstrumentation;
import dev.levee.instrumentation.api.MethodHook;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** The hooks' names and descriptors against the real Servlet APIs, and how the request's headers are found. */
class ServletInstrumentationTest {

  final ServletInstrumentation instrumentation = new ServletInstrumentation();

  static String descriptor(Method m) {
    return MethodType.methodType(m.getReturnType(), m.getParameterTypes()).toMethodDescriptorString();
  }

  @Test
  void hooksServiceAndDoFilterOfBothApisWithTheirExactDescriptors() throws Exception {
    Set<String> expected = new HashSet<>();
    for (Class<?> servlet : List.of(javax.servlet.Servlet.class, jakarta.servlet.Servlet.class)) {
      Class<?> request = Class.forName(servlet.getPackageName() + ".ServletRequest");
      Class<?> response = Class.forName(servlet.getPackageName() + ".ServletResponse");
      Class<?> filter = Class.forName(servlet.getPackageName() + ".Filter");
      Class<?> chain = Class.forName(servlet.getPackageName() + ".FilterChain");
      expected.add(servlet.getName() + " service" + descriptor(servlet.getMethod("service", request, response)));
      expected.add(filter.getName() + " doFilter" + descriptor(filter.getMethod("doFilter", request, response, chain)));
    }
    Set<String> hooked = new HashSet<>();
    for (MethodHook<InboundRequestScope> hook : instrumentation.methodHooks()) {
      assertEquals(MethodHook.Kind.SCOPED_RETURN_EARLY, hook.kind());
      assertTrue(hook.isByInterface());
      hooked.add(hook.interfaceName() + " " + hook.methodName() + hook.methodDescriptor());
    }
    assertEquals(expected, hooked);
  }

  @Test
  void classFilesAreScannedForEitherApisPackage() {
    Set<String> markers = new HashSet<>();
    for (MethodHook<InboundRequestScope> hook : instrumentation.methodHooks()) {
      markers.add(hook.classFileMarker());
    }
    assertEquals(Set.of("javax/servlet/", "jakarta/servlet/"), markers);
  }

  @Test
  void everySiteHasAnEntryAndAnExitHook() {
    InboundRequestScope scope =
        new InboundRequestScope(new DeadlineHeaders(DeadlineConfig.defaults()), InboundRequestScopeTest.FIXED);
    Map<String, BiFunction<Object, Object[], Object>> hooks = BridgeTable.of(instrumentation, scope);
    for (MethodHook<InboundRequestScope> hook : instrumentation.methodHooks()) {
      assertTrue(hooks.containsKey(hook.site()), hook.site());
      assertTrue(hooks.containsKey(hook.exitSite()), hook.exitSite());
    }
    assertEquals(8, hooks.size());
  }

  @Test
  void isFoundByTheServiceLoaderUnderTheNameTheConfigAccepts() {
    boolean found = false;
    for (LeveeInstrumentation<?> i : ServiceLoader.load(LeveeInstrumentation.class)) {
      found |= i instanceof ServletInstrumentation && i.name().equals("servlet");
    }
    assertTrue(found);
  }

  @Test
  void theHttpRequestInterfaceIsFoundUpTheHierarchyOfAnyRequestClass() {
    assertSame(jakarta.servlet.http.HttpServletRequest.class,
        RequestHeaders.httpRequestInterface(jakarta.servlet.http.HttpServletRequestWrapper.class));
    assertSame(javax.servlet.http.HttpServletRequest.class,
        RequestHeaders.httpRequestInterface(AppRequest.class), "through a superclass and a sub-interface");
    assertNull(RequestHeaders.httpRequestInterface(jakarta.servlet.ServletRequestWrapper.class));
    assertTrue(RequestHeaders.of(AppRequest.class).isHttp());
    assertTrue(!RequestHeaders.of(jakarta.servlet.ServletRequestWrapper.class).isHttp());
  }

  /** An app's request type: a wrapper subclass that also implements an interface of its own. */
  interface TracedRequest extends javax.servlet.http.HttpServletRequest {}

  abstract static class AppRequest extends javax.servlet.ServletRequestWrapper implements TracedRequest {
    AppRequest(javax.servlet.ServletRequest request) {
      super(request);
    }
  }
}
