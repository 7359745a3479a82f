package dev.levee.benchmarks;

import static dev.levee.testkit.Behaviour.delay;
import static dev.levee.testkit.Behaviour.hang;

import dev.levee.testkit.FaultServer;
import dev.levee.testkit.ForkedJvm;
import java.time.Duration;

/**
 * Issue 13 (b), the seed scenario: {@link SeedScenarioApp}, {@code seed.rate} requests a second for
 * {@code seed.seconds} served by {@code seed.threads} request threads, each calling one of three dependencies
 * in turn; one dependency hangs (reads the request, never answers), the
 * other two answer 200 after {@value #HEALTHY_MILLIS} ms. Side by side in one run: the app with all three
 * healthy (what it serves when nothing is wrong), then with the hanging one under no protection, hand-written Resilience4j, Levee
 * with a fixed bulkhead ({@code benchmarks/backpressure/seed-fixed.yaml}) and Levee with an adaptive one
 * ({@code seed-adaptive.yaml}, {@code seed-adaptive-capped.yaml} with the limit at most the fixed one's, and {@code seed-gradient2.yaml}).
 *
 * <p>Run: {@code java -cp benchmarks/target/levee-benchmarks.jar dev.levee.benchmarks.SeedScenarioBenchmark [agent.jar] [javaHome]}
 * ({@code -Dseed.seconds=20 -Dseed.threads=32 -Dseed.rate=600 -Dseed.warmUp=5}; {@code -Dseed.only=adaptive}
 * runs only the rows whose label contains that text). The sick one answers like
 * the others during the warm-up (not measured), then hangs from the moment the app says its measured part
 * starts (read from its output every 20 ms: a few of the first requests still get an answer).
 */
public final class SeedScenarioBenchmark {

  static final int HEALTHY_MILLIS = 5;
  static final int SICK = 1;

  /** Rows: label, the app's mode, the configuration's file name (null: without the agent), whether one hangs. */
  static final String[][] VARIANTS = {
    {"all three healthy, no protection", "plain", null, "healthy"},
    {"no protection (no timeouts)", "plain", null, "hang"},
    {"hand-written Resilience4j", "resilience4j", null, "hang"},
    {"Levee, fixed bulkhead", "plain", "seed-fixed", "hang"},
    {"Levee, adaptive bulkhead", "plain", "seed-adaptive", "hang"},
    {"Levee, adaptive bulkhead capped at 8", "plain", "seed-adaptive-capped", "hang"},
    {"Levee, adaptive bulkhead, gradient2", "plain", "seed-gradient2", "hang"},
  };

  public static void main(String[] args) throws Exception {
    BackpressureRun bench = BackpressureRun.fromArgs(args);
    int seconds = Integer.getInteger("seed.seconds", 20);
    int threads = Integer.getInteger("seed.threads", 32);
    int rate = Integer.getInteger("seed.rate", 600);
    int warmUp = Integer.getInteger("seed.warmUp", 5);
    System.out.printf("Seed scenario: %d requests/s, %d request threads, each request calling one of three"
        + " dependencies in turn; all answer in %d ms for a %d s warm-up, then one hangs for the %d s measured;"
        + " JDK %s%n", rate, threads, HEALTHY_MILLIS, warmUp, seconds, bench.jdk.home());
    StringBuilder table = new StringBuilder();
    table.append("| variant | healthy: ok/s | x all healthy | x Resilience4j | healthy p50 / p99 | healthy p99 from 5 s on"
        + " | all: ok/s | sick: p99 | requests to the sick one |\n");
    table.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    double capacity = -1;
    double resilience4j = -1;
    String only = System.getProperty("seed.only", "");
    for (String[] variant : VARIANTS) {
      if (!variant[0].contains(only)) {
        continue;
      }
      FaultServer[] dependencies = {FaultServer.start(), FaultServer.start(), FaultServer.start()};
      try {
        for (FaultServer dependency : dependencies) {
          dependency.on("/").respond(delay(Duration.ofMillis(HEALTHY_MILLIS)));
        }
        FaultServer sick = dependencies[SICK];
        boolean hang = variant[3].equals("hang");
        int[] sentInWarmUp = new int[1];
        ForkedJvm.Result run = bench.run(SeedScenarioApp.class, variant[2], Duration.ofSeconds(warmUp + seconds + 120),
            "measuring", () -> {
              sentInWarmUp[0] = sick.requestCount("/");
              if (hang) {
                sick.on("/").respond(hang());
              }
            }, "millis", variant[1], Integer.toString(seconds), Integer.toString(threads), Integer.toString(rate),
            Integer.toString(warmUp), dependencies[0].url("/"), dependencies[1].url("/"), dependencies[2].url("/"));
        if (run == null) {
          table.append("| ").append(variant[0]).append(" | refused by this build: see above |\n");
          continue;
        }
        if (Boolean.getBoolean("seed.verbose")) {
          System.out.println(run.stdout() + run.stderr());
        }
        double runSeconds = BackpressureRun.value(run, "millis") / 1000.0;
        long healthyOk = BackpressureRun.value(run, "dep0.ok") + BackpressureRun.value(run, "dep2.ok");
        long allOk = healthyOk + BackpressureRun.value(run, "dep1.ok");
        double healthyRate = healthyOk / runSeconds;
        if (!hang) {
          capacity = healthyRate;
        }
        if (variant[1].equals("resilience4j")) {
          resilience4j = healthyRate;
        }
        long p50 = Math.max(BackpressureRun.value(run, "dep0.p50"), BackpressureRun.value(run, "dep2.p50"));
        long p99 = Math.max(BackpressureRun.value(run, "dep0.p99"), BackpressureRun.value(run, "dep2.p99"));
        long settled = Math.max(BackpressureRun.value(run, "dep0.p99settled"),
            BackpressureRun.value(run, "dep2.p99settled"));
        table.append(String.format("| %s | %.0f | %s | %s | %d / %d ms | %s | %.0f | %s | %d |%n", variant[0],
            healthyRate, capacity > 0 ? String.format("%.2f", healthyRate / capacity) : "",
            resilience4j > 0 ? String.format("%.2f", healthyRate / resilience4j) : "", p50, p99,
            settled < 0 ? "(run under 5 s)" : settled + " ms",
            allOk / runSeconds,
            variant[3].equals("hang") ? BackpressureRun.value(run, "dep1.p99") + " ms" : "",
            sick.requestCount("/") - sentInWarmUp[0]));
        System.out.println("  done: " + variant[0]);
      } finally {
        for (FaultServer d : dependencies) {
          d.close();
        }
      }
    }
    System.out.println("(p50 / p99 of the healthy: the worse of the two, from each request's arrival; requests still"
        + " waiting at the end count with the time they had waited; \"from 5 s on\": requests that arrived once the"
        + " hang's first 5 s were over; ratios: healthy ok/s over the all-healthy row's and over Resilience4j's)");
    System.out.print(table);
  }

  private SeedScenarioBenchmark() {}
}
