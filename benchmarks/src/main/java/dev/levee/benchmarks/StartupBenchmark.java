package dev.levee.benchmarks;

import dev.levee.testkit.FaultServer;
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
    WholeProcess bench = WholeProcess.fromArgs(args, 20);
    List<Long> without = new ArrayList<>();
    List<Long> with = new ArrayList<>();
    try (FaultServer server = FaultServer.start()) {
      String url = server.url("/ping");
      wallMillis(bench, false, url); // warm the file cache
      wallMillis(bench, true, url);
      for (int i = 0; i < bench.runs; i++) {
        without.add(wallMillis(bench, false, url));
        with.add(wallMillis(bench, true, url));
      }
    }
    System.out.printf("JDK %s, %d runs each, one HttpClient call per run%n", bench.jdk.home(), bench.runs);
    report("without agent", without);
    report("with agent", with);
    System.out.printf("added by the agent (difference of medians): %d ms%n",
        WholeProcess.median(with) - WholeProcess.median(without));
  }

  private static long wallMillis(WholeProcess bench, boolean withAgent, String url) {
    return bench.run(OneCallApp.class, withAgent, Duration.ofMinutes(1), url).wallTime().toMillis();
  }

  private static void report(String label, List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    System.out.printf("%-14s median %4d ms   min %4d ms   max %4d ms%n", label, WholeProcess.median(values), sorted.get(0),
        sorted.get(sorted.size() - 1));
  }

  private StartupBenchmark() {}
}
