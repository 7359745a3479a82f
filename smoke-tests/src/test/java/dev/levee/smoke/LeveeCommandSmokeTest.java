package dev.levee.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.testkit.Jdk;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code java -jar levee-agent.jar validate|explain|version}, as an operator runs it, on JDK 17 and 25. */
class LeveeCommandSmokeTest {

  @TempDir Path dir;

  @ParameterizedTest
  @MethodSource("dev.levee.smoke.SmokeJdks#both")
  void theJarIsACommand(Jdk jdk) throws Exception {
    SmokeJdks.assumeAvailable(jdk);
    Path bad = dir.resolve("bad.yaml");
    Files.write(bad, "http:\n  defaults:\n    bulkhed: { maxConcurrentCalls: 4 }\n".getBytes(StandardCharsets.UTF_8));
    Run invalid = java(jdk, "validate", bad.toString());
    assertEquals(1, invalid.exit, invalid.toString());
    assertEquals(bad + ":3:5: http.defaults.bulkhed: unknown key; did you mean 'bulkhead'?", invalid.err.get(0));
    assertTrue(invalid.millis < 5_000, "well under a second on an idle machine; " + invalid.millis + " ms here");

    // beside the jar is where the agent looks; a copy of the jar in a folder of its own keeps the build's clean
    Path jar = Files.copy(AgentJarTest.agentJar(), dir.resolve("levee-agent.jar"));
    Files.write(dir.resolve("resilience.yaml"),
        "http:\n  hosts:\n    \"*.example.com\": { retry: { maxAttempts: 5 } }\n".getBytes(StandardCharsets.UTF_8));
    Run valid = java(jdk, jar, "validate");
    assertEquals(0, valid.exit, valid.toString());
    assertEquals(Arrays.asList(dir.resolve("resilience.yaml") + ": valid; http: 1 host rule, jdbc: 0 host rules"), valid.out);

    Run explain = java(jdk, jar, "explain", "http://shop.example.com:8080/cart");
    assertEquals(0, explain.exit, explain.toString());
    assertTrue(explain.out.contains("target: shop.example.com:8080 (http)"), explain.toString());
    assertTrue(explain.out.stream().anyMatch(l -> l.matches(" +retry\\.maxAttempts +5 +http\\.hosts\\.\"\\*\\.example\\.com\" \\(line 3\\)")),
        explain.toString());

    Run version = java(jdk, "version");
    assertEquals(0, version.exit, version.toString());
    assertTrue(version.out.get(0).matches("levee \\S+"), version.toString());
  }

  private Run java(Jdk jdk, String... args) throws Exception {
    return java(jdk, AgentJarTest.agentJar(), args);
  }

  private Run java(Jdk jdk, Path jar, String... args) throws Exception {
    List<String> command = new ArrayList<>(Arrays.asList(jdk.javaExecutable().toString(), "-jar", jar.toString()));
    command.addAll(Arrays.asList(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().remove("LEVEE_CONFIG");
    long began = System.nanoTime();
    Process process = builder.start();
    process.getOutputStream().close();
    byte[] out = readAll(process.getInputStream());
    byte[] err = readAll(process.getErrorStream());
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the command did not end: " + command);
    return new Run(process.exitValue(), lines(out), lines(err), (System.nanoTime() - began) / 1_000_000, command);
  }

  private static byte[] readAll(InputStream in) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    in.transferTo(bytes);
    return bytes.toByteArray();
  }

  private static List<String> lines(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    return text.isEmpty() ? new ArrayList<>() : Arrays.asList(text.split("\\R"));
  }

  private static final class Run {
    final int exit;
    final List<String> out;
    final List<String> err;
    final long millis;
    final List<String> command;

    Run(int exit, List<String> out, List<String> err, long millis, List<String> command) {
      this.exit = exit;
      this.out = out;
      this.err = err;
      this.millis = millis;
      this.command = command;
    }

    @Override
    public String toString() {
      return command + " -> exit " + exit + "\nstdout: " + out + "\nstderr: " + err;
    }
  }
}
