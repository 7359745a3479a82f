package dev.levee.agent;

import dev.levee.core.LeveeLog;
import dev.levee.core.LeveeThreads;
import dev.levee.core.Switches;
import dev.levee.core.config.ConfigException;
import dev.levee.core.config.ConfigLoader;
import dev.levee.core.config.ConfigProblem;
import dev.levee.core.config.LeveeConfig;
import dev.levee.core.inbound.InboundLimits;
import dev.levee.core.pipeline.CallPipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Hot reload: the configuration file is read again every {@value #POLL_MILLIS} ms (by path, so a symlink
 * swapped under it, as a Kubernetes ConfigMap mount does, is followed) on Levee's own thread
 * ({@code levee-config-watch}). A change is applied once the file has read the same twice in a row (an
 * editor's half-written file is not taken), through the same reader as at startup, so within about a second:
 *
 * <ul>
 *   <li>valid: the {@code http} and {@code jdbc} rules are replaced whole, atomically for each call (it sees
 *       the old rules or the new); each target keeps the state of every policy whose settings did not change
 *       ({@link CallPipeline#reconfigure}); the {@code inbound} rules likewise for each request, each path
 *       rule keeping a limiter whose settings did not change ({@link InboundLimits#reconfigure}); one line
 *       says so. Sections read only at startup (deadline, instrumentation, executors, metrics) are named if
 *       they changed: they need a restart;
 *   <li>invalid: every problem is printed, once, and the running configuration stays.
 * </ul>
 *
 * <p>{@code -Dlevee.reload=false} ({@code LEVEE_RELOAD=false}) turns it off. Only a file Levee started from is
 * watched: with the built-in defaults there is nothing to watch.
 */
final class ConfigReload {

  static final String SWITCH = "levee.reload";
  static final long POLL_MILLIS = 500;

  private final Path file;
  private final CallPipeline http;
  private final CallPipeline jdbc;
  private final InboundLimits inbound;
  private LeveeConfig running;
  private byte[] applied;
  private byte[] seen;

  private ConfigReload(Path file, LeveeConfig running, byte[] content, CallPipeline http, CallPipeline jdbc,
      InboundLimits inbound) {
    this.file = file;
    this.running = running;
    this.applied = content;
    this.seen = content;
    this.http = http;
    this.jdbc = jdbc;
    this.inbound = inbound;
  }

  /** Starts watching {@code file}, whose content {@code running} was read from; nothing when switched off. */
  static void start(Path file, LeveeConfig running, CallPipeline http, CallPipeline jdbc, InboundLimits inbound) {
    if (file == null || !Switches.flag(SWITCH, true)) {
      return;
    }
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      content = new byte[0];
    }
    ConfigReload reload = new ConfigReload(file, running, content, http, jdbc, inbound);
    LeveeThreads.newThread("levee-config-watch", reload::watch).start();
  }

  private void watch() {
    try {
      while (true) {
        Thread.sleep(POLL_MILLIS);
        try {
          poll();
        } catch (Throwable t) {
          LeveeLog.warnOnce("config.reload", "internal error reloading " + file + "; the running configuration stays", t);
        }
      }
    } catch (InterruptedException e) {
      // the JVM is going away
    }
  }

  /** One look at the file: a change seen twice in a row is applied (or, invalid, reported once). */
  void poll() {
    byte[] now;
    try {
      now = Files.readAllBytes(file);
    } catch (IOException e) {
      return; // between a ConfigMap's swaps, or deleted: the running configuration stays until it is back
    }
    boolean stable = Arrays.equals(now, seen);
    seen = now;
    if (!stable || Arrays.equals(now, applied)) {
      return;
    }
    applied = now;
    LeveeConfig next;
    try {
      next = ConfigLoader.load(file);
    } catch (ConfigException e) {
      for (ConfigProblem problem : e.problems()) {
        LeveeLog.info("levee: " + problem);
      }
      LeveeLog.info("levee: the changed " + file + " is invalid, so none of it is applied; the running configuration stays");
      return;
    }
    List<String> restart = new ArrayList<>();
    if (!next.deadline().equals(running.deadline())) {
      restart.add("deadline");
    }
    if (!next.instrumentation().equals(running.instrumentation())) {
      restart.add("instrumentation");
    }
    if (!next.executors().equals(running.executors())) {
      restart.add("executors");
    }
    if (!next.metrics().equals(running.metrics())) {
      restart.add("metrics");
    }
    http.reconfigure(next.http());
    jdbc.reconfigure(next.jdbc());
    inbound.reconfigure(next.inbound());
    boolean wasShedding = running.inbound().limitsAnything();
    running = next;
    LeveeLog.info("levee: config reloaded from " + file + ": http " + LeveeAgent.hostRules(next.http().rules().size())
        + ", jdbc " + LeveeAgent.hostRules(next.jdbc().rules().size()) + " apply to new calls"
        + (next.inbound().limitsAnything() ? "; inbound limits on (" + LeveeAgent.pathRules(next.inbound().paths().size())
            + ") apply to new requests" : wasShedding ? "; inbound limits off" : "")
        + (restart.isEmpty() ? "" : "; changes to " + String.join(", ", restart) + " need a restart"));
  }

}
