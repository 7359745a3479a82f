package dev.levee.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.smoke.apps.DeadlineHandoffApp;
import dev.levee.testkit.FaultServer;
import dev.levee.testkit.Jdk;
import dev.levee.testkit.RecordedRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The deadline of an inbound request follows its work to the threads the app hands it to
 * ({@code instrumentations/executors}), and stays with that work only: the same threads running
 * unrelated work afterwards, and a periodic task the request started, send a deadline of their own.
 */
class DeadlineHandoffSmokeTest {

  /** Work the request handed over: each call carries the request's deadline. */
  static final List<String> CARRIED = Arrays.asList(
      "submit", "execute", "schedule", "forkjoin", "supplyAsync", "thenApplyAsync", "thenApply");
  /** JDK 21+. */
  static final List<String> CARRIED_BY_VIRTUAL_THREADS = Arrays.asList("virtual-thread", "virtual-executor");
  /** Unrelated work on the same threads afterwards: each call has its own deadline, now + timeout.total. */
  static final List<String> UNRELATED = Arrays.asList(
      "after-submit", "after-schedule", "after-forkjoin", "after-completer", "periodic");

  static final long BUDGET_MILLIS = 20_000;
  static final long TOTAL_MILLIS = 60_000;

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.levee.smoke.SmokeJdks#both")
  void theDeadlineFollowsTheWorkAndOnlyTheWork(Jdk jdk, @TempDir Path dir) {
    try (FaultServer backend = FaultServer.start()) {
      // the margin kept for the reply is 0, so the work's deadline is exactly the inbound one
      Path config = SmokeApp.writeConfig(dir,
          "deadline:", "  inbound: { replyMargin: 0ms }",
          "http:", "  defaults:", "    timeout: { total: 60s }", "    retry: { maxAttempts: 1 }",
          // the one request the app sends itself (HttpURLConnection) arrives with its deadline as the app set it
          "instrumentation:", "  httpurlconnection: false");
      long deadline = System.currentTimeMillis() + BUDGET_MILLIS;

      AppRun run = SmokeApp.launch(jdk, DeadlineHandoffApp.class.getName())
          .config(config)
          .workingDirectory(dir)
          .args("--backend", backend.url(""), "--deadline", Long.toString(deadline))
          .run();

      String why = "\n" + run.describe() + "\nbackend received:\n" + backend.requests();
      assertEquals(0, run.exitCode(), why);
      assertTrue(run.stdout().contains("inbound status=200"), why);
      assertTrue(run.stdout().contains("\ndone"), why);
      assertTrue(run.stderr().contains("executors"), "the startup line lists the instrumentation" + why);
      // every hooked method exists on this JDK (a missing one says "Levee does not apply"), no hook failed
      assertFalse(run.stderr().contains("does not apply"), why);
      assertFalse(run.stderr().contains("could not carry"), why);
      // the executors are used from the first line of main, while Levee is still starting
      assertFalse(run.stderr().contains("not ready in time"), why);

      List<String> carried = new ArrayList<>(CARRIED);
      if (run.stdout().contains("virtual-threads yes")) {
        carried.addAll(CARRIED_BY_VIRTUAL_THREADS);
      } else {
        assertTrue(jdk.name().contains("17"), "virtual threads exist on " + jdk + why);
      }
      for (String name : carried) {
        List<RecordedRequest> calls = backend.requests("/" + name);
        assertEquals(1, calls.size(), name + why);
        assertEquals(Long.toString(deadline), calls.get(0).header("X-Request-Deadline"),
            name + ": handed over by the request, carries its deadline" + why);
      }
      for (String name : UNRELATED) {
        List<RecordedRequest> calls = backend.requests("/" + name);
        assertFalse(calls.isEmpty(), name + why);
        for (RecordedRequest call : calls) {
          long sent = Long.parseLong(call.header("X-Request-Deadline"));
          long ownBudget = sent - call.epochMillis();
          // the request's deadline had at most BUDGET_MILLIS left; a call's own has timeout.total
          assertTrue(ownBudget > (BUDGET_MILLIS + TOTAL_MILLIS) / 2 && ownBudget <= TOTAL_MILLIS,
              name + ": no stale deadline, its own (now + 60 s), got " + ownBudget + " ms left" + why);
        }
      }
    }
  }
}
