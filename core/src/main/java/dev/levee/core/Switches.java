package dev.levee.core;

import java.util.Locale;

/**
 * Levee's switches, each settable from the command line or the environment, as OpenTelemetry's agent
 * does: {@code -Dlevee.x.y} first, else the environment variable {@code LEVEE_X_Y} (upper case, dots and
 * dashes as underscores), else the caller's default (where resilience.yaml also has the setting, its
 * value is that default: the command line and the environment override the file). A blank value counts as
 * unset.
 */
public final class Switches {

  /** {@code -Dlevee.enabled=false} or {@code LEVEE_ENABLED=false}: the agent starts, prints so, hooks nothing. */
  public static final String ENABLED = "levee.enabled";
  /** An invalid configuration stops the JVM (exit 78) rather than letting the app run without Levee. */
  public static final String STRICT = "levee.strict";
  /** Every instrumented class and the trace of every internal fault. */
  public static final String DEBUG = "levee.debug";

  private Switches() {}

  /** {@code -Dname}, else its environment variable; null when neither is set (or both are blank). */
  public static String value(String name) {
    String v = System.getProperty(name);
    if (v != null && !v.trim().isEmpty()) {
      return v.trim();
    }
    v = System.getenv(environmentName(name));
    return v == null || v.trim().isEmpty() ? null : v.trim();
  }

  /** A true/false switch: {@code "true"} or {@code "false"} (any case); anything else is the default. */
  public static boolean flag(String name, boolean fallback) {
    String v = value(name);
    if ("true".equalsIgnoreCase(v)) {
      return true;
    }
    if ("false".equalsIgnoreCase(v)) {
      return false;
    }
    return fallback;
  }

  /** {@code levee.instrumentation.okhttp.enabled} -> {@code LEVEE_INSTRUMENTATION_OKHTTP_ENABLED}. */
  public static String environmentName(String name) {
    return name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** The switch that turns one instrumentation on or off, over {@code instrumentation.<name>} in resilience.yaml. */
  public static String instrumentationEnabled(String instrumentation) {
    return "levee.instrumentation." + instrumentation + ".enabled";
  }
}
