package dev.levee.instrumentation.api;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.BiFunction;

/**
 * One method an instrumentation hooks, and the handler the woven code hands over to: a newcomer reads a
 * hook in one hop, from the method's class, name and descriptor to the handler beside them. The handler is
 * a method of the instrumentation's hooks object {@code H} (built once Levee is ready, see
 * {@link LeveeInstrumentation#hooks}), e.g. {@code MethodHook.call(CLIENT, "send", DESCRIPTOR,
 * JdkHttpClientHooks::send)}. The site under which the bridge finds the handler is derived from the method
 * itself, so no site can be missing or misspelt.
 *
 * <p>Two ways to name the classes:
 *
 * <ul>
 *   <li>by exact class name: the cheapest possible match, nothing is loaded or parsed to decide;
 *   <li>by interface ({@code ...InImplementors}): every class, of any name and any class loader, that may
 *       implement an interface of the platform (JDBC drivers and statements, servlets). The class file's
 *       bytes are scanned for the interface's package name before anything is parsed, and only methods the
 *       class itself declares with the exact name and descriptor are woven; the handler checks at run time
 *       that the instance really implements the interface.
 * </ul>
 *
 * <p>What the woven code does, and how a handler's faults are kept from the application, is the hook's
 * {@link Kind}; the guard around every handler is {@link #entry} (and {@link #replacement}, {@link #exit}).
 *
 * @param <H> the instrumentation's hooks object, which the handler is a method of
 */
public final class MethodHook<H> {

  public enum Kind {
    /**
     * A client call Levee runs through its pipeline: the handler runs the call's attempts, each calling the
     * hooked method again with the thread marked ({@link PassThrough}), and that inner call runs untouched.
     * A non-null result is returned at once instead of running the method (a void method just returns; a
     * primitive result arrives as its wrapper); null lets the method run untouched.
     */
    CALL,
    /** As {@link #CALL}, without the pass-through mark: a hook that watches or decides, and never calls back. */
    RETURN_EARLY,
    /** Passes the current value of an instance field to the handler and stores what it returns. */
    REPLACE_FIELD,
    /**
     * Passes one reference argument to the handler and lets the method run with what it returns (null keeps
     * the argument). Static methods too: the handler then gets null for {@code this}.
     */
    REPLACE_ARGUMENT,
    /**
     * For a {@code void} instance method: passes its arguments to the handler on entry (as
     * {@link #RETURN_EARLY}); the handler returns null to let the method run as called, a value of the
     * hooked argument's declared type to run it with that value in the argument's place, or any other value
     * to return at once without running it. One hook both admits and replaces (a pool's {@code execute}:
     * refuse a task, or run it wrapped).
     */
    REPLACE_ARGUMENT_OR_RETURN,
    /**
     * Calls the handler with the new object and the constructor's arguments when a constructor of the class
     * returns normally (a constructor that throws made nothing). It only watches: its result is ignored and
     * its faults are logged once and never reach the constructor's caller.
     */
    CONSTRUCTED,
    /**
     * Calls the entry handler with {@code this} and the arguments on entry, and the exit handler on every way
     * out: each return, and an exception leaving the method (rethrown as it is). The method always runs;
     * neither handler can change what it does or returns. Not for constructors.
     */
    SCOPED,
    /**
     * As {@link #SCOPED}, except that the entry handler may answer in the method's place: a non-null result is
     * returned at once (a void method just returns) and neither the method nor the exit handler runs, since no
     * scope was entered. The door in front of an app's handler: a request shed at the server never reaches it.
     * A fault in the entry handler lets the method run, in a scope, as for {@link #SCOPED}.
     */
    SCOPED_RETURN_EARLY
  }

  /** What the woven code hands over to on entry: returns the method's result, or null to let it run. */
  @FunctionalInterface
  public interface Handler<H> {
    Object onEntry(H hooks, Object self, Object[] args) throws Throwable;
  }

  /** A field's or an argument's value in, the value to use out (null: keep it). */
  @FunctionalInterface
  public interface Replacer<H> {
    Object replace(H hooks, Object self, Object value) throws Throwable;
  }

  /** What a scoped method's every way out hands over to. */
  @FunctionalInterface
  public interface Exit<H> {
    void onExit(H hooks) throws Throwable;
  }

