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
    REPLACE_FIELD
  }

  private final Kind kind;
  private final String typeName;
  private final String methodName;
  private final String methodDescriptor;
  private final String fieldName;
  private final String fieldDescriptor;
  private final String site;
  private final String interfaceName;

  private MethodHook(Kind kind, String typeName, String methodName, String methodDescriptor,
      String fieldName, String fieldDescriptor, String site) {
    this(kind, typeName, methodName, methodDescriptor, fieldName, fieldDescriptor, site, null);
  }

  private MethodHook(Kind kind, String typeName, String methodName, String methodDescriptor,
      String fieldName, String fieldDescriptor, String site, String interfaceName) {
    this.kind = kind;
    this.interfaceName = interfaceName;
    this.typeName = typeName;
    this.methodName = methodName;
    this.methodDescriptor = methodDescriptor;
    this.fieldName = fieldName;
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

  /** On entry to the method, {@code this.field = hook(this, {this.field})}. */
  public static MethodHook replaceField(String typeName, String methodName, String methodDescriptor,
      String fieldName, String fieldDescriptor, String site) {
    return new MethodHook(Kind.REPLACE_FIELD, typeName, methodName, methodDescriptor, fieldName, fieldDescriptor, site);
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
    return new MethodHook(Kind.RETURN_EARLY, null, methodName, methodDescriptor, null, null, site, interfaceName);
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

  public String fieldName() {
    return fieldName;
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
    return owner + "." + methodName + methodDescriptor + (fieldName == null ? "" : " field " + fieldName);
  }
}
