package dev.levee.smoke;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Levee's test switch ({@code dev.levee.core.Faults}) as a forked app drives it: started with
 * {@code -Dlevee.test.fault=none}, the app sets the property before a call ({@code --fault-before-call I:F})
 * and every step of Levee's own reads it, so one JVM sees each step fail in each way in turn.
 */
final class InjectedFaults {

  /** Levee's steps, in the order a call meets them (the names of {@code Faults.Step}). */
  static final List<String> STEPS =
      Collections.unmodifiableList(List.of("config", "request", "attempt", "classify", "record", "release", "schedule", "limit"));

  /** What a step throws: a runtime exception, a linkage error, a checked reflective failure. */
  static final List<String> KINDS = Collections.unmodifiableList(List.of("runtime", "linkage", "reflective"));

  private InjectedFaults() {}

  /** Every step with every kind: {@code config:runtime}, {@code config:linkage}, ..., 21 of them. */
  static List<String> all() {
    List<String> all = new ArrayList<>();
    for (String step : STEPS) {
      for (String kind : KINDS) {
        all.add(step + ":" + kind);
      }
    }
    return all;
  }

  /**
   * The app's arguments for {@code callsPerFault} calls with each fault of {@link #all()} in turn, then
   * {@code callsPerFault} with none: calls {@code [k * callsPerFault, (k + 1) * callsPerFault)} run with the
   * k-th.
   */
  static List<String> appArgs(int callsPerFault) {
    List<String> args = new ArrayList<>();
    List<String> faults = all();
    for (int k = 0; k <= faults.size(); k++) {
      args.add("--fault-before-call");
      args.add(k * callsPerFault + ":" + (k < faults.size() ? faults.get(k) : "none"));
    }
    return args;
  }

  /** How many calls {@link #appArgs} makes. */
  static int calls(int callsPerFault) {
    return (all().size() + 1) * callsPerFault;
  }

  /** The fault call {@code index} ran with. */
  static String faultOf(int index, int callsPerFault) {
    int k = index / callsPerFault;
    return k < all().size() ? all().get(k) : "none";
  }

  /**
   * The steps that never threw: the agent prints {@code levee test faults thrown: config=3 request=3 ...} at
   * exit; a step at 0 was never reached, and the run proved nothing about it.
   */
  static List<String> neverThrown(String stderr) {
    java.util.regex.Matcher line = java.util.regex.Pattern.compile("levee test faults thrown:(.*)").matcher(stderr);
    if (!line.find()) {
      return STEPS;
    }
    List<String> missing = new ArrayList<>();
    for (String step : STEPS) {
      if (!java.util.regex.Pattern.compile("\\b" + step + "=[1-9]").matcher(line.group(1)).find()) {
        missing.add(step);
      }
    }
    return missing;
  }

  /** A port on 127.0.0.1 nothing listens on: a connect there is refused at once. */
  static int refusedPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
