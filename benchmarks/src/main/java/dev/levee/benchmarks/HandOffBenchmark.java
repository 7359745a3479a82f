package dev.levee.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
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
    WholeProcess bench = WholeProcess.fromArgs(args, 5);
    Map<String, List<Long>> without = new LinkedHashMap<>();
    Map<String, List<Long>> with = new LinkedHashMap<>();
    for (int i = 0; i < bench.runs; i++) {
      collect(bench.run(HandOffApp.class, false, Duration.ofMinutes(5)).stdout(), without);
      collect(bench.run(HandOffApp.class, true, Duration.ofMinutes(5)).stdout(), with);
    }
    System.out.printf("JDK %s, %d runs each; ns per hand-off, median of runs (each the best of %d rounds)%n",
        bench.jdk.home(), bench.runs, HandOffApp.ROUNDS);
    System.out.printf("%-30s %10s %10s%n", "", "without", "with agent");
    for (String key : without.keySet()) {
      System.out.printf("%-30s %10d %10d%n", key, WholeProcess.median(without.get(key)), WholeProcess.median(with.get(key)));
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

  private HandOffBenchmark() {}
}
