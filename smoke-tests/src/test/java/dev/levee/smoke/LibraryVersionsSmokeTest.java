package dev.levee.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.smoke.apps.LibraryVersionsApp;
import dev.levee.testkit.Jdk;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent brings Byte Buddy and SnakeYAML relocated under {@code dev.levee.shaded} (DESIGN.md §5):
 * an app bundling other versions of both must see exactly its own, with the agent attached.
 */
class LibraryVersionsSmokeTest {

  static final String APP_BYTE_BUDDY = "1.14.18";
  static final String APP_SNAKEYAML = "2.2";

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.levee.smoke.SmokeJdks#both")
  void theAppSeesItsOwnByteBuddyAndSnakeYaml(Jdk jdk, @TempDir Path dir) {
    Path byteBuddyJar = SmokeApp.locationOf(net.bytebuddy.ByteBuddy.class);
    Path snakeYamlJar = SmokeApp.locationOf(org.yaml.snakeyaml.Yaml.class);

    AppRun run = SmokeApp.launch(jdk, LibraryVersionsApp.class.getName())
        .classpath(byteBuddyJar, snakeYamlJar)
        .workingDirectory(dir)
        .run();

    String why = run.describe();
    Map<String, String> v = run.keyValues();
    assertEquals(0, run.exitCode(), why);

    assertEquals("net.bytebuddy.ByteBuddy", v.get("bytebuddy.class"), why);
    assertEquals(APP_BYTE_BUDDY, v.get("bytebuddy.version"), why);
    assertTrue(v.get("bytebuddy.location").endsWith("byte-buddy-" + APP_BYTE_BUDDY + ".jar"), why);
    assertEquals("1", v.get("bytebuddy.copies"), "one net/bytebuddy/ByteBuddy.class visible to the app\n" + why);
    assertEquals("hello from byte buddy", v.get("bytebuddy.works"), why);

    assertEquals("org.yaml.snakeyaml.Yaml", v.get("snakeyaml.class"), why);
    assertEquals(APP_SNAKEYAML, v.get("snakeyaml.version"), why);
    assertTrue(v.get("snakeyaml.location").endsWith("snakeyaml-" + APP_SNAKEYAML + ".jar"), why);
    assertEquals("1", v.get("snakeyaml.copies"), "one org/yaml/snakeyaml/Yaml.class visible to the app\n" + why);
    assertEquals("{name=levee-smoke, items=[1, 2]}", v.get("snakeyaml.works"), why);
    assertEquals("java.util.LinkedHashMap", v.get("snakeyaml.worksType"), why);

    for (Map.Entry<String, String> e : v.entrySet()) {
      assertFalse(e.getValue().contains("dev.levee.shaded") || e.getValue().contains("dev/levee/shaded")
          || e.getValue().contains("levee-agent"), "Levee leaked into " + e.getKey() + "\n" + why);
    }
  }
}
