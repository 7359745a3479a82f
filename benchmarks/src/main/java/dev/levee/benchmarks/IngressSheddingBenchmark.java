package dev.levee.benchmarks;

import dev.levee.testkit.ForkedJvm;
import dev.levee.testkit.Jdk;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issue 13's benchmark (c): the overloaded example service ({@link OverloadedServiceApp}: 16 workers, unbounded
 * queue, 200 ms a request, so 80 requests a second at most) under an open-loop load above its capacity, without
 * Levee and with ingress shedding ({@code inbound.defaults.concurrency.maxConcurrentRequests}). Per one-second
 * bucket: goodput (200s answered within 1 s, by the second they were answered) and the p99 latency of the
 * requests sent in that second that were served or timed out (a timeout counts as the client's 10 s), shed ones
 * apart. Writes the chart as SVG.
 *
 * <pre>
 *   mvn -B -o -q package -DskipTests
 *   java -cp benchmarks/target/classes:testkit/target/classes dev.levee.benchmarks.IngressSheddingBenchmark \
 *       [seconds=25] [requestsPerSecond=120] [agent.jar] [chart.svg=docs/ingress-shedding.svg]
 * </pre>
 */
public final class IngressSheddingBenchmark {

  static final long CLIENT_TIMEOUT_MILLIS = 10_000;

  /** One request: when it was sent (from the start), how long it took, its status (-1: timed out or failed). */
  static final class Sample {
    final long sentNanos;
    final long tookNanos;
    final int status;

    Sample(long sentNanos, long tookNanos, int status) {
      this.sentNanos = sentNanos;
      this.tookNanos = tookNanos;
      this.status = status;
    }

    long answeredNanos() {
      return sentNanos + tookNanos;
    }

    long tookMillis() {
      return status < 0 ? CLIENT_TIMEOUT_MILLIS : TimeUnit.NANOSECONDS.toMillis(tookNanos);
    }
  }

  /** One run's figures per second. */
  static final class Run {
    final String name;
    final double[] goodput;
    final double[] p99Millis;
    final int[] shed;
    final List<Sample> samples;

    Run(String name, int seconds, List<Sample> samples) {
      this.name = name;
      this.samples = samples;
      goodput = new double[seconds];
      p99Millis = new double[seconds];
      shed = new int[seconds];
      for (int t = 0; t < seconds; t++) {
        List<Long> latencies = new ArrayList<>();
        for (Sample s : samples) {
          long answeredSecond = TimeUnit.NANOSECONDS.toSeconds(s.answeredNanos());
          long sentSecond = TimeUnit.NANOSECONDS.toSeconds(s.sentNanos);
          if (s.status == 200 && s.tookMillis() <= 1_000 && answeredSecond == t) {
            goodput[t]++;
          }
          if (sentSecond == t) {
            if (s.status == 200 || s.status < 0) {
              latencies.add(s.tookMillis());
            } else {
              shed[t]++;
            }
          }
        }
        p99Millis[t] = percentile(latencies, 99);
      }
    }

    List<Long> latencies(int status) {
      List<Long> l = new ArrayList<>();
      for (Sample s : samples) {
        if (s.status == status) {
          l.add(TimeUnit.NANOSECONDS.toMicros(s.tookNanos));
        }
      }
      return l;
    }

    String summary() {
      double meanGoodput = 0;
      for (double g : goodput) {
        meanGoodput += g;
      }
      meanGoodput /= goodput.length;
      int timeouts = 0;
      for (Sample s : samples) {
        if (s.status < 0) {
          timeouts++;
        }
      }
      List<Long> ok = latencies(200);
      List<Long> shedMicros = latencies(503);
      return String.format(Locale.ROOT, "%-44s goodput %5.1f/s  served %5d (p50 %6.0f ms, p99 %6.0f ms)  "
              + "shed %5d (p50 %5.1f ms, p99 %5.1f ms)  timed out %5d", name, meanGoodput, ok.size(),
          percentile(ok, 50) / 1000.0, percentile(ok, 99) / 1000.0, shedMicros.size(),
          percentile(shedMicros, 50) / 1000.0, percentile(shedMicros, 99) / 1000.0, timeouts);
    }
  }

  private IngressSheddingBenchmark() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 25;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 120;
    Path agent = Paths.get(args.length > 2 ? args[2] : "agent/target/levee-agent.jar").toAbsolutePath();
    Path chart = Paths.get(args.length > 3 ? args[3] : "docs/ingress-shedding.svg");
    Path dir = Files.createTempDirectory("ingress-shedding");

    List<Run> runs = new ArrayList<>();
    runs.add(run("without Levee", null, null, seconds, rate));
    for (int limit : new int[] {8, 14}) {
      Path config = dir.resolve("limit-" + limit + ".yaml");
      Files.write(config, ("inbound:\n  defaults:\n    concurrency: { maxConcurrentRequests: " + limit + " }\n")
          .getBytes(StandardCharsets.UTF_8));
      runs.add(run("Levee, maxConcurrentRequests: " + limit, agent, config, seconds, rate));
    }

    System.out.println();
    System.out.println("open loop, " + rate + " requests/s for " + seconds + " s; capacity 80/s (16 workers x 5/s)");
    for (Run r : runs) {
      System.out.println(r.summary());
    }
    System.out.println();
    System.out.println("second  " + String.join("  ", names(runs, "goodput")) + "  " + String.join("  ",
        names(runs, "p99 ms")));
    for (int t = 0; t < seconds; t++) {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%6d", t));
      for (Run r : runs) {
        line.append(String.format(Locale.ROOT, "  %8.0f", r.goodput[t]));
      }
      for (Run r : runs) {
        line.append(String.format(Locale.ROOT, "  %8.0f", r.p99Millis[t]));
      }
      System.out.println(line);
    }

    String[] colors = {"#d62728", "#1f77b4", "#2ca02c"};
    SvgLineChart goodput = new SvgLineChart("Goodput: 200s answered within 1 s", "seconds into the load",
        "requests / s");
    SvgLineChart p99 = new SvgLineChart("p99 latency of requests not shed (timeouts count as 10 s)",
        "seconds into the load (by send time)", "milliseconds (log scale)").logY(100);
    for (int i = 0; i < runs.size(); i++) {
      double[] xs = new double[seconds];
      for (int t = 0; t < seconds; t++) {
        xs[t] = t;
      }
      goodput.series(runs.get(i).name, colors[i % colors.length], xs, runs.get(i).goodput);
      p99.series(runs.get(i).name, colors[i % colors.length], xs, runs.get(i).p99Millis);
    }
    Files.createDirectories(chart.toAbsolutePath().getParent());
    Files.write(chart, SvgLineChart.page(960, 620, goodput.render(0, 0, 960, 300), p99.render(0, 310, 960, 300))
        .getBytes(StandardCharsets.UTF_8));
    System.out.println("\nchart: " + chart.toAbsolutePath());
    System.exit(0); // the load's HttpClient and executors are not daemons
  }

  private static List<String> names(List<Run> runs, String what) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      names.add(String.format(Locale.ROOT, "%8s", what.split(" ")[0] + "#" + (i + 1)));
    }
    return names;
  }

  /** Starts the service (with the agent and config, or without), warms it, then loads it open-loop. */
  static Run run(String name, Path agent, Path config, int seconds, int rate) throws Exception {
    ForkedJvm.Builder jvm = ForkedJvm.builder().jdk(Jdk.current17())
        .classpath(Paths.get("benchmarks/target/classes").toAbsolutePath())
        .mainClass(OverloadedServiceApp.class.getName()).timeout(Duration.ofSeconds(seconds + 120));
    if (agent != null) {
      jvm.javaagent(agent).systemProperty("levee.config", config.toString());
    }
    System.out.println("== " + name);
    try (ForkedJvm.Background app = jvm.build().start()) {
      URI uri = URI.create("http://127.0.0.1:" + app.awaitOutput("listening ").split(" ")[1] + "/work");
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .executor(Executors.newFixedThreadPool(4)).build();
      load(client, uri, 2, 40); // warm-up below capacity: connections, class loading, the JIT
      Thread.sleep(1_000);
      List<Sample> samples = load(client, uri, seconds, rate);
      return new Run(name, seconds, samples);
    }
  }

  /** Sends {@code rate} GETs a second for {@code seconds}, whatever the answers; waits for every answer. */
  static List<Sample> load(HttpClient client, URI uri, int seconds, int rate) throws InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMillis(CLIENT_TIMEOUT_MILLIS)).build();
    Queue<Sample> samples = new ConcurrentLinkedQueue<>();
    int total = seconds * rate;
    CountDownLatch answered = new CountDownLatch(total);
    AtomicInteger sent = new AtomicInteger();
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    long start = System.nanoTime();
    ticker.scheduleAtFixedRate(() -> {
      if (sent.incrementAndGet() > total) {
        return;
      }
      long sentAt = System.nanoTime();
      client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) ->
          {
            samples.add(new Sample(sentAt - start, System.nanoTime() - sentAt,
                response == null ? -1 : response.statusCode()));
            answered.countDown();
          });
    }, 0, 1_000_000_000L / rate, TimeUnit.NANOSECONDS);
    answered.await(seconds + CLIENT_TIMEOUT_MILLIS / 1000 + 30, TimeUnit.SECONDS);
    ticker.shutdownNow();
    return new ArrayList<>(samples);
  }

  static double percentile(List<Long> values, int p) {
    if (values.isEmpty()) {
      return 0;
    }
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }
}
