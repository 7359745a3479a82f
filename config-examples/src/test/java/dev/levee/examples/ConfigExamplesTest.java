package dev.levee.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.config.ConfigException;
import dev.levee.core.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every example an operator might copy must load as it is. */
class ConfigExamplesTest {

  /** The module folder: Maven runs tests there. */
  private static final Path EXAMPLES = Paths.get(System.getProperty("basedir", "."));

  @Test
  void everyExampleLoads() throws IOException {
    List<Path> examples = examples();
    assertTrue(examples.size() >= 4, "expected at least 4 examples in " + EXAMPLES.toAbsolutePath() + ", found "
        + examples);
    StringBuilder failures = new StringBuilder();
    for (Path example : examples) {
      try {
        ConfigLoader.load(example);
      } catch (ConfigException e) {
        failures.append(e.getMessage()).append('\n');
      }
    }
    assertTrue(failures.length() == 0, failures.toString());
  }

  private static List<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".yaml") && Files.isRegularFile(p))
          .sorted()
          .collect(Collectors.toList());
    }
  }
}
