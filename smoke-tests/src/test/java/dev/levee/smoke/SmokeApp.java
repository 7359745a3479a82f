package dev.levee.smoke;

import dev.levee.smoke.apps.JdkHttpClientApp;
import dev.levee.testkit.ForkedJvm;
import dev.levee.testkit.Jdk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Launches a smoke app in a fresh JVM, by default with {@code -javaagent:levee-agent.jar}.
 *
 * <pre>
 *   AppRun run = SmokeApp.launch(jdk, JdkHttpClientApp.class.getName())
 *       .config(ResilienceYaml.write(dir, "http:", "  defaults:", ...))
 *       .workingDirectory(dir)
 *       .args("--url", server.url("/flaky"))
 *       .run();
 * </pre>
 */
final class SmokeApp {

  /**
   * C1 only and the serial collector: these JVMs live a few seconds, and on a 2-core machine the C2
   * and parallel GC threads would mostly compete with the other JVM a parallel test run starts.
   */
  static final List<String> LEAN_JVM_FLAGS = Arrays.asList("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private SmokeApp() {}

  static Builder launch(Jdk jdk, String mainClass) {
    return new Builder(jdk, mainClass);
  }

  /** This module's compiled apps ({@code target/classes}). */
  static Path appClasses() {
    return locationOf(JdkHttpClientApp.class);
  }

  /** The jar (or folder) a class was loaded from. */
  static Path locationOf(Class<?> type) {
    try {
      return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Where this module's pom copied a library's jars for the apps' class paths: {@code property}'s folder when the
   * build names it, else {@code smoke-tests/target/FOLDER}.
   */
  static Path copiedLibraries(String property, String folder) {
    String base = System.getProperty(property);
    return base != null ? Paths.get(base) : LeveeAgentJar.repoRoot().resolve("smoke-tests/target").resolve(folder);
  }

  /** The jars in {@code dir}, sorted; fails naming the folder when the pom's copy did not run. */
  static List<Path> jarsIn(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> jars = files.filter(p -> p.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
      if (jars.isEmpty()) {
        throw new IllegalStateException("no jars in " + dir + ": run mvn package first (the smoke-tests pom copies "
            + "them in generate-test-resources)");
      }
      return jars;
    } catch (IOException e) {
      throw new UncheckedIOException("jars missing at " + dir + ": run mvn package first (the smoke-tests pom copies "
          + "them in generate-test-resources)", e);
    }
  }

  /** Writes {@code dir/resilience.yaml} from lines and returns its path. */
  static Path writeConfig(Path dir, String... lines) {
    Path file = dir.resolve("resilience.yaml");
    try {
      Files.createDirectories(dir);
      Files.write(file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  static final class Builder {
    private final Jdk jdk;
    private final String mainClass;
    private boolean withAgent = true;
    private Path config;
    private final List<Path> classpath = new ArrayList<>();
    private final Map<String, String> systemProperties = new LinkedHashMap<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Path workingDirectory;
    private final List<String> args = new ArrayList<>();
    private Duration timeout = DEFAULT_TIMEOUT;

    private Builder(Jdk jdk, String mainClass) {
      this.jdk = jdk;
      this.mainClass = mainClass;
      classpath.add(appClasses());
    }

    /** Runs the app bare, as it runs in production before Levee (for comparison runs). */
    Builder withoutAgent() {
      this.withAgent = false;
      return this;
    }

    /** Passes {@code -Dlevee.config=path}. Without it the agent looks for its config on its own. */
    Builder config(Path path) {
      this.config = path;
      return this;
    }

    Builder classpath(Path... entries) {
      classpath.addAll(Arrays.asList(entries));
      return this;
    }

    Builder systemProperty(String name, String value) {
      systemProperties.put(name, value);
      return this;
    }

    Builder env(String name, String value) {
      environment.put(name, value);
      return this;
    }

    Builder workingDirectory(Path dir) {
      this.workingDirectory = dir;
      return this;
    }

    Builder args(String... args) {
      this.args.addAll(Arrays.asList(args));
      return this;
    }

    Builder args(List<String> args) {
      this.args.addAll(args);
      return this;
    }

    Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    AppRun run() {
      return new AppRun(fork().run());
    }

    /** Starts the app in the background: a service other JVMs call; the timeout bounds its start. */
    ForkedJvm.Background start() {
      return fork().start();
    }

    private ForkedJvm.Builder fork() {
      SmokeJdks.assumeAvailable(jdk);
      ForkedJvm.Builder fork = ForkedJvm.builder()
          .jdk(jdk)
          .jvmArg(LEAN_JVM_FLAGS.toArray(new String[0]))
          .classpath(classpath)
          .mainClass(mainClass)
          .args(args)
          .timeout(timeout);
      if (withAgent) {
        fork.javaagent(LeveeAgentJar.require());
      }
      if (config != null) {
        fork.systemProperty("levee.config", config.toString());
      }
      for (Map.Entry<String, String> p : systemProperties.entrySet()) {
        fork.systemProperty(p.getKey(), p.getValue());
      }
      for (Map.Entry<String, String> e : environment.entrySet()) {
        fork.env(e.getKey(), e.getValue());
      }
      if (workingDirectory != null) {
        fork.workingDirectory(workingDirectory);
      }
      return fork;
    }
  }
}
