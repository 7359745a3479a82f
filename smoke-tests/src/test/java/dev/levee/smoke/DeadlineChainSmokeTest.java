package dev.levee.smoke;

import static dev.levee.testkit.Behaviour.delay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.smoke.apps.DeadlineChainApp;
import dev.levee.testkit.FaultServer;
import dev.levee.testkit.ForkedJvm;
import dev.levee.testkit.Jdk;
import dev.levee.testkit.RecordedRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A chain of three unmodified services, each in its own JVM with the agent (README "Deadlines"):
 *
 * <pre>
 *   A (client, timeout.total 1s) --> B (relay: hands the call to a thread pool) --> C (worker) --> D (FaultServer, 300 ms a step)
 * </pre>
 *
 * B and C keep 200 ms back for their replies ({@code deadline.inbound.replyMargin}), so with A's deadline T,
 * B works to T-200 and C to T-400.
 */
class DeadlineChainSmokeTest {

  /**
   * What C's steps end with, per client: each client's own timeout exception; for JDBC, a statement cut
   * at the deadline or a connect unfinished then (Levee's connect timeout, SQLState 08001).
   */
  static final Map<String, String> STOPPED_BY = Map.of(
      "okhttp", "java.io.InterruptedIOException",
      "apache", "java.net.SocketTimeoutException",
      "jdbc", "java.sql.SQL(Timeout|TransientConnection)Exception");
  static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";

  /** A ping that arrived without a deadline header. */
  static final long NO_HEADER = -1;

  static final Pattern INBOUND = Pattern.compile("inbound (\\S+) (deadline|timeout)=(\\S+) at=(\\d+)");
  static final Pattern RESULT = Pattern.compile("result (status|error)=(\\S+) ms=(\\d+)");