  private final Kind kind;
  private final String typeName;
  private final String methodName;
  private final String methodDescriptor;
  private final List<String> fieldNames;
  private final String fieldDescriptor;
  private final String interfaceName;
  private final int argumentIndex;
  private final Handler<H> handler;
  private final Replacer<H> replacer;
  private final Exit<H> exit;
  private final List<String> declared;

  private MethodHook(Kind kind, String typeName, String interfaceName, String methodName, String methodDescriptor,
      List<String> fieldNames, String fieldDescriptor, int argumentIndex, Handler<H> handler, Replacer<H> replacer,
      Exit<H> exit, List<String> declared) {
    this.kind = kind;
    this.typeName = typeName;
    this.interfaceName = interfaceName;
    this.methodName = methodName;
    this.methodDescriptor = methodDescriptor;
    this.fieldNames = fieldNames;
    this.fieldDescriptor = fieldDescriptor;
    this.argumentIndex = argumentIndex;
    this.handler = handler;
    this.replacer = replacer;
    this.exit = exit;
    this.declared = declared;
  }

  /**
   * A {@link Kind#CALL} hook on one class's method.
   *
   * @param typeName a binary class name, e.g. {@code jdk.internal.net.http.HttpClientImpl}
   * @param methodDescriptor a JVM descriptor of an instance method
   */
  public static <H> MethodHook<H> call(String typeName, String methodName, String methodDescriptor, Handler<H> handler) {
    return new MethodHook<>(Kind.CALL, typeName, null, methodName, methodDescriptor, null, null, -1, handler, null, null,
        Collections.emptyList());
  }

  /** A {@link Kind#RETURN_EARLY} hook on one class's method. */
  public static <H> MethodHook<H> returnEarly(String typeName, String methodName, String methodDescriptor,
      Handler<H> handler) {
    return new MethodHook<>(Kind.RETURN_EARLY, typeName, null, methodName, methodDescriptor, null, null, -1, handler,
        null, null, Collections.emptyList());
  }

  /**
   * A {@link Kind#RETURN_EARLY} hook on every class that declares {@code methodName methodDescriptor} and whose
   * class file mentions the package of {@code interfaceName}. Classes of the JDK ({@code java/}, {@code javax/},
   * {@code jdk/}, {@code sun/}, {@code com/sun/}) and Levee's own are never matched. The handler must return
   * null for an instance that does not implement the interface: the match is by name and descriptor only.
   *
   * @param interfaceName a binary interface name, e.g. {@code java.sql.Statement}
   */
  public static <H> MethodHook<H> returnEarlyInImplementors(
      String interfaceName, String methodName, String methodDescriptor, Handler<H> handler) {
    return new MethodHook<>(Kind.RETURN_EARLY, null, interfaceName, methodName, methodDescriptor, null, null, -1,
        handler, null, null, Collections.emptyList());
  }

  /**
   * On entry to the method, {@code this.field = replacer(this, this.field)}; a primitive field's value is
   * passed and returned boxed.
   */
  public static <H> MethodHook<H> replaceField(String typeName, String methodName, String methodDescriptor,
      String fieldName, String fieldDescriptor, Replacer<H> replacer) {
    return replaceField(typeName, methodName, methodDescriptor, Collections.singletonList(fieldName), fieldDescriptor,
        replacer);
  }

  /** As the one-field form, for a field renamed between versions of the class: the first of the names it has. */
  public static <H> MethodHook<H> replaceField(String typeName, String methodName, String methodDescriptor,
      List<String> fieldNames, String fieldDescriptor, Replacer<H> replacer) {
    return new MethodHook<>(Kind.REPLACE_FIELD, typeName, null, methodName, methodDescriptor,
        Collections.unmodifiableList(Arrays.asList(fieldNames.toArray(new String[0]))), fieldDescriptor, -1, null,
        replacer, null, Collections.emptyList());
  }

