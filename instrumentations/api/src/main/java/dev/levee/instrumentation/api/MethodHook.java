package dev.levee.instrumentation.api;

/**
 * Where an instrumentation hooks into a library, and what the woven code does on entry to it. Two ways
 * to name the classes:
 *
 * <ul>
 *   <li>by exact class name ({@link #returnEarly}, {@link #replaceField}): the cheapest possible match,
 *       nothing is loaded or parsed to decide;
 *   <li>by interface ({@link #returnEarlyInImplementors}): every class, of any name and any class loader,
 *       that may implement an interface of the platform (JDBC drivers and statements). The class file's
 *       bytes are scanned for the interface's package name before anything is parsed, and only methods
 *       the class itself declares with the exact name and descriptor are woven; the hook checks at run
 *       time that the instance really implements the interface.
 * </ul>
 */
public final class MethodHook {

  public enum Kind {
    /**
     * Calls the site's hook with {@code this} and the arguments; a non-null result is returned at once
     * instead of running the method (a void method just returns; for a primitive return type the hook
     * returns its wrapper), null lets the method run.
     */
    RETURN_EARLY,
    /** Passes the current value of an instance field to the site's hook and stores what it returns. */
    REPLACE_FIELD,
    /**
     * Passes one reference argument to the site's hook and lets the method run with what it returns
     * (null keeps the argument). Static methods too: the hook then gets null for {@code this}.
     */
    REPLACE_ARGUMENT,
    /**
     * Calls the site's hook with {@code this} and the arguments on entry, and the hook registered under
     * {@link MethodHook#exitSite()} on every way out: each return, and an exception leaving the method
     * (rethrown as it is). The method always runs; neither hook can change what it does or returns.
     * Not for constructors.
     */
    SCOPED
  }

  private final Kind kind;
  private final String typeName;
  private final String methodName;
  private final String methodDescriptor;
  private final java.util.List<String> fieldNames;
  private final String fieldDescriptor;
  private final String site;
  private final String interfaceName;
  private final int argumentIndex;

  private MethodHook(Kind kind, String typeName, String methodName, String methodDescriptor,
      java.util.List<String> fieldNames, String fieldDescriptor, String site) {
    this(kind, typeName, methodName, methodDescriptor, fieldNames, fieldDescriptor, site, null, -1);
  }

  private MethodHook(Kind kind, String typeName, String methodName, String methodDescriptor,
      java.util.List<String> fieldNames, String fieldDescriptor, String site, String interfaceName, int argumentIndex) {
    this.kind = kind;
    this.argumentIndex = argumentIndex;
    this.interfaceName = interfaceName;
    this.typeName = typeName;
    this.methodName = methodName;
    this.methodDescriptor = methodDescriptor;
    this.fieldNames = fieldNames;
    this.fieldDescriptor = fieldDescriptor;
    this.site = site;
  }

  /**
   * @param typeName a binary class name, e.g. {@code jdk.internal.net.http.HttpClientImpl}
   * @param methodDescriptor a JVM descriptor of an instance method
   * @param site the name the hook is registered under
   */
  public static MethodHook returnEarly(String typeName, String methodName, String methodDescriptor, String site) {
    return new MethodHook(Kind.RETURN_EARLY, typeName, methodName, methodDescriptor, null, null, site);
  }

  /**
   * On entry to the method, {@code this.field = hook(this, {this.field})}; a primitive field's value is
   * passed and returned boxed.
   */
  public static MethodHook replaceField(String typeName, String methodName, String methodDescriptor,
      String fieldName, String fieldDescriptor, String site) {
    return replaceField(typeName, methodName, methodDescriptor, java.util.Collections.singletonList(fieldName),
        fieldDescriptor, site);
  }

  /**
   * As {@link #replaceField(String, String, String, String, String, String)}, for a field renamed between
   * versions of the class: the first of {@code fieldNames} the class has.
   */
  public static MethodHook replaceField(String typeName, String methodName, String methodDescriptor,
      java.util.List<String> fieldNames, String fieldDescriptor, String site) {
    return new MethodHook(Kind.REPLACE_FIELD, typeName, methodName, methodDescriptor,
        java.util.Collections.unmodifiableList(new java.util.ArrayList<>(fieldNames)), fieldDescriptor, site);
  }

