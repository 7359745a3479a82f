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
  private final List<Path> appClasses;

  private WholeProcess(int runs, Path agent, Jdk jdk, List<Path> appClasses) {
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
   * The measured apps' class path: their classes, without the rest of the benchmarks jar (that jar also holds
   * Levee's core classes, which the app's class path would put ahead of the agent's own), then the client
   * jars a real app carries ({@code target/app-libs}: OkHttp with okio and Kotlin's stdlib, Apache HttpClient
   * 5 with its core, the PostgreSQL and H2 drivers), which the apps do not call.
   */
  private static List<Path> appClasses() {
    Path classes = Paths.get("benchmarks/target/classes");
    if (!Files.isDirectory(classes)) {
      throw new IllegalStateException("no " + classes.toAbsolutePath() + ": run from the repository root after mvn package");
    }
    List<Path> path = new ArrayList<>();
    path.add(classes.toAbsolutePath());
    Path libs = Paths.get("benchmarks/target/app-libs");
    if (Files.isDirectory(libs)) {
      try (java.util.stream.Stream<Path> jars = Files.list(libs)) {
        jars.filter(j -> j.toString().endsWith(".jar")).sorted().forEach(j -> path.add(j.toAbsolutePath()));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return path;
  }

  /** Runs {@code mainClass} to its end, with Levee's agent or without; fails unless it exits 0. */
  ForkedJvm.Result run(Class<?> mainClass, boolean withAgent, Duration timeout, String... args) {
    return run(mainClass, withAgent ? agent : null, timeout, args);
  }

  /**
   * Runs {@code mainClass} to its end with the given agent jar (null: none); fails unless it exits 0.
   *
   * @param systemProperties name, value, name, value...
   */
  ForkedJvm.Result run(Class<?> mainClass, Path agentJar, Duration timeout, String[] args,
      String... systemProperties) {
    ForkedJvm.Builder jvm = ForkedJvm.builder().jdk(jdk).classpath(appClasses).mainClass(mainClass.getName())
        .args(args).timeout(timeout);
    if (agentJar != null) {
      jvm.javaagent(agentJar);
    }
    for (int i = 0; i + 1 < systemProperties.length; i += 2) {
      jvm.systemProperty(systemProperties[i], systemProperties[i + 1]);
    }
    ForkedJvm.Result result = jvm.run();
    if (result.exitCode() != 0) {
      throw new IllegalStateException(result.describe());
    }
    return result;
  }

  /** Entries on the measured apps' class path: their classes, then the client jars. */
  int appClassPathSize() {
    return appClasses.size();
  }

  static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
