package dev.levee.agent;

import dev.levee.core.LeveeLog;
import dev.levee.core.Switches;
import dev.levee.core.config.ConfigException;
import dev.levee.core.config.ConfigLoader;
import dev.levee.core.config.ConfigProblem;
import dev.levee.core.config.LeveeConfig;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import java.util.function.Function;

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

  private static void start(Instrumentation instrumentation, boolean inBackground) {
    long began = System.nanoTime();
    String version = version();
    String how = inBackground ? "-javaagent" : "attach";
    try {
      if (alreadyRunning(version, how)) {
        return;
      }
      if (!Switches.flag(Switches.ENABLED, true)) {
        LeveeLog.info("levee " + version + ": disabled by " + (System.getProperty(Switches.ENABLED) != null
            ? "-D" + Switches.ENABLED : Switches.environmentName(Switches.ENABLED)) + "=false; nothing is instrumented");
        return;
      }
      Installer installer = new Installer(instrumentation, version, how);
      if (inBackground) {
        installer.startInBackground(); // prepares what needs no configuration while it is read
      }
      LeveeConfig config = null;
      try {
        long reading = System.nanoTime();
        config = loadConfig();
        if (LeveeLog.isDebug()) {
          LeveeLog.info("levee: config read in " + (System.nanoTime() - reading) / 1_000_000 + " ms");
        }
      } finally {
        if (config == null) {
          installer.abandon();
        }
      }
      if (config == null) {
        return;
      }
      installer.install(config, inBackground);
      if (LeveeLog.isDebug()) {
        LeveeLog.info("levee: premain took " + (System.nanoTime() - began) / 1_000_000 + " ms");
      }
    } catch (Throwable t) {
      LeveeLog.info("levee " + version + ": failed to start (" + t + "); the application runs without Levee");
    }
  }

  /**
   * One JVM runs one Levee: a second attach, or an attach after {@code -javaagent}, prints one line and
   * changes nothing. The first Levee claims the JVM in the bridge once it is ready ({@code
   * LeveeBridge.claim}); a start that applied nothing (an invalid config, {@code levee.enabled=false})
   * claims nothing, so a later attach may still start.
   */
  private static boolean alreadyRunning(String version, String how) {
    String running = Bridge.running();
    if (running == null) {
      return false;
    }
    LeveeLog.info(alreadyRunningLine(version, how, running));
    return true;
  }

  static String alreadyRunningLine(String version, String how, String running) {
    return "levee " + version + ": levee " + running + " already runs in this JVM; this " + how + " changes nothing";
  }

  /** The file the running configuration was read from; null for the built-in defaults. For hot reload. */
  static volatile Path configFile;

  /** The validated configuration; null (after printing every problem) when it must not be applied. */
  private static LeveeConfig loadConfig() {
    try {
      Optional<Path> file =
          ConfigLoader.locate(new Lookup(false), new Lookup(true), agentJarDirectory());
      configFile = file.orElse(null);
      return file.isPresent() ? ConfigLoader.load(file.get()) : LeveeConfig.defaults();
    } catch (ConfigException e) {
      for (ConfigProblem problem : e.problems()) {
        LeveeLog.info("levee: " + problem);
      }
      if (Switches.flag(Switches.STRICT, false)) {
        LeveeLog.info("levee: the configuration is invalid and -Dlevee.strict=true is set: exiting");
        System.exit(78); // EX_CONFIG
      }
      LeveeLog.info("levee: the configuration is invalid, so none of it is applied; the application runs without Levee");
      return null;
    }
  }

  /**
   * {@code System::getProperty} or {@code System::getenv}, as a class: a method reference spins a class at
   * startup (README, Startup).
   */
  private static final class Lookup implements Function<String, String> {
    private final boolean environment;

    Lookup(boolean environment) {
      this.environment = environment;
    }

    @Override
    public String apply(String name) {
      return environment ? System.getenv(name) : System.getProperty(name);
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

  /** "1 host rule", "3 host rules": how the startup line, {@code validate} and a reload count a section's rules. */
  static String hostRules(int n) {
    return n == 1 ? "1 host rule" : n + " host rules";
  }

  /** "1 path rule", "2 path rules": the inbound rules, in the startup line and on reload. */
  static String pathRules(int n) {
    return n == 1 ? "1 path rule" : n + " path rules";
  }

  static String version() {
    String v = LeveeAgent.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
