package dev.levee.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.Clock;
import dev.levee.core.Target;
import dev.levee.core.config.ConfigException;
import dev.levee.core.config.ConfigLoader;
import dev.levee.core.config.InboundConfig;
import dev.levee.core.inbound.InboundLimits;
import dev.levee.core.metrics.CallMetrics;
import dev.levee.core.metrics.PrometheusText;
import dev.levee.core.metrics.TargetStats;
import dev.levee.core.pipeline.Rejection;
import dev.levee.core.policy.CircuitBreaker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The metric table of docs/operations.md is the real one: every family it names is in the text Levee exports,
 * every family Levee exports is in the table, and each label the table lists with its values has exactly
 * those values.
 */
class DocumentedMetricsTest {

  static final Path OPERATIONS = Paths.get(System.getProperty("basedir", "."), "..", "docs", "operations.md");

  private static final Pattern METRIC = Pattern.compile("`(levee_[a-z_]+)`");
  // `state` = closed, open, half_open
  private static final Pattern LABEL = Pattern.compile("`([a-z_]+)` = ([a-z_]+(?:, [a-z_]+)*)");
  private static final Pattern SERIES = Pattern.compile("^([a-z_]+)\\{([^}]*)\\} ");
  private static final Pattern PAIR = Pattern.compile("([a-z_]+)=\"([^\"]*)\"");

  /** A target with every policy, so every family Levee can export is in the text. */
  static String exported() {
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
    try {
      InboundConfig inbound = ConfigLoader.parse("inbound: { defaults: { concurrency: { maxConcurrentRequests: 8 },"
          + " rateLimiter: { limitForPeriod: 10 } } }", "inbound.yaml").inbound();
      return PrometheusText.of(byProtocol, new InboundLimits(inbound, Clock.SYSTEM));
    } catch (ConfigException e) {
      throw new AssertionError(e.problems().toString(), e);
    }
  }

  /** Family name to label name to the values seen, from the exported text. */
  static Map<String, Map<String, Set<String>>> families(String text) {
    Set<String> histograms = new TreeSet<>();
    for (String line : text.split("\n")) {
      String[] f = line.split(" ");
      if (line.startsWith("# TYPE ") && f.length == 4 && f[3].equals("histogram")) {
        histograms.add(f[2]);
      }
    }
    Map<String, Map<String, Set<String>>> families = new TreeMap<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("#") || line.isEmpty()) {
        continue;
      }
      Matcher m = SERIES.matcher(line);
      assertTrue(m.find(), "not a series: " + line);
      String family = m.group(1);
      String base = family.replaceFirst("_(bucket|count|sum)$", "");
      if (!base.equals(family) && histograms.contains(base)) {
        family = base;
      }
      Map<String, Set<String>> labels = families.computeIfAbsent(family, k -> new TreeMap<>());
      Matcher p = PAIR.matcher(m.group(2));
      while (p.find()) {
        labels.computeIfAbsent(p.group(1), k -> new TreeSet<>()).add(p.group(2));
      }
    }
    return families;
  }

  /** Documented family name to its listed label values (label name to values), from the table's rows. */
  static Map<String, Map<String, Set<String>>> documented(Path page) throws IOException {
    Map<String, Map<String, Set<String>>> rows = new TreeMap<>();
    boolean inTable = false;
    for (String line : Files.readAllLines(page, StandardCharsets.UTF_8)) {
      String trimmed = line.trim();
      if (trimmed.startsWith("| metric |")) {
        inTable = true;
        continue;
      }
      if (!inTable) {
        continue;
      }
      if (!trimmed.startsWith("|")) {
        break;
      }
      String[] cells = trimmed.split("\\|", -1);
      if (cells.length < 4 || cells[1].trim().startsWith("---")) {
        continue;
      }
      Map<String, Set<String>> labels = new TreeMap<>();
      Matcher l = LABEL.matcher(cells[2]);
      while (l.find()) {
        labels.put(l.group(1), new TreeSet<>(Arrays.asList(l.group(2).split(", "))));
      }
      Matcher m = METRIC.matcher(cells[1]);
      while (m.find()) {
        assertTrue(rows.put(m.group(1), labels) == null, page + " lists " + m.group(1) + " twice");
      }
    }
    return rows;
  }

  @Test
  void theTableListsExactlyTheExportedFamilies() throws Exception {
    Map<String, Map<String, Set<String>>> exported = families(exported());
    Map<String, Map<String, Set<String>>> documented = documented(OPERATIONS);
    assertFalse(documented.isEmpty(), "no metric table (| metric | labels | what |) in " + OPERATIONS);
    Set<String> notExported = new TreeSet<>(documented.keySet());
    notExported.removeAll(exported.keySet());
    assertEquals(Set.of(), notExported, OPERATIONS + " documents families Levee does not export; it exports "
        + exported.keySet());
    Set<String> notDocumented = new TreeSet<>(exported.keySet());
    notDocumented.removeAll(documented.keySet());
    assertEquals(Set.of(), notDocumented, "Levee exports families " + OPERATIONS + " does not document");
  }

  @Test
  void everyDocumentedLabelHasExactlyTheDocumentedValues() throws Exception {
    Map<String, Map<String, Set<String>>> exported = families(exported());
    for (Map.Entry<String, Map<String, Set<String>>> row : documented(OPERATIONS).entrySet()) {
      Map<String, Set<String>> labels = exported.getOrDefault(row.getKey(), Map.of());
      for (Map.Entry<String, Set<String>> label : row.getValue().entrySet()) {
        assertEquals(label.getValue(), labels.get(label.getKey()),
            row.getKey() + "{" + label.getKey() + "}: documented values, exported values");
      }
    }
  }

  @Test
  void everySeriesCarriesProtocolAndTarget() {
    for (Map.Entry<String, Map<String, Set<String>>> family : families(exported()).entrySet()) {
      if (family.getKey().startsWith("levee_inbound_")) {
        assertTrue(family.getValue().containsKey("rule"), family.getKey() + " is per path rule");
        continue; // the requests the app serves: per path rule, no target
      }
      assertTrue(family.getValue().keySet().containsAll(Set.of("protocol", "target")),
          family.getKey() + " has labels " + family.getValue().keySet());
    }
  }
}
