package dev.levee.benchmarks;

import dev.levee.testkit.ForkedJvm;
import dev.levee.testkit.Jdk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the whole-process benchmarks share: their command line ({@code [runs] [agent.jar] [javaHome]}), one
 * run of a measured app with or without the agent, and medians.
 */
final class WholeProcess {

  final int runs;
  final Path agent;
  final Jdk jdk;
  private final Path appClasses;

  private WholeProcess(int runs, Path agent, Jdk jdk, Path appClasses) {
    this.runs = runs;
    this.agent = agent;
    this.jdk = jdk;
    this.appClasses = appClasses;
  }

  static WholeProcess fromArgs(String[] args, int defaultRuns) {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : defaultRuns;
    Path agent = Paths.get(args.length > 1 ? args[1] : "agent/target/levee-agent.jar").toAbsolutePath();
    Jdk jdk = args.length > 2 ? Jdk.of("given", Paths.get(args[2])) : Jdk.current17();
    if (!Files.isRegularFile(agent)) {
      throw new IllegalStateException("no agent at " + agent + ": run mvn package first");
    }
    return new WholeProcess(runs, agent, jdk, appClasses());
  }

  /**
   * Where the measured apps' classes are, without the rest of the benchmarks jar: that jar also holds
   * Levee's core classes, which the app's class path would put ahead of the agent's own.
   */
  private static Path appClasses() {
    Path classes = Paths.get("benchmarks/target/classes");
    if (Files.isDirectory(classes)) {
      return classes.toAbsolutePath();
    }
    throw new IllegalStateException("no " + classes.toAbsolutePath() + ": run from the repository root after mvn package");
  }

  /** Runs {@code mainClass} to its end, with the agent or without; fails unless it exits 0. */
  ForkedJvm.Result run(Class<?> mainClass, boolean withAgent, Duration timeout, String... args) {
    ForkedJvm.Builder jvm = ForkedJvm.builder().jdk(jdk).classpath(appClasses).mainClass(mainClass.getName())
        .args(args).timeout(timeout);
    if (withAgent) {
      jvm.javaagent(agent);
    }
    ForkedJvm.Result result = jvm.run();
    if (result.exitCode() != 0) {
      throw new IllegalStateException(result.describe());
    }
    return result;
  }

  static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
