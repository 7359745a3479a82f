package dev.levee.benchmarks;

import static dev.levee.testkit.Behaviour.ok;
import static dev.levee.testkit.Behaviour.status;

import dev.levee.testkit.Behaviour;
import dev.levee.testkit.FaultServer;
import dev.levee.testkit.ForkedJvm;
import java.time.Duration;

/**
 * Issue 13 (a), the retry storm: {@link RetryStormApp} makes {@value #CALLS} GETs over {@value #THREADS}
 * threads to a dependency that answers 503 to every one, then {@value #CALLS} to a flaky one (one answer in
 * ten a 503); counted at the server, once without Levee and once per variant's configuration
 * ({@code benchmarks/backpressure/retry-storm-*.yaml}, every one with {@code maxAttempts: 3}).
 *
 * <p>Run: {@code java -cp benchmarks/target/levee-benchmarks.jar dev.levee.benchmarks.RetryStormBenchmark [agent.jar] [javaHome]}
 */
public final class RetryStormBenchmark {

  static final int CALLS = 1000;
  static final int THREADS = 8;
  static final int FLAKY_ONE_IN = 10;

  /** Rows: a label, and the configuration's file name (null: without the agent). */
  static final String[][] VARIANTS = {
    {"without Levee", null},
    {"Levee, retry.budget: none (breaker off)", "retry-storm-no-budget"},
    {"Levee, no budget key: the build's default (breaker off)", "retry-storm-breaker-off"},
    {"Levee, the default budget written out (breaker off)", "retry-storm-budget"},
    {"Levee, its defaults (breaker on)", "retry-storm-defaults"},
  };

  public static void main(String[] args) throws Exception {
    BackpressureRun bench = BackpressureRun.fromArgs(args);
    System.out.printf("Retry storm: %d GETs over %d threads to a dependency answering 503 to all, then %d to one"
        + " answering 503 to one in %d; JDK %s%n", CALLS, THREADS, CALLS, FLAKY_ONE_IN, bench.jdk.home());
    StringBuilder table = new StringBuilder();
    table.append("| variant | failing: requests | per call | app saw 503 / an exception | time | flaky: requests"
        + " | app saw 200 | time |\n");
    table.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (String[] variant : VARIANTS) {
      // two servers: two targets, so the failing one's breaker and budget leave the flaky one alone
      try (FaultServer dependency = FaultServer.start(); FaultServer flakyDependency = FaultServer.start()) {
        dependency.on("/failing").respond(status(503));
        flakyDependency.on("/flaky").respond(flaky());
        ForkedJvm.Result run = bench.run(RetryStormApp.class, variant[1], Duration.ofMinutes(5),
            dependency.url("/failing"), flakyDependency.url("/flaky"), Integer.toString(CALLS),
            Integer.toString(THREADS));
        if (run == null) {
          table.append("| " + variant[0] + " | refused by this build: see above |\n");
          continue;
        }
        int failing = dependency.requestCount("/failing");
        int flaky = flakyDependency.requestCount("/flaky");
        table.append(String.format("| %s | %d | %.2f | %d / %d | %s | %d | %s | %s |%n", variant[0], failing,
            failing / (double) CALLS, BackpressureRun.value(run, "failing.failed"),
            BackpressureRun.value(run, "failing.errors"),
            BackpressureRun.seconds(BackpressureRun.value(run, "failing.millis")), flaky,
            BackpressureRun.value(run, "flaky.ok") + "/" + CALLS,
            BackpressureRun.seconds(BackpressureRun.value(run, "flaky.millis"))));
        System.out.println("  done: " + variant[0]);
      }
    }
    System.out.print(table);
  }

  /** Every tenth answer a 503, the rest 200, for as many requests as the worst variant can send. */
  private static Behaviour[] flaky() {
    Behaviour[] answers = new Behaviour[CALLS * 3 + 1];
    for (int i = 0; i < answers.length; i++) {
      answers[i] = i % FLAKY_ONE_IN == FLAKY_ONE_IN - 1 ? status(503) : ok();
    }
    return answers;
  }

  private RetryStormBenchmark() {}
}
