package dev.levee.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LeveeLogTest {

  @Test
  void aJsonLineIsOneObjectWithItsTextEscaped() {
    String line = LeveeLog.json("INFO", "levee: open for \"a\"\tb\n", ",\"event\":\"x\"");
    assertTrue(line.startsWith("{\"time\":\""), line);
    assertTrue(line.matches("\\{\"time\":\"\\d{4}-\\d\\d-\\d\\dT[^\"]+Z\",.*"), line);
    assertTrue(line.endsWith(",\"level\":\"INFO\",\"logger\":\"levee\","
        + "\"message\":\"levee: open for \\\"a\\\"\\tb\\n\",\"event\":\"x\"}"), line);
    assertTrue(!line.contains("\n") && !line.contains("\t"), "one line");
  }
}
