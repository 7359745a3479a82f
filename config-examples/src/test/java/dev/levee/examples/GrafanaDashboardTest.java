package dev.levee.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.Target;
import dev.levee.core.metrics.CallMetrics;
import dev.levee.core.metrics.PrometheusText;
import dev.levee.core.metrics.TargetStats;
import dev.levee.core.pipeline.Rejection;
import dev.levee.core.policy.CircuitBreaker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every query of the Grafana dashboard names a metric Levee exports, with a label it has. */
class GrafanaDashboardTest {

  private static final Path DASHBOARD = Paths.get(System.getProperty("basedir", "."), "grafana-levee.json");

  /** A target with every policy, so every family Levee can export is in the text. */
  private static String exported() {
    TargetStats t = new TargetStats() {
      final CallMetrics metrics = new CallMetrics(Rejection.values().length);

      @Override public Target target() { return Target.of("api.example.com", 443); }
      @Override public CircuitBreaker.State breakerState() { return CircuitBreaker.State.CLOSED; }
      @Override public CallMetrics metrics() { return metrics; }
      @Override public int bulkheadAvailable() { return 1; }
      @Override public int concurrencyLimit() { return 2; }
      @Override public int rateLimiterAvailable() { return 3; }
      @Override public long retryBudgetAvailable() { return 4; }
    };
    Map<String, List<TargetStats>> byProtocol = Collections.singletonMap("http", List.of(t));
    return PrometheusText.of(byProtocol);
  }

  @Test
  void everyQueryNamesAnExportedMetricAndLabel() throws Exception {
    String text = exported();
    Set<String> series = new TreeSet<>();
    Set<String> labels = new TreeSet<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("#") || line.isEmpty()) {
        continue;
      }
      series.add(line.substring(0, line.indexOf('{')));
      Matcher m = Pattern.compile("([a-z_]+)=\"").matcher(line);
      while (m.find()) {
        labels.add(m.group(1));
      }
    }
    String dashboard = new String(Files.readAllBytes(DASHBOARD), StandardCharsets.UTF_8);
    Matcher names = Pattern.compile("levee_[a-z_]+").matcher(dashboard);
    int found = 0;
    while (names.find()) {
      found++;
      assertTrue(series.contains(names.group()), names.group() + " is not exported; Levee exports " + series);
    }
    assertTrue(found >= 8, "the dashboard queries Levee's metrics");
    Matcher used = Pattern.compile("(?:by \\(|\\{|,)\\s*([a-z_]+)\\s*(?:=~|=|,|\\))").matcher(dashboard.replace("\\\"", "\""));
    while (used.find()) {
      String label = used.group(1);
      if (!label.equals("le")) {
        assertTrue(labels.contains(label), "label " + label + " is not exported; Levee's labels: " + labels);
      }
    }
    assertFalse(labels.isEmpty());
  }
}
