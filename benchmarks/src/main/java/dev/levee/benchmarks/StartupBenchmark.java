package dev.levee.benchmarks;

import dev.levee.testkit.FaultServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Whole-process cost of the agent: the wall time of {@link OneCallApp} (start the JVM, make one JDK
 * HttpClient call to a local server, exit), its class path holding the usual client jars, run in turn
 * without an agent, with a no-op agent (one transformer that returns null: what any {@code -javaagent}
 * costs), with Levee, and with the OpenTelemetry Java agent when the build copied it; alternating runs,
 * the median and the spread of each, and the differences of medians.
 *
 * <p>Run: {@code java -cp benchmarks/target/levee-benchmarks.jar dev.levee.benchmarks.StartupBenchmark [runs] [agent.jar] [javaHome]};
 * {@code -Dstartup.compare=other-levee-agent.jar} adds a row for another build of Levee (e.g. main's), run
 * in the same alternation, for a before/after on a busy machine; {@code -Dstartup.client=httpurlconnection} (or
 * {@code apache-httpclient4}, {@code apache-httpclient5}) makes the app's one call with
 * {@code java.net.HttpURLConnection} (Apache HttpClient 4.5, 5.6) instead of the JDK HttpClient;
 * {@code -Dstartup.otel=false} leaves out the OpenTelemetry row (3 s a run) for a quicker before/after.
 */
public final class StartupBenchmark {

  private static final Path NOOP_AGENT = Paths.get("benchmarks/target/noop-agent.jar").toAbsolutePath();
  private static final Path OTEL_AGENT = Paths.get("benchmarks/target/opentelemetry-javaagent.jar").toAbsolutePath();
  /** Exporters off: the OpenTelemetry agent's own start-up is measured, not its failing to reach a collector. */
  private static final String[] OTEL_PROPERTIES = {
      "otel.traces.exporter", "none", "otel.metrics.exporter", "none", "otel.logs.exporter", "none"};

  private static final class Variant {
    final String label;
    final Path agent;
    final String[] properties;
    final List<Long> millis = new ArrayList<>();

    Variant(String label, Path agent, String... properties) {
      this.label = label;
      this.agent = agent;
      this.properties = properties;
    }
  }

  /** The client of the app's one call: {@code jdk-httpclient} (default), {@code httpurlconnection}, {@code apache-httpclient4} or {@code apache-httpclient5}. */
  private static final String CLIENT = System.getProperty("startup.client", "jdk-httpclient");

  public static void main(String[] args) throws Exception {
    WholeProcess bench = WholeProcess.fromArgs(args, 20);
    List<Variant> variants = new ArrayList<>();
    variants.add(new Variant("no agent", null));
    if (Files.isRegularFile(NOOP_AGENT)) {
      variants.add(new Variant("no-op agent", NOOP_AGENT));
    } else {
      System.out.println("no " + NOOP_AGENT + " (built by mvn package): the no-op agent row is skipped");
    }
    String compare = System.getProperty("startup.compare");
    if (compare != null) {
      variants.add(new Variant("Levee compared", Paths.get(compare).toAbsolutePath()));
    }
    variants.add(new Variant("Levee", bench.agent));
    if (!Boolean.parseBoolean(System.getProperty("startup.otel", "true"))) {
      System.out.println("-Dstartup.otel=false: the OpenTelemetry row is skipped");
    } else if (Files.isRegularFile(OTEL_AGENT)) {
      variants.add(new Variant("OpenTelemetry", OTEL_AGENT, OTEL_PROPERTIES));
    } else {
      System.out.println("no " + OTEL_AGENT + " (copied by mvn package unless -Dskip.otel, or if Maven could not "
          + "resolve it): the OpenTelemetry row is skipped");
    }
    try (FaultServer server = FaultServer.start()) {
      String url = server.url("/ping");
      for (Variant v : variants) {
        wallMillis(bench, v, url); // warm the file cache
      }
      for (int i = 0; i < bench.runs; i++) {
        for (Variant v : variants) {
          v.millis.add(wallMillis(bench, v, url));
        }
      }
    }
    System.out.printf("JDK %s, %d runs each, one %s call per run, %d jars on the app's class path%n",
        bench.jdk.home(), bench.runs, CLIENT, bench.appClassPathSize() - 1);
    long none = WholeProcess.median(variants.get(0).millis);
    long previous = none;
    for (Variant v : variants) {
      long median = WholeProcess.median(v.millis);
      report(v.label, v.millis, median - none, median - previous);
      previous = median;
    }
  }

  private static long wallMillis(WholeProcess bench, Variant v, String url) {
    return bench.run(OneCallApp.class, v.agent, Duration.ofMinutes(1), new String[] {url, CLIENT}, v.properties)
        .wallTime().toMillis();
  }

  private static void report(String label, List<Long> values, long added, long overPrevious) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    System.out.printf("%-14s median %4d ms   min %4d ms   max %4d ms   added %+5d ms   over the row above %+5d ms%n",
        label, WholeProcess.median(values), sorted.get(0), sorted.get(sorted.size() - 1), added, overPrevious);
  }

  private StartupBenchmark() {}
}
