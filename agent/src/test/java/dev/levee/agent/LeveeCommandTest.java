package dev.levee.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar as a command: validate, explain, version; the file found as the agent finds it. */
class LeveeCommandTest {

  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final Map<String, String> properties = new HashMap<>();
  private final Map<String, String> environment = new HashMap<>();

  private int run(String... args) {
    return new LeveeCommand(new PrintStream(out, true), new PrintStream(err, true), properties::get, environment::get,
        dir).run(args);
  }

  private List<String> outLines() {
    return Arrays.asList(new String(out.toByteArray(), StandardCharsets.UTF_8).split("\\R"));
  }

  private List<String> errLines() {
    return Arrays.asList(new String(err.toByteArray(), StandardCharsets.UTF_8).split("\\R"));
  }

  private Path write(String name, String... lines) throws Exception {
    Path file = dir.resolve(name);
    Files.write(file, String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
    return file;
  }

  @Test
  void aValidFileIsOneLineAndExitZero() throws Exception {
    Path file = write("ok.yaml",
        "http:",
        "  defaults:",
        "    retry: { maxAttempts: 2 }",
        "  hosts:",
        "    \"api.example.com\": { timeout: { attempt: 2s } }");
    assertEquals(0, run("validate", file.toString()));
    assertEquals(Arrays.asList(file + ": valid; http: 1 host rule, jdbc: 0 host rules"), outLines());
  }

  @Test
  void everyProblemIsFileLineColumnKeyMessageAndSuggestionThenExitOne() throws Exception {
    Path file = write("bad.yaml",
        "http:",
        "  defaults:",
        "    retry: { maxAtempts: 2 }",
        "    timeout: { attempt: soon }");
    assertEquals(1, run("validate", file.toString()));
    List<String> lines = errLines();
    assertEquals(file + ":3:14: http.defaults.retry.maxAtempts: unknown key; did you mean 'maxAttempts'?", lines.get(0));
    assertTrue(lines.get(1).startsWith(file + ":4:25: http.defaults.timeout.attempt: "), lines.get(1));
    assertEquals("2 problems: the agent would apply none of this file", lines.get(2));
  }

  @Test
  void withoutAFileTheAgentsOwnIsRead() throws Exception {
    write("resilience.yaml", "http: { defaults: { retry: { maxAttempts: 0 } } }");
    assertEquals(1, run("validate"), "resilience.yaml beside the jar");
    Path named = write("named.yaml", "jdbc: { hosts: { db1: { retry: { maxAttempts: 1 } } } }");
    environment.put("LEVEE_CONFIG", named.toString());
    assertEquals(0, run("validate"), "LEVEE_CONFIG before the file beside the jar: " + err);
    properties.put("levee.config", dir.resolve("missing.yaml").toString());
    assertEquals(1, run("validate"), "-Dlevee.config before LEVEE_CONFIG");
    assertTrue(errLines().get(errLines().size() - 2).contains("no such file (named by the system property -Dlevee.config)"),
        errLines().toString());
  }

  @Test
  void noFileAtAllIsTheBuiltInDefaults() {
    assertEquals(0, run("validate"));
    assertTrue(outLines().get(0).startsWith("no configuration file"), outLines().toString());
  }

  @Test
  void explainNamesTheRulesInPrecedenceOrderAndWhereEachValueCameFrom() throws Exception {
    Path file = write("rules.yaml",
        "http:",
        "  defaults:",
        "    retry:",
        "      maxAttempts: 2",
        "  hosts:",
        "    \"*.example.com\":",
        "      bulkhead: { maxConcurrentCalls: 5 }",
        "    \"API.example.com\":",
        "      timeout:",
        "        attempt: 2s");
    assertEquals(0, run("explain", "https://api.example.com/v1/orders?id=1", file.toString()), err.toString());
    List<String> lines = outLines();
    assertEquals("target: api.example.com:443 (http)", lines.get(1));
    assertEquals("  http.hosts.\"api.example.com\" (line 9)   applies, merged over the defaults", lines.get(3));
    assertEquals("  http.hosts.\"*.example.com\" (line 7)   does not apply: a more specific rule does", lines.get(4));
    assertEquals("  http.defaults (line 3)", lines.get(5));
    assertTrue(row(lines, "timeout.attempt").matches(".* 2s +http\\.hosts\\.\"api\\.example\\.com\" \\(line 10\\)"),
        row(lines, "timeout.attempt"));
    assertTrue(row(lines, "retry.maxAttempts").matches(".* 2 +http\\.defaults \\(line 4\\)"), row(lines, "retry.maxAttempts"));
    assertTrue(row(lines, "bulkhead.maxConcurrentCalls").endsWith("built in"), "the wildcard rule does not apply");
    assertTrue(row(lines, "timeout.total").matches(".* none +built in"), row(lines, "timeout.total"));
  }

  @Test
  void explainTakesAJdbcUrlAndShowsOnlyWhatJdbcAccepts() throws Exception {
    Path file = write("db.yaml", "jdbc:", "  hosts:", "    \"db1:5432\": { retry: { maxAttempts: 1 } }");
    assertEquals(0, run("explain", "jdbc:postgresql://db1:5432/app?ssl=true", file.toString()), err.toString());
    List<String> lines = outLines();
    assertEquals("target: db1:5432 (jdbc)", lines.get(1));
    assertTrue(row(lines, "retry.maxAttempts").matches(".* 1 +jdbc\\.hosts\\.\"db1:5432\" \\(line 3\\)"));
    assertTrue(lines.stream().noneMatch(l -> l.contains("retryMethods") || l.contains("sendDeadlineHeader")), lines.toString());
  }

  @Test
  void usageErrorsExitTwo() {
    assertEquals(2, run());
    assertEquals(2, run("explain"));
    assertEquals(2, run("explain", "ftp://example.com/file"));
    assertEquals(2, run("valdate"));
    assertEquals(0, run("version"));
    assertTrue(outLines().get(outLines().size() - 1).startsWith("levee "));
  }

  private static String row(List<String> lines, String path) {
    return lines.stream().filter(l -> l.startsWith("  " + path + " ")).findFirst().orElse("(no row for " + path + ")");
  }
}
