package dev.levee.instrumentation.api;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Implements HttpClient interfaces ({@code FutureCallback}, {@code RequestChannel},
 * {@code AsyncResponseConsumer}) without linking against them: a {@link Proxy} defined in the interface's
 * own loader.
 */
public final class LibraryProxies {

  private LibraryProxies() {}

  /** Calls on {@code Object}'s methods are answered here; every other call goes to {@code handler}. */
  public static Object implement(Class<?> libraryInterface, InvocationHandler handler) {
    return Proxy.newProxyInstance(
        libraryInterface.getClassLoader(),
        new Class<?>[] {libraryInterface},
        (proxy, method, args) -> {
          if (method.getDeclaringClass() == Object.class) {
            switch (method.getName()) {
              case "equals":
                return proxy == args[0];
              case "hashCode":
                return System.identityHashCode(proxy);
              default:
                return "levee:" + libraryInterface.getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(proxy));
            }
          }
          return handler.invoke(proxy, method, args);
        });
  }

  /** Calls {@code method} on {@code target}, throwing what it throws. */
  public static Object delegate(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
