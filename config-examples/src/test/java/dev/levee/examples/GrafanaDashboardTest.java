package dev.levee.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every query of the Grafana dashboard names a metric Levee exports, with a label it has. */
class GrafanaDashboardTest {

  private static final Path DASHBOARD = Paths.get(System.getProperty("basedir", "."), "grafana-levee.json");

  /** Every family Levee can export (the same text the metric table is checked against). */
  private static String exported() {
    return DocumentedMetricsTest.exported();
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
