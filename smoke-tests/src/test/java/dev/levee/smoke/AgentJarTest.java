package dev.levee.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The packaged agent: self-contained, everything it brings relocated, nothing unrelocated left behind. */
class AgentJarTest {

  static Path agentJar() {
    Path jar = Paths.get("..", "agent", "target", "levee-agent.jar").toAbsolutePath().normalize();
    assertTrue(Files.isRegularFile(jar), "no agent jar at " + jar + ": run `mvn package` first");
    return jar;
  }

  @Test
  void manifestDeclaresTheAgent() throws Exception {
    try (JarFile jar = new JarFile(agentJar().toFile())) {
      Attributes main = jar.getManifest().getMainAttributes();
      assertEquals("dev.levee.agent.LeveeAgent", main.getValue("Premain-Class"));
      assertEquals("dev.levee.agent.LeveeCommand", main.getValue("Main-Class"));
      assertEquals("dev.levee.agent.LeveeAgent", main.getValue("Agent-Class"));
      assertEquals("true", main.getValue("Can-Retransform-Classes"));
      assertNotNull(main.getValue("Implementation-Version"));
      assertEquals(null, main.getValue("Multi-Release"), "multi-release entries are not relocated by shade");
      assertEquals(null, main.getValue("Boot-Class-Path"), "the bridge is defined into java.base, not appended");
    }
  }

  @Test
  void everyClassIsLeveesOwnOrRelocated() throws Exception {
    List<String> stray = new ArrayList<>();
    int shadedByteBuddy = 0;
    int shadedSnakeYaml = 0;
    try (JarFile jar = new JarFile(agentJar().toFile())) {
      for (JarEntry entry : Collections.list(jar.entries())) {
        String name = entry.getName();
        if (name.startsWith("dev/levee/shaded/net/bytebuddy/")) {
          shadedByteBuddy++;
        } else if (name.startsWith("dev/levee/shaded/org/yaml/snakeyaml/")) {
          shadedSnakeYaml++;
        }
        boolean allowed = name.startsWith("dev/levee/")
            || name.equals("META-INF/")
            || name.equals("META-INF/MANIFEST.MF")
            || name.equals("META-INF/services/")
            || name.startsWith("META-INF/services/dev.levee.")
            || name.startsWith("META-INF/licenses/") // the bundled libraries' licences travel with them
            || name.startsWith("META-INF/LICENSE")
            || name.startsWith("META-INF/NOTICE")
            || name.equals("dev/")
            || name.endsWith(".yaml") && !name.contains("/");
        if (!allowed) {
          stray.add(name);
        }
      }
    }
    assertEquals(List.of(), stray, "entries outside dev/levee/ that the application could see or collide with");
    // only the ASM Byte Buddy bundles (net/bytebuddy/jar/asm/): the rest of Byte Buddy is left out (README, Startup)
    assertTrue(shadedByteBuddy > 20 && shadedByteBuddy < 100, "Byte Buddy's ASM is bundled, relocated, and only it: "
        + shadedByteBuddy + " entries");
    assertTrue(shadedSnakeYaml > 50, "SnakeYAML is bundled, relocated");
  }
}
