package dev.levee.instrumentation.api;

/**
 * Where an instrumentation hooks into a library: one method of one class, named exactly (the cheapest
 * possible match: nothing is loaded or parsed to decide), and what the woven code does on entry to it.
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

  private MethodHook(Kind kind, String typeName, String methodName, String methodDescriptor,
      String fieldName, String fieldDescriptor, String site) {
    this.kind = kind;
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

  public Kind kind() {
    return kind;
  }

  public String typeName() {
    return typeName;
  }

  /** The class name as the JVM passes it to transformers: with slashes. */
  public String internalTypeName() {
    return typeName.replace('.', '/');
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
    return typeName + "." + methodName + methodDescriptor + (fieldName == null ? "" : " field " + fieldName);
  }
}
