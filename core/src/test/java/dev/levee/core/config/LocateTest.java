package dev.levee.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocateTest {

  @TempDir Path dir;
  private Path byProperty;
  private Path byEnvironment;
  private Path besideJar;

  @BeforeEach
  void files() throws Exception {
    byProperty = Files.createFile(dir.resolve("by-property.yaml"));
    byEnvironment = Files.createFile(dir.resolve("by-env.yaml"));
    Files.createDirectory(dir.resolve("agent"));
    besideJar = Files.createFile(dir.resolve("agent").resolve("resilience.yaml"));
  }

  @Test
  void thePropertyComesFirst() throws Exception {
    assertEquals(Optional.of(byProperty), ConfigLoader.locate(
        only("levee.config", byProperty), only("LEVEE_CONFIG", byEnvironment), besideJar.getParent()));
  }

  @Test
  void thenTheEnvironmentVariable() throws Exception {
    assertEquals(Optional.of(byEnvironment), ConfigLoader.locate(
        none(), only("LEVEE_CONFIG", byEnvironment), besideJar.getParent()));
  }

  @Test
  void thenTheFileBesideTheJar() throws Exception {
    assertEquals(Optional.of(besideJar), ConfigLoader.locate(none(), none(), besideJar.getParent()));
  }

  @Test
  void blankCountsAsUnset() throws Exception {
    assertEquals(Optional.of(besideJar), ConfigLoader.locate(
        name -> " ", name -> "", besideJar.getParent()));
  }

  @Test
  void nothingFoundMeansBuiltInDefaults() throws Exception {
    assertEquals(Optional.empty(), ConfigLoader.locate(none(), none(), dir));
    assertEquals(Optional.empty(), ConfigLoader.locate(none(), none(), null));
  }

  @Test
  void aNamedFileThatIsMissingIsAnErrorThatSaysWhereItWasNamed() {
    Path missing = dir.resolve("missing.yaml");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.locate(
        only("levee.config", missing), none(), besideJar.getParent()));
    assertEquals(missing + ": no such file (named by the system property -Dlevee.config)", e.getMessage());

    e = assertThrows(ConfigException.class, () -> ConfigLoader.locate(
        none(), only("LEVEE_CONFIG", missing), besideJar.getParent()));
    assertEquals(missing + ": no such file (named by the environment variable LEVEE_CONFIG)", e.getMessage());
  }

  private static Function<String, String> only(String name, Path value) {
    Map<String, String> m = Collections.singletonMap(name, value.toString());
    return m::get;
  }

  private static Function<String, String> none() {
    return name -> null;
  }
}
