package dev.levee.benchmarks;

import dev.levee.testkit.ForkedJvm;
import dev.levee.testkit.Jdk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the backpressure benchmarks share: one forked run of an app without Levee, or with the agent and one
 * variant's {@code resilience.yaml} ({@code benchmarks/backpressure/NAME.yaml}, edited freely: each variant's
 * configuration is a file, not code). The agent runs with {@code -Dlevee.strict=true}, so a file this build
 * of Levee does not accept (a key from a later issue) ends the run with its problems instead of a silent run
 * without Levee; the row then says so.
 *
 * <p>Command line of every backpressure benchmark: {@code [agent.jar] [javaHome]}, from the repository root.
 */
final class BackpressureRun {

  /** The exit code of a JVM whose agent refused its configuration under {@code -Dlevee.strict=true}. */
  static final int CONFIG_REFUSED = 78;
  static final Path CONFIGS = Paths.get("benchmarks/backpressure");

  final Path agent;
  final Jdk jdk;
  private final List<Path> classPath;

  private BackpressureRun(Path agent, Jdk jdk, List<Path> classPath) {
    this.agent = agent;
    this.jdk = jdk;
    this.classPath = classPath;
  }

  static BackpressureRun fromArgs(String[] args) {
    Path agent = Paths.get(args.length > 0 ? args[0] : "agent/target/levee-agent.jar").toAbsolutePath();
    Jdk jdk = args.length > 1 ? Jdk.of("given", Paths.get(args[1])) : Jdk.current17();
    if (!Files.isRegularFile(agent)) {
      throw new IllegalStateException("no agent at " + agent + ": run mvn package first");
    }
    return new BackpressureRun(agent, jdk, classPath());
  }

  /**
   * The apps' class path: their classes (not the benchmarks jar, which also holds Levee's core classes that
   * would shadow the agent's), then Resilience4j and slf4j-api ({@code target/resilience4j-libs}), which only
   * the hand-written comparison calls.
   */
  private static List<Path> classPath() {
    Path classes = Paths.get("benchmarks/target/classes");
    Path libs = Paths.get("benchmarks/target/resilience4j-libs");
    if (!Files.isDirectory(classes) || !Files.isDirectory(libs)) {
      throw new IllegalStateException("no " + classes.toAbsolutePath() + " or " + libs.toAbsolutePath()
          + ": run from the repository root after mvn package");
    }
    List<Path> path = new ArrayList<>();
    path.add(classes.toAbsolutePath());
    try (Stream<Path> jars = Files.list(libs)) {
      jars.filter(j -> j.toString().endsWith(".jar")).sorted().forEach(j -> path.add(j.toAbsolutePath()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return path;
  }

  /**
   * Runs {@code mainClass} to its end. {@code config}: null runs without the agent; else the name of a file
   * in {@link #CONFIGS} without {@code .yaml}. Returns null when the agent refused that file (its problems are
   * printed); fails on any other exit but 0.
   */
  ForkedJvm.Result run(Class<?> mainClass, String config, Duration timeout, String... args) {
    return checked(jvm(mainClass, config, timeout, args).run(), config);
  }

  /**
   * Starts {@code mainClass}, waits for its stdout line starting with {@code line}, calls {@code then}, and
   * waits for the app to print {@code lastLine} and exit; as {@link #run} otherwise.
   */
  ForkedJvm.Result run(Class<?> mainClass, String config, Duration timeout, String line, Runnable then,
      String lastLine, String... args) {
    ForkedJvm.Background app = jvm(mainClass, config, timeout, args).start();
    try {
      app.awaitOutput(line);
      then.run();
      app.awaitOutput(lastLine);
    } catch (AssertionError exited) {
      // refused, or failed: the result says which
      return checked(app.stop(), config);
    }
    // it printed all it had to say and is exiting: stopping it cuts nothing
    return app.stop();
  }

  private ForkedJvm.Builder jvm(Class<?> mainClass, String config, Duration timeout, String... args) {
    ForkedJvm.Builder jvm = ForkedJvm.builder().jdk(jdk).classpath(classPath).mainClass(mainClass.getName())
        .args(args).timeout(timeout).jvmArg("-Xmx512m");
    if (System.getProperty("seed.verbose") != null) {
      jvm.systemProperty("seed.verbose", System.getProperty("seed.verbose"));
    }
    if (config != null) {
      Path file = CONFIGS.resolve(config + ".yaml").toAbsolutePath();
      if (!Files.isRegularFile(file)) {
        throw new IllegalStateException("no configuration " + file);
      }
      jvm.javaagent(agent).systemProperty("levee.config", file.toString()).systemProperty("levee.strict", "true");
    }
    return jvm;
  }

  private static ForkedJvm.Result checked(ForkedJvm.Result result, String config) {
    if (config != null && result.exitCode() == CONFIG_REFUSED) {
      System.out.println("  " + config + ".yaml refused by this build of Levee (row skipped):");
      for (String line : result.stderrLines()) {
        System.out.println("    " + line);
      }
      return null;
    }
    if (result.exitCode() != 0) {
      throw new IllegalStateException(result.describe());
    }
    return result;
  }

  /** The value of the app's {@code KEY value} output line; -1 when absent. */
  static long value(ForkedJvm.Result result, String key) {
    for (String line : result.stdoutLines()) {
      String[] parts = line.trim().split(" ");
      if (parts.length == 2 && parts[0].equals(key)) {
        return Long.parseLong(parts[1]);
      }
    }
    return -1;
  }

  /** Milliseconds as seconds with one decimal, for the tables. */
  static String seconds(long millis) {
    return String.format("%.1f s", millis / 1000.0);
  }
}
