package dev.levee.instrumentation.api;

import java.util.List;

/**
 * One library's instrumentation: the methods it hooks, each with the handler it hands over to, and the
 * hooks object (plain Java, loaded by the agent's loader) the handlers are methods of, which translates
 * between the library and the pipeline. Found with {@link java.util.ServiceLoader}.
 *
 * @param <H> the hooks object
 */
public interface LeveeInstrumentation<H> {

  /** The name in resilience.yaml's {@code instrumentation} section, e.g. {@code jdk-httpclient}. */
  String name();

  /**
   * The methods to hook (by exact class, name and descriptor, or by interface, name and descriptor), each with
   * its handler. Asked at startup, before Levee is ready: declaring a hook must not need the runtime.
   */
  List<MethodHook<H>> methodHooks();

  /**
   * The classes this instrumentation hooks (binary names), known without declaring its hooks: Levee then
   * declares and binds it only when the first of them loads (or is found loaded), so an app pays at startup
   * only for the libraries it uses (README, Startup). Null, the default: declared at startup, unless it names
   * {@link #classFileMarkers}. Must list every class {@link #methodHooks} names (a test checks it).
   */
  default List<String> hookedClasses() {
    return null;
  }

  /**
   * For an instrumentation with hooks named by interface: the packages of those interfaces, as their class
   * files name them ({@code java/sql/}, {@link MethodHook#classFileMarker}). At startup Levee then declares
   * and binds it only when the first class of the application whose class file names one of them loads (no
   * class can implement an interface without naming its package), or one of its {@link #hookedClasses}; on
   * attach it is declared at once. Null, the default: declared at startup. Must list the marker of every hook
   * named by interface (a test checks it).
   */
  default List<String> classFileMarkers() {
    return null;
  }

  /**
   * Called once, on a thread of Levee's own, after an instrumentation that names its {@link #hookedClasses} was
   * declared because one of them loaded in {@code loader}: it may look up there what its first call will need
   * (its library's classes and members), so that the app's thread, which goes on loading the library, does not
   * do it on its first call. Must change nothing the app can see; a failure is ignored. Does nothing by default.
   */
  default void warmUp(ClassLoader loader) throws Exception {}

  /**
   * The hooks object the handlers are called on, built once Levee is ready (in the background; for an
   * instrumentation that names its {@link #hookedClasses}, when the first of them is met).
   */
  H hooks(LeveeRuntime runtime);
}
