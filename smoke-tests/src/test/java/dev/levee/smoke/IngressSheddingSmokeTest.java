package dev.levee.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.smoke.apps.OverloadedServiceApp;
import dev.levee.testkit.ForkedJvm;
import dev.levee.testkit.Jdk;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The issue's overloaded service, unmodified, with {@code inbound.defaults.concurrency.maxConcurrentRequests: 8}:
 * 64 clients keep its JDK HttpServer (16 workers, unbounded queue, 200 ms per request) busy. The excess is
 * answered 503 with {@code Retry-After} at once, the handler never runs more than 8 at once (the app counts),
 * admitted requests keep their latency, and {@code /health} (exempt) always gets through; over a rate limit,
 * 429 with the seconds to the next period. The same door on
 * embedded Tomcat, under its own path rule ({@code /tomcat}: 4 at once), for a plain and an async servlet, in the
 * same JVM. One JVM per JDK, about 10 s each.
 *
 * <p>A shed client waits 200 ms before its next request (a real client would honour Retry-After); without the
 * pause, 56 clients spinning on 503s would mostly measure how fast two cores shed. Latency is asserted at the
 * median and the 90th percentile with generous bounds, p99 in the message: the test machines' two cores are
 * shared with other builds, and a 300 ms stall of the whole machine lands in every p99 (benchmarks/ has the
 * figures). The bounds still tell the door from none: without it every request waits ~800 ms.
 */
class IngressSheddingSmokeTest {

  static final int LIMIT = 8;
  static final int TOMCAT_LIMIT = 4;

  /** One response: its status, how long it took, its Retry-After. */
  static final class Answer {
    final int status;
    final long millis;
    final String retryAfter;
    final long startedAtMillis;

