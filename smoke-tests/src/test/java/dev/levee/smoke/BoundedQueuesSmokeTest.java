package dev.levee.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.smoke.apps.FloodedPoolApp;
import dev.levee.testkit.Jdk;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 13, bounded queues: an unmodified app floods ThreadPoolExecutors with unbounded queues. Levee
 * names each creation site once at startup, logs the queue's high-water mark, sums it up at exit, and
 * with {@code executors.maxQueue} hands the excess to the pool's own rejection policy.
 */
class BoundedQueuesSmokeTest {

  static final String APP = "dev.levee.smoke.apps.FloodedPoolApp";

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.levee.smoke.SmokeJdks#both")
  void unboundedQueuesAreReportedAndNothingIsRefused(Jdk jdk, @TempDir Path dir) {
    AppRun run = SmokeApp.launch(jdk, FloodedPoolApp.class.getName()).config(SmokeApp.writeConfig(dir, "http: {}"))
        .run();
    String why = "\n" + run.describe();
    assertEquals(0, run.exitCode(), why);
    assertTrue(run.stdout().contains("abort queued=1500 rejected=0"), why);
    assertTrue(run.stdout().contains("callerRuns queued=150 onCaller=0"), why);
    List<String> created = lines(run, "executors: unbounded queue: ");
    assertEquals(3, created.size(), "one line per creation site, not per pool" + why);
    assertTrue(created.get(0).contains("java.util.concurrent.ThreadPoolExecutor (corePoolSize 2, maximumPoolSize 2, "
        + "LinkedBlockingQueue) created at " + APP + ".main(FloodedPoolApp.java:"), why);
    assertTrue(created.get(2).contains("created at " + APP + ".poolsInALoop(FloodedPoolApp.java:"), why);
    assertEquals(1, lines(run, "holds 1000 tasks (high-water mark)").size(), why);
    List<String> atExit = lines(run, "executors: at exit, unbounded queue created at ");
    assertEquals(3, atExit.size(), why);
    assertTrue(atExit.stream().anyMatch(l -> l.contains("(1 pool): high-water mark 1499 tasks")), why);
    assertTrue(atExit.stream().anyMatch(l -> l.contains("poolsInALoop") && l.contains("(20 pools)")), why);
    assertFalse(run.stderr().contains("refused"), why);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.levee.smoke.SmokeJdks#both")
  void maxQueueHandsTheExcessToThePoolsOwnPolicy(Jdk jdk, @TempDir Path dir) {
    AppRun run = SmokeApp.launch(jdk, FloodedPoolApp.class.getName())
        .config(SmokeApp.writeConfig(dir, "executors:", "  maxQueue: 100"))
        .run();
    String why = "\n" + run.describe();
    assertEquals(0, run.exitCode(), why);
    // AbortPolicy: RejectedExecutionException for every task past the 100 queued
    assertTrue(run.stdout().contains("abort queued=100 rejected=1400"), why);
    // CallerRunsPolicy: the excess ran on the thread that handed it over
    assertTrue(run.stdout().contains("callerRuns queued=100 onCaller=50"), why);
    assertTrue(run.stderr().contains("executors.maxQueue: 100 refuses more"), why);
    assertTrue(run.stderr().contains("(1 pool): high-water mark 100 tasks, 1400 refused by executors.maxQueue 100"),
        why);
    assertTrue(lines(run, "holds 1000 tasks").isEmpty(), why);
  }

  private static List<String> lines(AppRun run, String containing) {
    return run.stderrLines().stream().filter(l -> l.contains(containing)).collect(Collectors.toList());
  }
}
