package dev.levee.agent;

import dev.levee.core.LeveeLog;
import dev.levee.core.config.ConfigException;
import dev.levee.core.config.ConfigLoader;
import dev.levee.core.config.ConfigProblem;
import dev.levee.core.config.LeveeConfig;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/**
 * The agent's entry points. Startup does as little as it can on the application's main thread: read and
 * validate resilience.yaml, print one line, and register a class-name gate; Byte Buddy is loaded in the
 * background (see {@link Installer}).
 */
public final class LeveeAgent {

  private LeveeAgent() {}

  public static void premain(String arguments, Instrumentation instrumentation) {
    start(instrumentation, true);
  }

  /**
   * Attached to a running app: everything is prepared before this returns, so that the classes already
   * loaded are rewoven by the time the attach completes.
   */
  public static void agentmain(String arguments, Instrumentation instrumentation) {
    start(instrumentation, false);
  }

  /**
   * The system property the first Levee to start in a JVM sets, to its version and how it started: one JVM
   * runs one Levee. A second attach, or an attach after {@code -javaagent}, finds it, prints one line and
   * changes nothing (two would each weave the same methods, and every call would run through Levee twice).
   */
  static final String RUNNING = "levee.running";

  private static void start(Instrumentation instrumentation, boolean inBackground) {
    long began = System.nanoTime();
    String version = version();
    String how = inBackground ? "-javaagent" : "attach";
    try {
      if (alreadyRunning(version, how)) {
        return;
      }
      if ("false".equalsIgnoreCase(System.getProperty("levee.enabled"))) {
        LeveeLog.info("levee " + version + ": disabled by -Dlevee.enabled=false; nothing is instrumented");
        return;
      }
      LeveeConfig config = loadConfig();
      if (config == null) {
        return;
      }
      // claimed only once the config is good: after a start that applied nothing, an attach may still start
      if (System.getProperties().putIfAbsent(RUNNING, version + " (" + how + ")") != null && alreadyRunning(version, how)) {
        return;
      }
      new Installer(instrumentation, config, version).install(inBackground);
      if (LeveeLog.isDebug()) {
        LeveeLog.info("levee: premain took " + (System.nanoTime() - began) / 1_000_000 + " ms");
      }
    } catch (Throwable t) {
      LeveeLog.info("levee " + version + ": failed to start (" + t + "); the application runs without Levee");
    }
  }

  /** Prints the one line and returns true when a Levee already runs in this JVM. */
  private static boolean alreadyRunning(String version, String how) {
    String running = System.getProperty(RUNNING);
    if (running == null) {
      return false;
    }
    LeveeLog.info("levee " + version + ": levee " + running + " already runs in this JVM; this " + how
        + " changes nothing");
    return true;
  }

  /** The validated configuration; null (after printing every problem) when it must not be applied. */
  private static LeveeConfig loadConfig() {
    try {
      Optional<Path> file = ConfigLoader.locate(System::getProperty, System::getenv, agentJarDirectory());
      return file.isPresent() ? ConfigLoader.load(file.get()) : LeveeConfig.defaults();
    } catch (ConfigException e) {
      for (ConfigProblem problem : e.problems()) {
        LeveeLog.info("levee: " + problem);
      }
      if (Boolean.getBoolean("levee.strict")) {
        LeveeLog.info("levee: the configuration is invalid and -Dlevee.strict=true is set: exiting");
        System.exit(78); // EX_CONFIG
      }
      LeveeLog.info("levee: the configuration is invalid, so none of it is applied; the application runs without Levee");
      return null;
    }
  }

  static Path agentJarDirectory() {
    try {
      Path jar = Paths.get(LeveeAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return jar.getParent();
    } catch (Exception | Error e) {
      return null;
    }
  }

  static String version() {
    String v = LeveeAgent.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
