package dev.levee.instrumentation.api;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls a client library's public methods on objects whose classes the agent's own loader cannot name:
 * the library lives in the application's class loader (any of them: a fat jar's, a web app's), the hooks
 * in the agent's. Handles are found once per class and kept in a {@link ClassValue}, which holds no
 * strong reference to the class's loader, so a redeployed application can be collected.
 *
 * <p>Calls go through {@link Method#invoke}, not {@code MethodHandle.invokeWithArguments}: the latter spins
 * dozens of lambda-form classes on its first use (~30 ms of an app's first call, issue 11), and is no faster
 * afterwards.
 */
public final class LibraryMethods {

  private static final ClassValue<ConcurrentHashMap<String, Method>> METHODS =
      new ClassValue<ConcurrentHashMap<String, Method>>() {
        @Override
        protected ConcurrentHashMap<String, Method> computeValue(Class<?> type) {
          return new ConcurrentHashMap<>();
        }
      };

  private static final ClassValue<ConcurrentHashMap<String, Optional<Field>>> FIELDS =
      new ClassValue<ConcurrentHashMap<String, Optional<Field>>>() {
        @Override
        protected ConcurrentHashMap<String, Optional<Field>> computeValue(Class<?> type) {
          return new ConcurrentHashMap<>();
        }
      };

  private LibraryMethods() {}

  /**
   * Invokes the public method {@code name} taking {@code args.length} arguments (the first whose
   * parameter types accept them) on {@code target}; throws what the method throws.
   */
  public static Object invoke(Object target, String name, Object... args) throws Throwable {
    Class<?> type = target.getClass();
    String key = key(name, args);
    Method method = METHODS.get(type).get(key);
    if (method == null) {
      method = find(type, name, args);
      METHODS.get(type).putIfAbsent(key, method);
    }
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** A class of the library, loaded by the loader that loaded {@code anchor}'s class. */
  public static Class<?> classBeside(Object anchor, String className) throws ClassNotFoundException {
    return Class.forName(className, false, anchor.getClass().getClassLoader());
  }

  private static String key(String name, Object[] args) {
    StringBuilder key = new StringBuilder(name).append('/').append(args.length);
    for (Object arg : args) {
      key.append(',').append(arg == null ? "null" : arg.getClass().getName());
    }
    return key.toString();
  }

  private static Method find(Class<?> type, String name, Object[] args) throws NoSuchMethodException {
    for (Method method : type.getMethods()) {
      if (method.getName().equals(name) && !Modifier.isStatic(method.getModifiers()) && accepts(method, args)) {
        Method declared = publicDeclaration(type, method);
        if (declared != null) {
          return declared;
        }
      }
    }
    throw new NoSuchMethodException(type.getName() + "." + name + " taking " + args.length + " arguments");
  }

  /** The method as declared by a public class or interface: an implementation class may not be public. */
  private static Method publicDeclaration(Class<?> type, Method method) {
    for (Class<?> candidate : typesOf(type)) {
      if (!isPublicApi(candidate)) {
        continue;
      }
      try {
        Method declared = candidate.getMethod(method.getName(), method.getParameterTypes());
        if (isPublicApi(declared.getDeclaringClass())) {
          return declared;
        }
      } catch (NoSuchMethodException e) {
        // not visible through this type; try the next
      }
    }
    return null;
  }

  /** Callable from any code: a public type in a package its module exports (every package of a class path). */
  private static boolean isPublicApi(Class<?> type) {
    return Modifier.isPublic(type.getModifiers()) && type.getModule().isExported(type.getPackageName());
  }

  private static Set<Class<?>> typesOf(Class<?> type) {
    Set<Class<?>> types = new LinkedHashSet<>();
    Deque<Class<?>> todo = new ArrayDeque<>();
    todo.add(type);
    while (!todo.isEmpty()) {
      Class<?> next = todo.poll();
      if (types.add(next)) {
        if (next.getSuperclass() != null) {
          todo.add(next.getSuperclass());
        }
        for (Class<?> i : next.getInterfaces()) {
          todo.add(i);
        }
      }
    }
    return types;
  }

  private static boolean accepts(Method method, Object[] args) {
    Class<?>[] parameters = method.getParameterTypes();
    if (parameters.length != args.length) {
      return false;
    }
    for (int i = 0; i < parameters.length; i++) {
      if (args[i] == null) {
        if (parameters[i].isPrimitive()) {
          return false;
        }
      } else if (!wrap(parameters[i]).isInstance(args[i])) {
        return false;
      }
    }
    return true;
  }

  private static Class<?> wrap(Class<?> type) {
    if (!type.isPrimitive()) {
      return type;
    }
    if (type == int.class) {
      return Integer.class;
    }
    if (type == long.class) {
      return Long.class;
    }
    if (type == boolean.class) {
      return Boolean.class;
    }
    if (type == double.class) {
      return Double.class;
    }
    if (type == float.class) {
      return Float.class;
    }
    if (type == short.class) {
      return Short.class;
    }
    if (type == byte.class) {
      return Byte.class;
    }
    return Character.class;
  }

  /**
   * The value of an instance field declared by {@code target}'s class or a superclass, public or not;
   * null when there is none or it cannot be read. Used for a library's public fields and, best effort, for a few
   * private ones (a connection manager's configuration, a client's default config) it offers no getter for.
   */
  public static Object field(Object target, String name) {
    if (target == null) {
      return null;
    }
    ConcurrentHashMap<String, Optional<Field>> fields = FIELDS.get(target.getClass());
    Optional<Field> field = fields.get(name);
    if (field == null) {
      field = find(target.getClass(), name);
      fields.putIfAbsent(name, field);
    }
    if (!field.isPresent()) {
      return null;
    }
    try {
      return field.get().get(target);
    } catch (IllegalAccessException e) {
      return null;
    }
  }

  private static Optional<Field> find(Class<?> type, String name) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (f.getName().equals(name) && !Modifier.isStatic(f.getModifiers())) {
          try {
            f.setAccessible(true);
            return Optional.of(f);
          } catch (RuntimeException inaccessible) {
            return Optional.empty(); // a named module that does not open the package
          }
        }
      }
    }
    return Optional.empty();
  }
}