  /**
   * A {@link Kind#RETURN_EARLY} hook on every class that declares {@code methodName methodDescriptor} and
   * whose class file mentions the package of {@code interfaceName} (a class implementing
   * {@code java.sql.Statement} names {@code java/sql/} in its interfaces or its methods' signatures).
   * Classes of the JDK ({@code java/}, {@code javax/}, {@code jdk/}, {@code sun/}, {@code com/sun/}) and
   * Levee's own are never matched. The hook must return null for an instance that does not implement
   * the interface: the match is by name and descriptor only.
   *
   * @param interfaceName a binary interface name, e.g. {@code java.sql.Statement}
   */
  public static MethodHook returnEarlyInImplementors(
      String interfaceName, String methodName, String methodDescriptor, String site) {
    return new MethodHook(Kind.RETURN_EARLY, null, methodName, methodDescriptor, null, null, site, interfaceName, -1);
  }

  /**
   * On entry to the method (instance or static), {@code arg[argumentIndex] = hook(this, {arg})}, the
   * argument's declared type being a reference type; a null result keeps the argument.
   *
   * @param argumentIndex the argument's position in the descriptor, from 0
   */
  public static MethodHook replaceArgument(
      String typeName, String methodName, String methodDescriptor, int argumentIndex, String site) {
    return new MethodHook(Kind.REPLACE_ARGUMENT, typeName, methodName, methodDescriptor, null, null, site, null, argumentIndex);
  }

  /** A {@link Kind#SCOPED} hook on one class's method. */
  public static MethodHook scoped(String typeName, String methodName, String methodDescriptor, String site) {
    return new MethodHook(Kind.SCOPED, typeName, methodName, methodDescriptor, null, null, site, null, -1);
  }

  /**
   * A {@link Kind#SCOPED} hook on every class that declares the method and whose class file mentions the
   * interface's package (see {@link #returnEarlyInImplementors}); nested calls of one another (a filter
   * calling the next, a subclass calling super) each enter and exit.
   */
  public static MethodHook scopedInImplementors(
      String interfaceName, String methodName, String methodDescriptor, String site) {
    return new MethodHook(Kind.SCOPED, null, methodName, methodDescriptor, null, null, site, interfaceName, -1);
  }

  /** For a {@link Kind#SCOPED} hook: the name its exit hook is registered under. */
  public String exitSite() {
    return site + ".exit";
  }

  /** For a {@link Kind#REPLACE_ARGUMENT} hook: the argument's position, from 0; else -1. */
  public int argumentIndex() {
    return argumentIndex;
  }

  /** True for a hook named by interface ({@link #returnEarlyInImplementors}), false for one named by class. */
  public boolean isByInterface() {
    return interfaceName != null;
  }

  /** The interface of a hook named by interface, else null. */
  public String interfaceName() {
    return interfaceName;
  }

  /**
   * What a class file must contain for a hook named by interface to be considered: the interface's
   * package with slashes and a trailing slash ({@code java/sql/}).
   */
  public String classFileMarker() {
    return interfaceName.substring(0, interfaceName.lastIndexOf('.') + 1).replace('.', '/');
  }

  public Kind kind() {
    return kind;
  }

  public String typeName() {
    return typeName;
  }

  /** The class name as the JVM passes it to transformers: with slashes; null for a hook named by interface. */
  public String internalTypeName() {
    return typeName == null ? null : typeName.replace('.', '/');
  }

  public String methodName() {
    return methodName;
  }

  public String methodDescriptor() {
    return methodDescriptor;
  }

  /** For a {@link Kind#REPLACE_FIELD} hook: the field's names, the first the class has being used; else null. */
  public java.util.List<String> fieldNames() {
    return fieldNames;
  }

  public String fieldDescriptor() {
    return fieldDescriptor;
  }

  public String site() {
    return site;
  }

  @Override
  public String toString() {
    String owner = typeName != null ? typeName : "implementors of " + interfaceName;
    return owner + "." + methodName + methodDescriptor
        + (fieldNames == null ? "" : " field " + String.join(" or ", fieldNames));
  }
}
