package dev.levee.demo;

import dev.levee.testkit.Behaviour;
import dev.levee.testkit.FaultServer;
import dev.levee.testkit.ForkedJvm;
import dev.levee.testkit.RecordedRequest;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs {@link ShopApp} twice against the same misbehaving dependencies, once as it is and once with
 * {@code -javaagent:levee-agent.jar}, and prints side by side what the app saw and what reached the
 * dependencies. The dependencies are the project's fault-injecting server, started here:
 *
 * <ul>
 *   <li>inventory {@code /stock}: every third request answers 503;
 *   <li>inventory {@code /prices}: every fourth request takes 3 s;
 *   <li>recommendations: down, every request answers 500 after a 200 ms wait.
 * </ul>
 */
public final class Demo {

  static final int PAGES = 24;
  static final int CHECKOUTS = 5;
  static final Duration CALLER_WAITS = Duration.ofSeconds(1);

  public static void main(String[] args) throws Exception {
    Path agent = Paths.get(args.length > 0 ? args[0] : "agent/target/levee-agent.jar").toAbsolutePath();
    if (!Files.isRegularFile(agent)) {
      System.err.println("levee demo: no agent at " + agent + "; build it first: mvn -q package -DskipTests");
      System.exit(2);
    }
    Path self = Paths.get(Demo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path config = Files.createTempFile("levee-demo", ".yaml");
    try (InputStream in = Demo.class.getResourceAsStream("/demo-resilience.yaml")) {
      Files.copy(in, config, StandardCopyOption.REPLACE_EXISTING);
    }
    System.out.println("Levee demo: ShopApp renders " + PAGES + " pages; each page calls inventory /stock and /prices"
        + " and recommendations /recommendations.");
    System.out.println("  inventory /stock: every 3rd request answers 503; /prices: every 4th takes 3 s;"
        + " recommendations: down (500 after 200 ms).");
    System.out.println("  Levee's config for the run with the agent: " + config + "\n");
    Run without = run(self, null, config);
    Run with = run(self, agent, config);
    print(without, with);
    Files.deleteIfExists(config);

    Path deadlineConfig = Files.createTempFile("levee-demo-deadline", ".yaml");
    try (InputStream in = Demo.class.getResourceAsStream("/demo-deadline.yaml")) {
      Files.copy(in, deadlineConfig, StandardCopyOption.REPLACE_EXISTING);
    }
    System.out.println("\nPart 2, deadlines: a caller waits " + CALLER_WAITS.toMillis() + " ms for each of " + CHECKOUTS
        + " checkouts and says so (X-Request-Deadline); the checkout service (CheckoutService, no timeouts)");
    System.out.println("  hands each stock reservation to its worker pool; the inventory takes 3 s to answer it.");
    System.out.println("  Levee's config for the run with the agent: " + deadlineConfig + "\n");
    Chain chainWithout = chain(self, null, deadlineConfig);
    Chain chainWith = chain(self, agent, deadlineConfig);
    printChains(chainWithout, chainWith);
    Files.deleteIfExists(deadlineConfig);
  }

  /** The caller (this JVM, no agent) calls the checkout service, which calls the slow inventory. */
  private static Chain chain(Path classpath, Path agent, Path config) throws Exception {
    try (FaultServer inventory = FaultServer.start()) {
      inventory.on("/reserve").respond(Behaviour.ok().after(Duration.ofSeconds(3)));
      System.out.println(agent == null ? "Running the checkout service without Levee..." : "Running it with Levee...");
      ForkedJvm.Builder jvm = ForkedJvm.builder()
          .javaHome(Paths.get(System.getProperty("java.home")))
          .classpath(classpath)
          .mainClass(CheckoutService.class.getName())
          .args(inventory.url(""))
          .timeout(Duration.ofSeconds(30));
      if (agent != null) {
        jvm.javaagent(agent).systemProperty("levee.config", config.toString());
      }
      Chain chain = new Chain();
      try (ForkedJvm.Background service = jvm.start()) {
        String port = service.awaitOutput("listening ").substring("listening ".length()).trim();
        HttpClient caller = HttpClient.newHttpClient();
        for (int i = 0; i < CHECKOUTS; i++) {
          HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/checkout"))
              .header("X-Request-Deadline", Long.toString(System.currentTimeMillis() + CALLER_WAITS.toMillis()))
              .timeout(CALLER_WAITS)
              .build();
          try {
            caller.send(request, HttpResponse.BodyHandlers.ofString());
            chain.answeredInTime++;
          } catch (HttpTimeoutException gaveUp) {
            // the caller's own timeout: it got nothing
          }
        }
        // without Levee the service is still working on requests the caller gave up on
        service.awaitOutput("SERVED ", CHECKOUTS);
        for (String line : service.output().split("\n")) {
          if (line.startsWith("SERVED ")) {
            chain.servedMillis.add(Long.parseLong(line.replaceAll(".*ms=(\\d+).*", "$1")));
          }
        }
        chain.stderr.addAll(service.stop().stderrLines());
      }
      for (RecordedRequest r : inventory.requests("/reserve")) {
        chain.reserves++;
        if (r.header("X-Request-Deadline") != null) {
          chain.reservesWithDeadline++;
        }
      }
      return chain;
    }
  }

  private static void printChains(Chain without, Chain with) {
    System.out.println();
    System.out.printf("%-46s %14s %16s%n", "", "without Levee", "with Levee");
    row2("caller: answered within its " + CALLER_WAITS.toMillis() + " ms", without.answeredInTime + " of " + CHECKOUTS,
        with.answeredInTime + " of " + CHECKOUTS);
    row2("checkout: worked on each request (median)", without.medianServed() + " ms", with.medianServed() + " ms");
    row2("inventory: reservations carrying the deadline", without.reservesWithDeadline + " of " + without.reserves,
        with.reservesWithDeadline + " of " + with.reserves);
    System.out.println();
    System.out.println("Without Levee the checkout keeps working for 3 s on requests its caller gave up on after 1 s.");
    System.out.println("With Levee it inherits the caller's deadline (less 150 ms to reply), carries it into its worker");
    System.out.println("pool and on to the inventory, stops waiting at it and answers (502) while the caller still waits.");
  }

  private static void row2(String label, String a, String b) {
    System.out.printf("%-46s %14s %16s%n", label, a, b);
  }

  private static final class Chain {
    int answeredInTime;
    int reserves;
    int reservesWithDeadline;
    final List<Long> servedMillis = new ArrayList<>();
    final List<String> stderr = new ArrayList<>();

    long medianServed() {
      if (servedMillis.isEmpty()) {
        return -1;
      }
      List<Long> sorted = new ArrayList<>(servedMillis);
      Collections.sort(sorted);
      return sorted.get(sorted.size() / 2);
    }
  }

  private static Run run(Path classpath, Path agent, Path config) {
    try (FaultServer inventory = FaultServer.start(); FaultServer recommendations = FaultServer.start()) {
      inventory.on("/stock").respond(pattern(3, Behaviour.status(503), Behaviour.ok()));
      inventory.on("/prices").respond(pattern(4, Behaviour.ok().after(Duration.ofSeconds(3)), Behaviour.ok()));
      recommendations.on("/recommendations").respond(Behaviour.status(500).after(Duration.ofMillis(200)));
      System.out.println((agent == null ? "Running without Levee..." : "Running with Levee..."));
      ForkedJvm.Builder jvm = ForkedJvm.builder()
          .javaHome(Paths.get(System.getProperty("java.home")))
          .classpath(classpath)
          .mainClass(ShopApp.class.getName())
          .args(inventory.url(""), recommendations.url(""), Integer.toString(PAGES))
          .timeout(Duration.ofMinutes(3));
      if (agent != null) {
        jvm.javaagent(agent).systemProperty("levee.config", config.toString());
      }
      ForkedJvm.Result result = jvm.run();
      if (result.exitCode() != 0) {
        throw new IllegalStateException("the app failed:\n" + result.describe());
      }
      Run run = new Run(result);
      run.reached.put("stock", inventory.requestCount("/stock"));
      run.reached.put("prices", inventory.requestCount("/prices"));
      run.reached.put("recommendations", recommendations.requestCount("/recommendations"));
      return run;
    }
  }

  /** A behaviour list in which every {@code every}-th request gets {@code odd}; the rest get {@code usual}. */
  private static Behaviour[] pattern(int every, Behaviour odd, Behaviour usual) {
    Behaviour[] list = new Behaviour[1000];
    for (int i = 0; i < list.length; i++) {
      list[i] = (i % every == every - 1) ? odd : usual;
    }
    return list;
  }

  private static void print(Run without, Run with) {
    System.out.println();
    System.out.printf("%-34s %18s %30s%n", "", "without Levee", "with Levee");
    for (String name : without.summaries.keySet()) {
      String[] a = without.summaries.get(name);
      String[] b = with.summaries.getOrDefault(name, a);
      System.out.println(name);
      // SUMMARY name calls ok errors p50 p95 max errorKinds
      row("  app: calls that failed", a[4] + " of " + a[2], b[4] + " of " + b[2]);
      row("  app: latency p50 / p95 / max ms", a[5] + " / " + a[6] + " / " + a[7], b[5] + " / " + b[6] + " / " + b[7]);
      row("  app: errors seen", a[8], b[8]);
      row("  dependency: requests received", String.valueOf(without.reached.get(name)), String.valueOf(with.reached.get(name)));
    }
    row("whole run: wall time", without.wallMillis + " ms", with.wallMillis + " ms");
    System.out.println();
    System.out.println("Levee's own lines on the app's stderr:");
    for (String line : with.stderr) {
      System.out.println("  " + line);
    }
  }

  private static void row(String label, String a, String b) {
    System.out.printf("%-34s %18s %30s%n", label, a, b);
  }

  private static final class Run {
    final Map<String, String[]> summaries = new LinkedHashMap<>();
    final Map<String, Integer> reached = new LinkedHashMap<>();
    final List<String> stderr = new ArrayList<>();
    long wallMillis;

    Run(ForkedJvm.Result result) {
      for (String line : result.stdoutLines()) {
        if (line.startsWith("SUMMARY ")) {
          String[] fields = line.split(" ");
          summaries.put(fields[1], fields);
        } else if (line.startsWith("WALL ")) {
          wallMillis = Long.parseLong(line.substring(5).trim());
        }
      }
      stderr.addAll(result.stderrLines());
    }
  }

  private Demo() {}
}