    Answer(int status, long millis, String retryAfter, long startedAtMillis) {
      this.status = status;
      this.millis = millis;
      this.retryAfter = retryAfter;
      this.startedAtMillis = startedAtMillis;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.levee.smoke.SmokeJdks#both")
  void theExcessIsShedAtOnceAndTheHandlerNeverRunsPastTheLimit(Jdk jdk, @TempDir Path dir) throws Exception {
    SmokeJdks.assumeAvailable(jdk);
    Path config = SmokeApp.writeConfig(dir,
        "inbound:",
        "  defaults:",
        "    concurrency: { maxConcurrentRequests: " + LIMIT + " }",
        "  paths:",
        "    \"/health\": { concurrency: none }",
        "    \"/stats\": { concurrency: none }",
        "    \"/limited\": { concurrency: none, rateLimiter: { limitForPeriod: 3, limitRefreshPeriod: 1m } }",
        "    \"/tomcat\": { concurrency: { maxConcurrentRequests: " + TOMCAT_LIMIT + " } }");
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newCachedThreadPool()).build();
    String why = "";
    try (ForkedJvm.Background app = SmokeApp.launch(jdk, OverloadedServiceApp.class.getName())
        .config(config)
        .workingDirectory(dir)
        .classpath(ServletDeadlineSmokeTest.Container.TOMCAT_10_1.libraries())
        .start()) {
      try {
        String[] ports = app.awaitOutput("listening ").split(" ");
        String jdkServer = "http://127.0.0.1:" + ports[1];
        String tomcat = "http://127.0.0.1:" + ports[2];

        ExecutorService health = Executors.newSingleThreadExecutor();
        Future<List<Answer>> healthAnswers = health.submit(() -> {
          Thread.sleep(1_000);
          return load(client, jdkServer + "/health", 1, 0, 2_000, 50);
        });
        List<Answer> answers = load(client, jdkServer + "/work", 64, 700, 3_500, 200);
        List<Answer> healthChecks = healthAnswers.get(10, TimeUnit.SECONDS);
        health.shutdown();
        String jdkStats = get(client, jdkServer + "/stats").body();
        why = "\n" + summary("jdk-httpserver", answers) + "\n" + jdkStats;

        List<Answer> shed = answers.stream().filter(a -> a.status == 503).collect(Collectors.toList());
        List<Answer> served = answers.stream().filter(a -> a.status == 200).collect(Collectors.toList());
        assertEquals(answers.size(), shed.size() + served.size(), "only 200s and 503s" + why);
        assertTrue(shed.size() > served.size(), "most of the excess is shed" + why);
        assertTrue(shed.stream().allMatch(a -> "1".equals(a.retryAfter)), "503 with Retry-After: 1" + why);
        assertShedAtOnceAndServedInTime(shed, served, why);
        assertTrue(served.size() >= 0.6 * LIMIT * 3_500 / WORK_MILLIS,
            "goodput near capacity (" + LIMIT + " x 5/s)" + why);
        assertEquals("most=" + LIMIT, field(jdkStats, "jdk", "most"), "the handler never ran more than the limit" + why);
        assertFalse(healthChecks.isEmpty());
        assertTrue(healthChecks.stream().allMatch(a -> a.status == 200), "/health is exempt" + why);

        List<Integer> limited = new ArrayList<>();
        HttpResponse<String> overRate = null;
        for (int i = 0; i < 5; i++) {
          HttpResponse<String> r = get(client, jdkServer + "/limited");
          limited.add(r.statusCode());
          overRate = r.statusCode() == 429 ? r : overRate;
        }
        why += "\n/limited: " + limited;
        assertEquals(List.of(200, 200, 200, 429, 429), limited, "3 a minute, then 429" + why);
        long retryAfter = Long.parseLong(overRate.headers().firstValue("Retry-After").orElse("0"));
        assertTrue(retryAfter >= 50 && retryAfter <= 60, "Retry-After: the seconds to the next period" + why);
        assertTrue(overRate.body().startsWith("levee: over the rate limit of /limited"), overRate.body());

        List<Answer> tomcatAnswers = load(client, tomcat + "/tomcat/work", 24, 700, 2_000, 200);
        String stats = get(client, jdkServer + "/stats").body();
        why += "\n" + summary("tomcat", tomcatAnswers) + "\n" + stats;
        List<Answer> tomcatShed = tomcatAnswers.stream().filter(a -> a.status == 503).collect(Collectors.toList());
        List<Answer> tomcatServed = tomcatAnswers.stream().filter(a -> a.status == 200).collect(Collectors.toList());
        assertEquals(tomcatAnswers.size(), tomcatShed.size() + tomcatServed.size(), "only 200s and 503s" + why);
        assertFalse(tomcatShed.isEmpty(), "Tomcat sheds too" + why);
        assertTrue(tomcatShed.stream().allMatch(a -> "1".equals(a.retryAfter)), "503 with Retry-After: 1" + why);
        assertShedAtOnceAndServedInTime(tomcatShed, tomcatServed, why);
        assertEquals("most=" + TOMCAT_LIMIT, field(stats, "tomcat", "most"),
            "the servlet never ran more than its rule's limit" + why);

        // an async request holds its place until its async context completes, not until service returns
        List<Answer> asyncAnswers = load(client, tomcat + "/tomcat/async", 24, 300, 1_500, 200);
        stats = get(client, jdkServer + "/stats").body();
        why += "\n" + summary("tomcat async", asyncAnswers) + "\n" + stats;
        assertTrue(asyncAnswers.stream().anyMatch(a -> a.status == 503), "async requests are shed too" + why);
        assertTrue(asyncAnswers.stream().anyMatch(a -> a.status == 200), why);
        assertEquals("most=" + TOMCAT_LIMIT, field(stats, "async", "most"),
            "async work never ran past the limit: each place was held until its context completed" + why);
      } finally {
        ForkedJvm.Result result = app.stop();
        why += "\n" + result.describe();
        List<String> stderr = result.stderrLines();
        assertTrue(!stderr.isEmpty() && stderr.get(0).endsWith("; inbound limits on (4 path rules)"),
            "the startup line says the door is on" + why);
        for (String line : stderr.subList(Math.min(1, stderr.size()), stderr.size())) {
          if (line.startsWith("levee: executors: ") && line.contains("unbounded queue")) {
            continue; // the report of the server's own unbounded pool (bounded queues, docs/backpressure-executors.md)
          }
          assertFalse(line.toLowerCase().contains("levee"), "nothing from Levee on stderr after startup: " + line + why);
        }
      }
    }
  }