  /**
   * On entry to the method (instance or static), {@code arg[argumentIndex] = replacer(this, arg)}, the
   * argument's declared type being a reference type; a null result keeps the argument.
   *
   * @param argumentIndex the argument's position in the descriptor, from 0
   */
  public static <H> MethodHook<H> replaceArgument(String typeName, String methodName, String methodDescriptor,
      int argumentIndex, Replacer<H> replacer) {
    return new MethodHook<>(Kind.REPLACE_ARGUMENT, typeName, null, methodName, methodDescriptor, null, null,
        argumentIndex, null, replacer, null, Collections.emptyList());
  }

  /**
   * A {@link Kind#REPLACE_ARGUMENT_OR_RETURN} hook on one class's {@code void} instance method.
   *
   * @param argumentIndex the argument the handler may replace, from 0
   */
  public static <H> MethodHook<H> replaceArgumentOrReturn(String typeName, String methodName, String methodDescriptor,
      int argumentIndex, Handler<H> handler) {
    return new MethodHook<>(Kind.REPLACE_ARGUMENT_OR_RETURN, typeName, null, methodName, methodDescriptor, null, null,
        argumentIndex, handler, null, null, Collections.emptyList());
  }

  /**
   * A {@link Kind#CONSTRUCTED} hook on one class's constructor.
   *
   * @param constructorDescriptor a JVM descriptor of the constructor, e.g. {@code (I)V}
   */
  public static <H> MethodHook<H> constructed(String typeName, String constructorDescriptor, Handler<H> handler) {
    return new MethodHook<>(Kind.CONSTRUCTED, typeName, null, "<init>", constructorDescriptor, null, null, -1, handler,
        null, null, Collections.emptyList());
  }

  /** A {@link Kind#SCOPED} hook on one class's method. */
  public static <H> MethodHook<H> scoped(String typeName, String methodName, String methodDescriptor, Handler<H> enter,
      Exit<H> exit) {
    return new MethodHook<>(Kind.SCOPED, typeName, null, methodName, methodDescriptor, null, null, -1, enter, null, exit,
        Collections.emptyList());
  }

  /** A {@link Kind#SCOPED_RETURN_EARLY} hook on one class's method. */
  public static <H> MethodHook<H> scopedReturnEarly(String typeName, String methodName, String methodDescriptor,
      Handler<H> enter, Exit<H> exit) {
    return new MethodHook<>(Kind.SCOPED_RETURN_EARLY, typeName, null, methodName, methodDescriptor, null, null, -1,
        enter, null, exit, Collections.emptyList());
  }

  /** A {@link Kind#SCOPED_RETURN_EARLY} hook on every class that declares the method (see {@link #scopedInImplementors}). */
  public static <H> MethodHook<H> scopedReturnEarlyInImplementors(String interfaceName, String methodName,
      String methodDescriptor, Handler<H> enter, Exit<H> exit) {
    return new MethodHook<>(Kind.SCOPED_RETURN_EARLY, null, interfaceName, methodName, methodDescriptor, null, null, -1,
        enter, null, exit, Collections.emptyList());
  }

  /** True for both scoped kinds: the woven code calls the exit handler on every way out of the method. */
  public boolean isScoped() {
    return kind == Kind.SCOPED || kind == Kind.SCOPED_RETURN_EARLY;
  }

  /**
   * A {@link Kind#SCOPED} hook on every class that declares the method and whose class file mentions the
   * interface's package (see {@link #returnEarlyInImplementors}); nested calls of one another (a filter
   * calling the next, a subclass calling super) each enter and exit.
   */
  public static <H> MethodHook<H> scopedInImplementors(String interfaceName, String methodName, String methodDescriptor,
      Handler<H> enter, Exit<H> exit) {
    return new MethodHook<>(Kind.SCOPED, null, interfaceName, methodName, methodDescriptor, null, null, -1, enter, null,
        exit, Collections.emptyList());
  }

  /**
   * The checked exceptions the hooked method declares (as its library does, e.g. {@code IOException}): a
   * checked exception from the handler that is none of them is turned into one before it reaches the
   * application ({@link DeclaredExceptions}).
   */
  public MethodHook<H> declaring(Class<?>... exceptions) {
    String[] names = new String[exceptions.length];
    for (int i = 0; i < exceptions.length; i++) {
      names[i] = exceptions[i].getName();
    }
    return declaring(names);
  }

