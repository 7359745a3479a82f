package dev.levee.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class in a separate JVM and captures what it printed.
 *
 * <pre>
 *   ForkedJvm.Result r = ForkedJvm.builder()
 *       .jdk(Jdk.current17())
 *       .classpath(appClasses)
 *       .javaagent(agentJar)
 *       .systemProperty("levee.config", config.toString())
 *       .mainClass("dev.levee.smoke.apps.JdkHttpClientApp")
 *       .args("--url", server.url("/flaky"))
 *       .timeout(Duration.ofSeconds(30))
 *       .run();
 * </pre>
 *
 * <p>Output goes to temporary files rather than pipes, so a chatty or hung child can never block on a
 * full pipe buffer. On timeout the child is asked for a thread dump (SIGQUIT, printed to its stdout),
 * then its whole process tree is killed and {@link #run()} throws an {@link AssertionError} carrying
 * the command line and everything the child printed.
 */
public final class ForkedJvm {

  /**
   * Inherited variables that would change what a forked JVM prints or loads: the JVM announces
   * {@code JAVA_TOOL_OPTIONS} and friends on stderr, and {@code LEVEE_CONFIG} would pick a config
   * the test did not ask for. Removed unless the builder sets them explicitly.
   */
  static final List<String> SCRUBBED_ENV =
      Collections.unmodifiableList(Arrays.asList("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "LEVEE_CONFIG"));

  private final Path java;
  private final List<String> command;
  private final Map<String, String> env;
  private final Path workingDirectory;
  private final Duration timeout;

  private ForkedJvm(Builder b) {
    this.java = b.java;
    this.env = b.env;
    this.workingDirectory = b.workingDirectory;
    this.timeout = b.timeout;
    List<String> cmd = new ArrayList<>();
    cmd.add(java.toString());
    if (b.javaagent != null) {
      cmd.add("-javaagent:" + b.javaagent + (b.agentArgs == null ? "" : "=" + b.agentArgs));
    }
    cmd.addAll(b.jvmArgs);
    for (Map.Entry<String, String> p : b.systemProperties.entrySet()) {
      cmd.add("-D" + p.getKey() + "=" + p.getValue());
    }
    if (!b.classpath.isEmpty()) {
      cmd.add("-cp");
      cmd.add(String.join(File.pathSeparator, b.classpath));
    }
    cmd.add(b.mainClass);
    cmd.addAll(b.args);
    this.command = Collections.unmodifiableList(cmd);
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<String> command() {
    return command;
  }

  /** Starts the JVM, waits for it (at most the timeout) and returns what it did. */
  public Result run() {
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("forked-jvm-", ".stdout");
      err = Files.createTempFile("forked-jvm-", ".stderr");
      long start = System.nanoTime();
      Process process = start(out, err);
      boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      Duration wall = Duration.ofNanos(System.nanoTime() - start);
      if (!finished) {
        requestThreadDump(process);
        killTree(process);
        Result partial = new Result(command, -1, read(out), read(err), wall);
        throw new AssertionError(
            "forked JVM did not finish within " + timeout.toMillis() + "ms and was killed\n" + partial.describe());
      }
      return new Result(command, process.exitValue(), read(out), read(err), wall);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + command, e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  /**
   * Starts the JVM in the background (a server for other JVMs to call); {@link Background#stop()} ends it
   * and returns what it printed. The timeout bounds {@link Background#awaitOutput}.
   */
  public Background start() {
    try {
      Path out = Files.createTempFile("forked-jvm-", ".stdout");
      Path err = Files.createTempFile("forked-jvm-", ".stderr");
      Process process = start(out, err);
      BACKGROUND.add(process);
      return new Background(this, process, out, err);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  /** Background JVMs still running when the test JVM exits (a test that forgot one, a crash) end with it. */
  private static final Set<Process> BACKGROUND = initBackground();

  private static Set<Process> initBackground() {
    Set<Process> processes = ConcurrentHashMap.newKeySet();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> processes.forEach(Process::destroyForcibly), "forked-jvm-reaper"));
    return processes;
  }

  /** A JVM started with {@link #start()}. */
  public static final class Background implements AutoCloseable {
    private final ForkedJvm jvm;
    private final Process process;
    private final Path out;
    private final Path err;
    private final long started = System.nanoTime();
    private Result result;

    private Background(ForkedJvm jvm, Process process, Path out, Path err) {
      this.jvm = jvm;
      this.process = process;
      this.out = out;
      this.err = err;
    }

    /**
     * Waits until the JVM has printed a stdout line starting with {@code prefix} and returns the line;
     * fails with everything it printed when it exits or the timeout passes first.
     */
    public String awaitOutput(String prefix) {
      return awaitOutput(prefix, 1);
    }

    /** As {@link #awaitOutput(String)}, for the {@code n}th such line (from 1). */
    public String awaitOutput(String prefix, int n) {
      long end = System.nanoTime() + jvm.timeout.toNanos();
      try {
        while (System.nanoTime() < end) {
          int seen = 0;
          for (String line : output().split("\n", -1)) {
            if (line.startsWith(prefix) && ++seen == n) {
              return line;
            }
          }
          if (result != null || !process.isAlive()) {
            throw new AssertionError("forked JVM exited before printing '" + prefix + "' " + n + " times\n"
                + stop().describe());
          }
          Thread.sleep(20);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
      throw new AssertionError("forked JVM printed no " + n + " lines '" + prefix + "' within " + jvm.timeout.toMillis()
          + "ms\n" + stop().describe());
    }

    /** What the JVM has printed on stdout so far (after {@link #stop()}: all of it). */
    public String output() {
      if (result != null) {
        return result.stdout();
      }
      try {
        return read(out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Ends the JVM (at once) and returns what it printed; later calls return the same. */
    public Result stop() {
      if (result != null) {
        return result;
      }
      try {
        killTree(process);
        BACKGROUND.remove(process);
        result = new Result(jvm.command, process.isAlive() ? -1 : process.exitValue(), read(out), read(err),
            Duration.ofNanos(System.nanoTime() - started));
        return result;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      } finally {
        deleteQuietly(out);
        deleteQuietly(err);
      }
    }

    @Override
    public void close() {
      stop();
    }
  }

  private Process start(Path out, Path err) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command);
    if (workingDirectory != null) {
      pb.directory(workingDirectory.toFile());
    }
    Map<String, String> childEnv = pb.environment();
    for (String name : SCRUBBED_ENV) {
      childEnv.remove(name);
    }
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (e.getValue() == null) {
        childEnv.remove(e.getKey());
      } else {
        childEnv.put(e.getKey(), e.getValue());
      }
    }
    pb.redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
    pb.redirectOutput(out.toFile());
    pb.redirectError(err.toFile());
    return pb.start();
  }

  private static File nullDevice() {
    return new File(File.separatorChar == '\\' ? "NUL" : "/dev/null");
  }

  /** Best effort: a JVM answers SIGQUIT with a thread dump on its stdout, which shows where it hung. */
  private static void requestThreadDump(Process process) {
    if (File.separatorChar == '\\') {
      return;
    }
    try {
      Process kill = new ProcessBuilder("kill", "-QUIT", Long.toString(process.pid())).start();
      kill.waitFor(2, TimeUnit.SECONDS);
      process.waitFor(700, TimeUnit.MILLISECONDS);
    } catch (IOException e) {
      // no thread dump then
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void killTree(Process process) throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor(5, TimeUnit.SECONDS);
  }

  private static String read(Path file) throws IOException {
    return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a leftover temp file is harmless
      }
    }
  }

  /** What the forked JVM did. */
  public static final class Result {
    private final List<String> command;
    private final int exitCode;
    private final String stdout;
    private final String stderr;
    private final Duration wallTime;

    Result(List<String> command, int exitCode, String stdout, String stderr, Duration wallTime) {
      this.command = command;
      this.exitCode = exitCode;
      this.stdout = stdout;
      this.stderr = stderr;
      this.wallTime = wallTime;
    }

    public int exitCode() {
      return exitCode;
    }

    public String stdout() {
      return stdout;
    }

    public String stderr() {
      return stderr;
    }

    public List<String> stdoutLines() {
      return lines(stdout);
    }

    /** stderr's non-empty lines. */
    public List<String> stderrLines() {
      return lines(stderr);
    }

    /** From start to exit, as measured by the parent. */
    public Duration wallTime() {
      return wallTime;
    }

    public List<String> command() {
      return command;
    }

    /** Command, exit code, wall time, stdout and stderr: for assertion messages. */
    public String describe() {
      return "command: " + String.join(" ", command)
          + "\nexit code: " + exitCode + ", wall time: " + wallTime.toMillis() + "ms"
          + "\n--- stdout ---\n" + stdout
          + (stdout.endsWith("\n") || stdout.isEmpty() ? "" : "\n")
          + "--- stderr ---\n" + stderr
          + (stderr.endsWith("\n") || stderr.isEmpty() ? "" : "\n")
          + "--- end ---";
    }

    @Override
    public String toString() {
      return describe();
    }

    private static List<String> lines(String text) {
      List<String> lines = new ArrayList<>();
      for (String line : text.split("\r?\n")) {
        if (!line.isEmpty()) {
          lines.add(line);
        }
      }
      return lines;
    }
  }

  /** Every setting is optional except the JDK (or java executable) and the main class. */
  public static final class Builder {
    private Path java;
    private Path javaagent;
    private String agentArgs;
    private final List<String> classpath = new ArrayList<>();
    private final List<String> jvmArgs = new ArrayList<>();
    private final Map<String, String> systemProperties = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> args = new ArrayList<>();
    private String mainClass;
    private Path workingDirectory;
    private Duration timeout = Duration.ofSeconds(60);

    private Builder() {}

    /** Uses {@code jdk}'s {@code bin/java}; throws when the JDK is unavailable. */
    public Builder jdk(Jdk jdk) {
      this.java = jdk.javaExecutable();
      return this;
    }

    /** Uses {@code javaHome/bin/java}. */
    public Builder javaHome(Path javaHome) {
      this.java = javaHome.resolve("bin").resolve("java");
      return this;
    }

    public Builder javaExecutable(Path java) {
      this.java = java;
      return this;
    }

    public Builder classpath(Path... entries) {
      for (Path p : entries) {
        classpath.add(p.toString());
      }
      return this;
    }

    public Builder classpath(List<Path> entries) {
      return classpath(entries.toArray(new Path[0]));
    }

    /** Adds {@code -javaagent:jar}; null leaves the agent off. */
    public Builder javaagent(Path jar) {
      this.javaagent = jar;
      return this;
    }

    /** The agent's options ({@code -javaagent:jar=options}). */
    public Builder agentArgs(String options) {
      this.agentArgs = options;
      return this;
    }

    public Builder jvmArg(String... jvmArgs) {
      this.jvmArgs.addAll(Arrays.asList(jvmArgs));
      return this;
    }

    public Builder systemProperty(String name, String value) {
      systemProperties.put(name, Objects.requireNonNull(value, name));
      return this;
    }

    /** Sets a variable; null removes it (also an inherited one). */
    public Builder env(String name, String value) {
      env.put(name, value);
      return this;
    }

    public Builder workingDirectory(Path dir) {
      this.workingDirectory = dir;
      return this;
    }

    public Builder mainClass(String mainClass) {
      this.mainClass = mainClass;
      return this;
    }

    public Builder args(String... args) {
      this.args.addAll(Arrays.asList(args));
      return this;
    }

    public Builder args(List<String> args) {
      this.args.addAll(args);
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public ForkedJvm build() {
      Objects.requireNonNull(java, "java: call jdk(...), javaHome(...) or javaExecutable(...)");
      Objects.requireNonNull(mainClass, "mainClass");
      return new ForkedJvm(this);
    }

    /** {@code build().run()}. */
    public Result run() {
      return build().run();
    }

    public Background start() {
      return build().start();
    }
  }
}
