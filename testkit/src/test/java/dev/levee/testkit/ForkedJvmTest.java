package dev.levee.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForkedJvmTest {

  /** The forked main class. */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      if (args.length > 0 && args[0].equals("sleep")) {
        Thread.sleep(60_000);
      }
      System.out.println("prop=" + System.getProperty("child.prop"));
      System.out.println("env=" + System.getenv("CHILD_ENV"));
      System.out.println("levee_config=" + System.getenv("LEVEE_CONFIG"));
      System.out.println("cwd=" + Paths.get("").toAbsolutePath());
      System.out.println("args=" + String.join(",", args));
      System.err.println("to stderr");
      System.exit(args.length > 0 && args[0].equals("fail") ? 3 : 0);
    }
  }

  private static Path testClasses() throws Exception {
    return Paths.get(Child.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  @Test
  void runsAMainClassAndCapturesItsOutput(@TempDir Path dir) throws Exception {
    ForkedJvm.Result r = ForkedJvm.builder()
        .jdk(Jdk.current17())
        .classpath(testClasses())
        .systemProperty("child.prop", "p1")
        .env("CHILD_ENV", "e1")
        .workingDirectory(dir)
        .mainClass(Child.class.getName())
        .args("a", "b")
        .timeout(Duration.ofSeconds(30))
        .run();

    assertEquals(0, r.exitCode(), r.describe());
    List<String> out = r.stdoutLines();
    assertTrue(out.contains("prop=p1"), r.describe());
    assertTrue(out.contains("env=e1"), r.describe());
    assertTrue(out.contains("levee_config=null"), "LEVEE_CONFIG is never inherited");
    assertTrue(out.contains("cwd=" + dir.toRealPath()) || out.contains("cwd=" + dir), r.describe());
    assertTrue(out.contains("args=a,b"), r.describe());
    assertEquals(List.of("to stderr"), r.stderrLines());
    assertTrue(r.wallTime().toMillis() > 0);
  }

  @Test
  void reportsTheExitCode() throws Exception {
    ForkedJvm.Result r = ForkedJvm.builder()
        .jdk(Jdk.current17()).classpath(testClasses()).mainClass(Child.class.getName()).args("fail").run();
    assertEquals(3, r.exitCode());
  }

  @Test
  void killsAndFailsClearlyOnTimeout() throws Exception {
    long start = System.nanoTime();
    AssertionError e = assertThrows(AssertionError.class, () -> ForkedJvm.builder()
        .jdk(Jdk.current17())
        .classpath(testClasses())
        .mainClass(Child.class.getName())
        .args("sleep")
        .timeout(Duration.ofMillis(1500))
        .run());
    long ms = (System.nanoTime() - start) / 1_000_000;

    assertTrue(e.getMessage().contains("did not finish within 1500ms"), e.getMessage());
    assertTrue(e.getMessage().contains(Child.class.getName()), "names the command");
    assertTrue(e.getMessage().contains("Full thread dump") || e.getMessage().contains("--- stdout ---"), e.getMessage());
    assertTrue(ms < 15_000, "took " + ms + "ms");
  }

  @Test
  void jdkHelpers() {
    Jdk jdk17 = Jdk.current17();
    assertTrue(jdk17.isAvailable(), jdk17.unavailableReason());
    Jdk missing = Jdk.of("JDK 99", Paths.get("/nonexistent/jdk"));
    assertFalse(missing.isAvailable());
    assertTrue(missing.unavailableReason().contains("/nonexistent/jdk"));
    String saved = System.getProperty(Jdk.JDK25_HOME_PROPERTY);
    try {
      System.clearProperty(Jdk.JDK25_HOME_PROPERTY);
      assertTrue(Jdk.jdk25().unavailableReason().contains(Jdk.JDK25_HOME_PROPERTY));
    } finally {
      if (saved != null) {
        System.setProperty(Jdk.JDK25_HOME_PROPERTY, saved);
      }
    }
  }
}