  static final String[] MARGIN = {"deadline:", "  inbound: { replyMargin: 200ms }"};
  static final String[] A_CONFIG = {"http:", "  defaults:", "    timeout: { total: 1s }", "    retry: { maxAttempts: 1 }"};

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.levee.smoke.SmokeJdks#both")
  void aOneSecondDeadlineAtAEndsEveryHopInTime(Jdk jdk, @TempDir Path dir) throws Exception {
    try (FaultServer d = FaultServer.start(); Chain chain = Chain.start(jdk, dir, d, MARGIN, MARGIN, A_CONFIG)) {

      // C is slow: B's call to C ends at B's deadline (T-200), so B answers A before A's own deadline T
      String slow = chain.callA(jdk, "mode=sleep");
      long t = chain.inbound(chain.b, "/order").get(0);
      assertEquals(t - 200, (long) chain.inbound(chain.c, "/work").get(0),
          "B's hand-off to its thread pool carried B's deadline (A's less B's margin) to C" + chain.why());
      String gaveUp = chain.b.awaitOutput("relay gave up on C after ");
      assertTrue(gaveUp.contains("HttpTimeoutException"), gaveUp + chain.why());
      long gaveUpAt = Long.parseLong(gaveUp.replaceAll(".* at=(\\d+):.*", "$1"));
      // generous bounds: the machines are small and noisy
      assertTrue(gaveUpAt >= t - 200 - 50 && gaveUpAt <= t - 200 + 250,
          "B stopped waiting for C at its deadline T-200 (" + (gaveUpAt - t) + " ms after T)" + chain.why());
      Matcher a = RESULT.matcher(slow);
      assertTrue(a.find(), slow + chain.why());
      assertTrue(Long.parseLong(a.group(3)) < 1_500, "A did not wait for C's 5 s: " + slow + chain.why());
      if (a.group(1).equals("status")) {
        assertEquals("502", a.group(2), "A got B's answer: C failed" + chain.why());
      }

      // C works by calling D (or its database): its calls stop at C's deadline, nothing is sent after it
      int order = 1;
      for (String client : chain.clients()) {
        d.clear();
        d.on("/step").respond(delay(Duration.ofMillis(300)));
        String steps = chain.callA(jdk, "mode=steps&client=" + client);
        assertTrue(steps.contains("result status=200"), steps + chain.why());
        String worker = chain.c.awaitOutput("worker ", order);
        assertTrue(Pattern.compile("stoppedBy=" + STOPPED_BY.get(client) + " ").matcher(worker).find(),
            client + ": " + worker + chain.why());
        long deadlineOfC = chain.inbound(chain.b, "/order").get(order) - 400;
        int done = Integer.parseInt(worker.replaceAll(".*steps=(\\d+).*", "$1"));
        assertTrue(done <= 2, client + ": C abandoned its remaining steps: " + worker + chain.why());
        if (!client.equals("jdbc")) {
          List<RecordedRequest> sent = d.requests("/step");
          assertTrue(sent.size() <= 3, client + ": " + sent.size() + " of 10 steps sent" + chain.why());
          for (RecordedRequest step : sent) {
            assertEquals(Long.toString(deadlineOfC), step.header("X-Request-Deadline"),
                client + ": D sees C's deadline" + chain.why());
          }
        }
        order++;
      }

      // a request that arrives with its deadline already past: B's call fails before anything is sent to C
      int worksBefore = chain.inbound(chain.c, "/work").size();
      HttpResponse<String> expired = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + chain.bPort + "/order?mode=sleep"))
              .header("X-Request-Deadline", Long.toString(System.currentTimeMillis() - 1_000)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(502, expired.statusCode(), chain.why());
      assertTrue(expired.body().contains("HttpTimeoutException: levee: deadline expired for 127.0.0.1:"),
          "the client's own timeout exception, saying why: " + expired.body() + chain.why());
      assertEquals(worksBefore, chain.inbound(chain.c, "/work").size(), "nothing reached C" + chain.why());

      // the pool thread that carried the deadline runs unrelated work without it afterwards
      Thread.sleep(500);
      chain.stop();
      List<long[]> pings = chain.pings();
      assertTrue(pings.size() >= 3, chain.why());
      for (long[] ping : pings) {
        assertEquals(NO_HEADER, ping[0],
            "a ping sent by the pool carries no deadline (B has no total, the ping serves no request), no stale one: "
                + ping[0] + " at " + ping[1] + chain.why());
      }
    }
  }

  @Test
  void timeoutMillisCarriesTheTimeLeftAtEachHop(@TempDir Path dir) throws Exception {
    Jdk jdk = Jdk.current17();
    String[] relative = {"deadline:", "  header: X-Request-Timeout-Ms", "  format: timeout-millis",
        "  inbound: { replyMargin: 200ms }"};
    String[] impatient = {"deadline:", "  header: X-Request-Timeout-Ms", "  format: timeout-millis",
        "http:", "  defaults:", "    timeout: { total: 1s }", "    retry: { maxAttempts: 1 }"};
    try (FaultServer d = FaultServer.start(); Chain chain = Chain.start(jdk, dir, d, relative, relative, impatient)) {
      String slow = chain.callA(jdk, "mode=sleep");
      assertTrue(chain.b.awaitOutput("relay gave up on C after ").contains("HttpTimeoutException"), chain.why());
      long atB = chain.inbound(chain.b, "/order").get(0);
      long atC = chain.inbound(chain.c, "/work").get(0);
      assertTrue(atB <= 1_000 && atB > 500, "B was told the time A had left: " + atB + chain.why());
      assertTrue(atC <= atB - 200 && atC > 0, "C was told what B had left less B's margin: " + atC + chain.why());
    }
  }

  /** B, C and their output; A runs once per call. */
  static final class Chain implements AutoCloseable {
    final ForkedJvm.Background c;
    final ForkedJvm.Background b;
    final Path aConfig;
    final int bPort;
    final List<String> aRuns = new ArrayList<>();
    ForkedJvm.Result bResult;
    ForkedJvm.Result cResult;

    private Chain(ForkedJvm.Background c, ForkedJvm.Background b, int bPort, Path aConfig) {
      this.c = c;
      this.b = b;
      this.bPort = bPort;
      this.aConfig = aConfig;
    }

    static Chain start(Jdk jdk, Path dir, FaultServer d, String[] bConfig, String[] cConfig, String[] aConfig) {
      ForkedJvm.Background c = SmokeApp.launch(jdk, DeadlineChainApp.class.getName())
          .config(SmokeApp.writeConfig(mkdir(dir.resolve("c")), cConfig))
          .classpath(libraries())
          .args("worker", "--next", "http://127.0.0.1:" + d.port(), "--steps", "10", "--db", PG)
          .start();
      ForkedJvm.Background b = null;
      try {
        int cPort = port(c.awaitOutput("listening "));
        b = SmokeApp.launch(jdk, DeadlineChainApp.class.getName())
            .config(SmokeApp.writeConfig(mkdir(dir.resolve("b")), bConfig))
            .classpath(libraries())
            .args("relay", "--next", "http://127.0.0.1:" + cPort)
            .start();
        int bPort = port(b.awaitOutput("listening "));
        return new Chain(c, b, bPort, SmokeApp.writeConfig(mkdir(dir.resolve("a")), aConfig));
      } catch (RuntimeException | Error e) {
        // no service may outlive a failed start
        c.stop();
        if (b != null) {
          b.stop();
        }
        throw e;
      }
    }

    /** The client libraries the services use (one app class for all three: each gets them all). */
    static Path[] libraries() {
      List<Path> libraries = new ArrayList<>(OkHttpScenarios.jars(4));
      libraries.addAll(AbstractApacheScenarios.apacheJars(AbstractApacheScenarios.newestVersion()));
      libraries.add(SmokeApp.locationOf(org.postgresql.Driver.class));
      return libraries.toArray(new Path[0]);
    }

    /** The clients C's steps use: the database too when PostgreSQL runs here. */
    List<String> clients() {
      List<String> clients = new ArrayList<>(List.of("okhttp", "apache"));
      try (java.sql.Connection probe = java.sql.DriverManager.getConnection(PG, "postgres", "")) {
        clients.add("jdbc");
      } catch (java.sql.SQLException e) {
        System.out.println("no PostgreSQL at " + PG + " (" + e.getMessage() + "): the JDBC hop is skipped");
      }
      return clients;
    }

    String callA(Jdk jdk, String query) {
      AppRun run = SmokeApp.launch(jdk, DeadlineChainApp.class.getName())
          .config(aConfig)
          .classpath(libraries())
          .args("client", "--url", "http://127.0.0.1:" + bPort + "/order?" + query)
          .run();
      String out = run.stdout() + run.stderr();
      aRuns.add(out);
      return out;
    }

    /** The deadline (or time left) each request to {@code path} arrived with, in order. */
    List<Long> inbound(ForkedJvm.Background service, String path) {
      String prefix = "inbound " + path + " ";
      service.awaitOutput(prefix);
      List<Long> values = new ArrayList<>();
      for (String line : service.output().split("\n")) {
        Matcher m = INBOUND.matcher(line);
        if (m.find() && m.group(1).equals(path)) {
          values.add(Long.parseLong(m.group(3)));
        }
      }
      return values;
    }

    /** Each ping C received: {deadline or {@link #NO_HEADER}, received at}. */
    List<long[]> pings() {
      List<long[]> pings = new ArrayList<>();
      for (String line : c.output().split("\n")) {
        Matcher m = INBOUND.matcher(line);
        if (m.find() && m.group(1).equals("/ping")) {
          long deadline = m.group(3).equals("null") ? NO_HEADER : Long.parseLong(m.group(3));
          pings.add(new long[] {deadline, Long.parseLong(m.group(4))});
        }
      }
      return pings;
    }

    void stop() {
      bResult = b.stop();
      cResult = c.stop();
    }

    String why() {
      StringBuilder s = new StringBuilder("\n--- A runs:\n");
      aRuns.forEach(r -> s.append(r).append('\n'));
      s.append("--- B:\n").append(bResult != null ? bResult.describe() : b.output());
      s.append("\n--- C:\n").append(cResult != null ? cResult.describe() : c.output());
      return s.toString();
    }

    @Override
    public void close() {
      b.stop();
      c.stop();
    }

    private static int port(String listeningLine) {
      return Integer.parseInt(listeningLine.substring("listening ".length()).trim());
    }

    private static Path mkdir(Path p) {
      try {
        return java.nio.file.Files.createDirectories(p);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
