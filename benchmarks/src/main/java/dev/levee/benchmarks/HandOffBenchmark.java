package dev.levee.benchmarks;

import dev.levee.testkit.ForkedJvm;
import dev.levee.testkit.Jdk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cost of the deadline following work across threads: {@link HandOffApp} run alternately with and
 * without {@code -javaagent}, the median of each figure over the runs.
 *
 * <p>Run: {@code java -cp benchmarks/target/levee-benchmarks.jar dev.levee.benchmarks.HandOffBenchmark [runs] [agent.jar] [javaHome]}
 */
public final class HandOffBenchmark {

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Path agent = Paths.get(args.length > 1 ? args[1] : "agent/target/levee-agent.jar").toAbsolutePath();
    Jdk jdk = args.length > 2 ? Jdk.of("given", Paths.get(args[2])) : Jdk.current17();
    if (!Files.isRegularFile(agent)) {
      throw new IllegalStateException("no agent at " + agent + ": run mvn package first");
    }
    Path self = StartupBenchmark.appClasses();
    Map<String, List<Long>> without = new LinkedHashMap<>();
    Map<String, List<Long>> with = new LinkedHashMap<>();
    for (int i = 0; i < runs; i++) {
      collect(run(jdk, self, null), without);
      collect(run(jdk, self, agent), with);
    }
    System.out.printf("JDK %s, %d runs each; ns per hand-off, median of runs (each the best of %d rounds)%n",
        jdk.home(), runs, HandOffApp.ROUNDS);
    System.out.printf("%-30s %10s %10s%n", "", "without", "with agent");
    for (String key : without.keySet()) {
      System.out.printf("%-30s %10d %10d%n", key, median(without.get(key)), median(with.get(key)));
    }
  }

  private static void collect(String output, Map<String, List<Long>> into) {
    for (String line : output.split("\n")) {
      String[] parts = line.trim().split(" ");
      if (parts.length == 2 && parts[0].contains(".")) {
        into.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Long.parseLong(parts[1]));
      }
    }
  }

  private static String run(Jdk jdk, Path classpath, Path agent) {
    ForkedJvm.Builder jvm = ForkedJvm.builder().jdk(jdk).classpath(classpath).mainClass(HandOffApp.class.getName())
        .timeout(Duration.ofMinutes(5));
    if (agent != null) {
      jvm.javaagent(agent);
    }
    ForkedJvm.Result result = jvm.run();
    if (result.exitCode() != 0) {
      throw new IllegalStateException(result.describe());
    }
    return result.stdout();
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  private HandOffBenchmark() {}
}
