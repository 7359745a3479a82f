package dev.levee.smoke;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where the packaged agent is: {@code <repo>/agent/target/levee-agent.jar}, or the path in the system
 * property {@code levee.agent.jar} (to try a jar built elsewhere). A missing jar fails the test: a
 * smoke test that skips silently when the agent was not built would prove nothing.
 */
final class LeveeAgentJar {

  static final String PROPERTY = "levee.agent.jar";

  private LeveeAgentJar() {}

  static Path repoRoot() {
    // target/classes -> target -> smoke-tests -> repo; independent of the working directory
    return SmokeApp.appClasses().getParent().getParent().getParent();
  }

  /** The agent jar; fails the calling test when it does not exist. */
  static Path require() {
    String override = System.getProperty(PROPERTY);
    Path jar = override != null && !override.trim().isEmpty()
        ? Paths.get(override.trim()).toAbsolutePath()
        : repoRoot().resolve("agent").resolve("target").resolve("levee-agent.jar");
    if (!Files.isRegularFile(jar)) {
      fail("Levee agent jar not found at " + jar + ": run `mvn package` first (from the repo root: "
          + "mvn -q package -DskipTests), or point -D" + PROPERTY + "=PATH at a built jar");
    }
    return jar;
  }
}
