package dev.levee.benchmarks;

import dev.levee.testkit.FaultServer;
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
 * Whole-process cost of the agent: the wall time of {@link OneCallApp} (start the JVM, make one JDK
 * HttpClient call to a local server, exit), with and without {@code -javaagent}, alternating runs,
 * reporting the median and the spread of each and the difference of medians.
 *
 * <p>Run: {@code java -cp benchmarks/target/levee-benchmarks.jar dev.levee.benchmarks.StartupBenchmark [runs] [agent.jar] [javaHome]}
 */
public final class StartupBenchmark {

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    Path agent = Paths.get(args.length > 1 ? args[1] : "agent/target/levee-agent.jar").toAbsolutePath();
    Jdk jdk = args.length > 2 ? Jdk.of("given", Paths.get(args[2])) : Jdk.current17();
    if (!Files.isRegularFile(agent)) {
      throw new IllegalStateException("no agent at " + agent + ": run mvn package first");
    }
    Path self = appClasses();
    List<Long> without = new ArrayList<>();
    List<Long> with = new ArrayList<>();
    try (FaultServer server = FaultServer.start()) {
      String url = server.url("/ping");
      run(jdk, self, null, url); // warm the file cache
      run(jdk, self, agent, url);
      for (int i = 0; i < runs; i++) {
        without.add(run(jdk, self, null, url));
        with.add(run(jdk, self, agent, url));
      }
    }
    System.out.printf("JDK %s, %d runs each, one HttpClient call per run%n", jdk.home(), runs);
    report("without agent", without);
    report("with agent", with);
    System.out.printf("added by the agent (difference of medians): %d ms%n", median(with) - median(without));
  }

  private static long run(Jdk jdk, Path classpath, Path agent, String url) {
    ForkedJvm.Builder jvm = ForkedJvm.builder().jdk(jdk).classpath(classpath).mainClass(OneCallApp.class.getName())
        .args(url).timeout(Duration.ofMinutes(1));
    if (agent != null) {
      jvm.javaagent(agent);
    }
    ForkedJvm.Result result = jvm.run();
    if (result.exitCode() != 0) {
      throw new IllegalStateException(result.describe());
    }
    return result.wallTime().toMillis();
  }

  /**
   * Where the measured apps' classes are, without the rest of the benchmarks jar: that jar also holds
   * Levee's core classes, which the app's class path would put ahead of the agent's own.
   */
  static Path appClasses() throws Exception {
    Path classes = Paths.get("benchmarks/target/classes");
    if (Files.isDirectory(classes)) {
      return classes.toAbsolutePath();
    }
    throw new IllegalStateException("no " + classes.toAbsolutePath() + ": run from the repository root after mvn package");
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  private static void report(String label, List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    System.out.printf("%-14s median %4d ms   min %4d ms   max %4d ms%n", label, median(values), sorted.get(0),
        sorted.get(sorted.size() - 1));
  }

  private StartupBenchmark() {}
}