  /**
   * As {@link #declaring(Class...)}, by binary name: for a library's own exception types (HttpClient's
   * {@code org.apache.hc.core5.http.HttpException}), which Levee does not link against.
   */
  public MethodHook<H> declaring(String... exceptionNames) {
    return new MethodHook<>(kind, typeName, interfaceName, methodName, methodDescriptor, fieldNames, fieldDescriptor,
        argumentIndex, handler, replacer, exit, Collections.unmodifiableList(Arrays.asList(exceptionNames.clone())));
  }

  /**
   * The function the bridge calls on entry ({@link Kind#CALL}, {@link Kind#RETURN_EARLY}, {@link Kind#SCOPED}),
   * guarded once for every hook: a call the pipeline is making runs untouched ({@link Kind#CALL}); a
   * {@link dev.levee.core.pipeline.LeveeFault} (Levee failed before anything was sent) lets the method run
   * untouched, with one warning for the site; any other exception is the library's or the application's
   * and goes to the caller as a type the method declares.
   */
  public BiFunction<Object, Object[], Object> entry(H hooks) {
    return new GuardedEntry<>(this, hooks);
  }

  /** The function the bridge calls for a field or an argument ({@link Kind#REPLACE_FIELD}, {@link Kind#REPLACE_ARGUMENT}). */
  public BiFunction<Object, Object[], Object> replacement(H hooks) {
    return new GuardedReplacement<>(this, hooks);
  }

  /** The function the bridge calls on every way out of a scoped method ({@link #isScoped}). */
  public BiFunction<Object, Object[], Object> exit(H hooks) {
    return new GuardedExit<>(this, hooks);
  }

  /** A fault in a replacer keeps the value. A class, not a lambda: bound at startup (docs/performance.md). */
  private static final class GuardedReplacement<H> implements BiFunction<Object, Object[], Object> {
    private final MethodHook<H> hook;
    private final H hooks;
    private final String where;

    GuardedReplacement(MethodHook<H> hook, H hooks) {
      this.hook = hook;
      this.hooks = hooks;
      this.where = hook.toString();
    }

    @Override
    public Object apply(Object self, Object[] value) {
      try {
        return hook.replacer.replace(hooks, self, value[0]);
      } catch (Throwable t) {
        dev.levee.core.LeveeLog.warnOnce(hook.site(), "a fault in Levee at " + where + "; the value is kept", t);
        return null;
      }
    }
  }

  /** A fault leaving a scope is logged; the method's own result or exception goes on. */
  private static final class GuardedExit<H> implements BiFunction<Object, Object[], Object> {
    private final MethodHook<H> hook;
    private final H hooks;
    private final String where;

    GuardedExit(MethodHook<H> hook, H hooks) {
      this.hook = hook;
      this.hooks = hooks;
      this.where = hook.toString();
    }

    @Override
    public Object apply(Object ignored, Object[] none) {
      try {
        hook.exit.onExit(hooks);
      } catch (Throwable t) {
        dev.levee.core.LeveeLog.warnOnce(hook.exitSite(), "a fault in Levee leaving " + where, t);
      }
      return null;
    }
  }

  Handler<H> handler() {
    return handler;
  }

  /** The binary names of the checked exceptions the hooked method declares. */
  public List<String> declared() {
    return declared;
  }

  /** The name the woven code passes to the bridge: the hooked method itself, so it cannot be missing or misspelt. */
  public String site() {
    return (typeName != null ? typeName : "implementors of " + interfaceName) + "." + methodName + methodDescriptor;
  }

  /** For a scoped hook ({@link #isScoped}): the name its exit is registered under. */
  public String exitSite() {
    return site() + ".exit";
  }

  /** For a {@link Kind#REPLACE_ARGUMENT} hook: the argument's position, from 0; else -1. */
  public int argumentIndex() {
    return argumentIndex;
  }

  /** True for a hook named by interface, false for one named by class. */
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
  public List<String> fieldNames() {
    return fieldNames;
  }

  public String fieldDescriptor() {
    return fieldDescriptor;
  }

  @Override
  public String toString() {
    String owner = typeName != null ? typeName : "implementors of " + interfaceName;
    return owner + "." + methodName + methodDescriptor
        + (fieldNames == null ? "" : " field " + String.join(" or ", fieldNames));
  }
}
