package dev.levee.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The table of defaults in the docs is the real one: each documented value, parsed as resilience.yaml would
 * be, gives the built-in default, and every field with a default has a row. The table is the README's, and
 * may continue in pages under docs/ (a feature's page lists its own keys): together they list every field
 * once, each in schema order.
 */
class DocumentedDefaultsTest {

  /** Where the table lives (its "Defaults" section), relative to the core module. */
  static final Path README = Paths.get("../README.md");
  /** Pages that may carry rows of the table for their own keys. */
  static final Path DOCS = Paths.get("../docs");

  // | http.defaults.retry.maxAttempts | 3 | why this number |
  private static final Pattern ROW = Pattern.compile(
      "^\\|\\s*`?((?:http|jdbc|deadline|instrumentation|executors|metrics)\\.[^|`\\s]+)`?\\s*\\|\\s*`?([^|`]*?)`?\\s*\\|([^|]*\\|)?\\s*$");

  @Test
  void everyDocumentedDefaultIsTheRealOne() throws Exception {
    List<Path> documents = documentsWithTheTable();
    assertFalse(documents.isEmpty(), "no table of defaults in " + README);
    for (Path document : documents) {
      for (Map.Entry<String, String> row : table(document).entrySet()) {
        String where = document + ": " + row.getKey();
        LeveeConfig parsed = ConfigLoader.parse(nested(row.getKey(), row.getValue()), where);
        assertEquals(PolicyConfig.httpDefaults(), parsed.http().defaults(), where);
        assertEquals(PolicyConfig.jdbcDefaults(), parsed.jdbc().defaults(), where);
        assertEquals(DeadlineConfig.defaults(), parsed.deadline(), where);
        assertEquals(InstrumentationConfig.defaults(), parsed.instrumentation(), where);
        assertEquals(ExecutorsConfig.defaults(), parsed.executors(), where);
        assertEquals(MetricsConfig.defaults(), parsed.metrics(), where);
      }
    }
  }

  @Test
  void theTableCoversEveryField() throws Exception {
    List<String> schema = ConfigReader.defaultedKeyPaths();
    Map<String, Path> listed = new LinkedHashMap<>();
    for (Path document : documentsWithTheTable()) {
      List<String> rows = new ArrayList<>(table(document).keySet());
      List<String> inSchemaOrder = new ArrayList<>(schema);
      inSchemaOrder.retainAll(rows);
      assertEquals(inSchemaOrder, rows, document + " must list its fields in schema order, each a field with a default");
      for (String row : rows) {
        Path first = listed.putIfAbsent(row, document);
        assertTrue(first == null, row + " is listed in both " + first + " and " + document);
      }
    }
    List<String> missing = new ArrayList<>(schema);
    missing.removeAll(listed.keySet());
    assertEquals(List.of(), missing, "fields with a default that no table lists");
  }

  @Test
  void everyDefaultSaysWhy() throws Exception {
    for (Path document : documentsWithTheTable()) {
      for (String line : Files.readAllLines(document, StandardCharsets.UTF_8)) {
        Matcher m = ROW.matcher(line.trim());
        if (m.matches()) {
          String why = m.group(3) == null ? "" : m.group(3).replace("|", "").trim();
          assertTrue(why.length() > 10, document + ": " + m.group(1) + " says no why");
        }
      }
    }
  }

  @Test
  void aWrongDocumentedValueWouldBeCaught() throws Exception {
    LeveeConfig parsed = ConfigLoader.parse(nested("http.defaults.retry.maxAttempts", "4"), "check");
    assertFalse(PolicyConfig.httpDefaults().equals(parsed.http().defaults()));
  }

  private static List<Path> documentsWithTheTable() throws IOException {
    List<Path> found = new ArrayList<>();
    if (Files.exists(README) && !table(README).isEmpty()) {
      found.add(README);
    }
    if (Files.isDirectory(DOCS)) {
      try (java.util.stream.Stream<Path> pages = Files.list(DOCS)) {
        for (Path page : (Iterable<Path>) pages.filter(f -> f.toString().endsWith(".md")).sorted()::iterator) {
          if (!table(page).isEmpty()) {
            found.add(page);
          }
        }
      }
    }
    return found;
  }

  private static Map<String, String> table(Path document) throws IOException {
    Map<String, String> rows = new LinkedHashMap<>();
    for (String line : Files.readAllLines(document, StandardCharsets.UTF_8)) {
      Matcher m = ROW.matcher(line.trim());
      if (m.matches()) {
        assertTrue(rows.put(m.group(1), m.group(2)) == null, document + " lists " + m.group(1) + " twice");
      }
    }
    return rows;
  }

  /** {@code a.b.c: v} as nested YAML. */
  private static String nested(String keyPath, String value) {
    StringBuilder yaml = new StringBuilder();
    String[] keys = keyPath.split("\\.");
    for (int i = 0; i < keys.length; i++) {
      yaml.append("  ".repeat(i)).append(keys[i]).append(':');
      yaml.append(i == keys.length - 1 ? " " + value : "").append('\n');
    }
    return yaml.toString();
  }
}
