package dev.levee.demo;

import dev.levee.testkit.Behaviour;
import dev.levee.testkit.FaultServer;
import dev.levee.testkit.ForkedJvm;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
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