  static final long WORK_MILLIS = 200;

  /**
   * Shed well before the work would have ended, admitted ones near their 200 ms: without the door, every request
   * waits in the queue (~800 ms with 64 clients). Generous bounds, for two cores shared with other builds.
   */
  static void assertShedAtOnceAndServedInTime(List<Answer> shed, List<Answer> served, String why) {
    assertTrue(percentile(shed, 50) < WORK_MILLIS / 2 && percentile(shed, 90) < 300,
        "shed at once: p50 < 100 ms, p90 < 300 ms" + why);
    assertTrue(percentile(served, 50) < 1.5 * WORK_MILLIS && percentile(served, 90) < 3 * WORK_MILLIS,
        "admitted requests keep their latency: p50 < 300 ms, p90 < 600 ms" + why);
  }

  /**
   * {@code clients} threads sending GETs back to back for {@code warmupMillis + millis}; a shed client pauses
   * first. The answers to requests sent in the warm-up are left out: the first burst of 64 new connections at once
   * (and the JIT) is not the steady state the limits promise.
   */
  static List<Answer> load(HttpClient client, String url, int clients, long warmupMillis, long millis,
      long pauseAfterShedMillis) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(clients);
    long begin = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(warmupMillis);
    long end = begin + TimeUnit.MILLISECONDS.toNanos(millis);
    List<Future<List<Answer>>> each = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      each.add(threads.submit(() -> {
        List<Answer> mine = new ArrayList<>();
        while (System.nanoTime() < end) {
          long start = System.nanoTime();
          HttpResponse<String> r = get(client, url);
          if (start - begin >= 0) {
            mine.add(new Answer(r.statusCode(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
              r.headers().firstValue("Retry-After").orElse(null), TimeUnit.NANOSECONDS.toMillis(start - begin)));
          }
          if (r.statusCode() != 200) {
            Thread.sleep(pauseAfterShedMillis);
          }
        }
        return mine;
      }));
    }
    List<Answer> all = new ArrayList<>();
    for (Future<List<Answer>> f : each) {
      all.addAll(f.get(warmupMillis + millis + 30_000, TimeUnit.MILLISECONDS));
    }
    threads.shutdown();
    return all;
  }

  static HttpResponse<String> get(HttpClient client, String url) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static long percentile(List<Answer> answers, int p) {
    if (answers.isEmpty()) {
      return 0;
    }
    List<Long> millis = answers.stream().map(a -> a.millis).sorted().collect(Collectors.toList());
    return millis.get(Math.min(millis.size() - 1, (int) Math.ceil(p / 100.0 * millis.size()) - 1));
  }

  static String summary(String server, List<Answer> answers) {
    List<Answer> shed = answers.stream().filter(a -> a.status != 200).collect(Collectors.toList());
    List<Answer> served = answers.stream().filter(a -> a.status == 200).collect(Collectors.toList());
    return server + ": " + served.size() + " served (p50 " + percentile(served, 50) + " ms, p99 "
        + percentile(served, 99) + " ms), " + shed.size() + " shed (p50 " + percentile(shed, 50) + " ms, p99 "
        + percentile(shed, 99) + " ms), statuses " + answers.stream().map(a -> a.status).distinct()
        .sorted().collect(Collectors.toList()) + "; slowest sheds (ms, at ms): " + shed.stream()
        .sorted((a, b) -> Long.compare(b.millis, a.millis)).limit(10).map(a -> a.millis + "@" + a.startedAtMillis)
        .collect(Collectors.joining(" "));
  }

  /** {@code most=N} of one server in the app's stats line "jdk most=8 handled=.. tomcat most=4 ...". */
  static String field(String stats, String server, String name) {
    List<String> words = new ArrayList<>();
    Collections.addAll(words, stats.split(" "));
    int at = words.indexOf(server);
    for (int i = at + 1; i < words.size(); i++) {
      if (words.get(i).startsWith(name + "=")) {
        return words.get(i);
      }
    }
    return "no " + name + " for " + server + " in " + stats;
  }
}
