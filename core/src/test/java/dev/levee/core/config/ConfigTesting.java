package dev.levee.core.config;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

/** Shared helpers: YAML written as lines, and problems as the strings an operator sees. */
final class ConfigTesting {

  private ConfigTesting() {}

  static String yaml(String... lines) {
    return String.join("\n", lines) + "\n";
  }

  static LeveeConfig parse(String... lines) throws ConfigException {
    return ConfigLoader.parse(yaml(lines), "resilience.yaml");
  }

  /** The problems of a file that must fail, as printed. */
  static List<String> problems(String... lines) {
    ConfigException e = assertThrows(ConfigException.class, () -> parse(lines));
    List<String> printed = new ArrayList<>();
    for (ConfigProblem p : e.problems()) {
      printed.add(p.toString());
    }
    return printed;
  }
}
