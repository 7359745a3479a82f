package dev.levee.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * A JDK to fork a JVM with. It may be unavailable (not installed here): callers check
 * {@link #isAvailable()} and skip with {@link #unavailableReason()} (the testkit has no JUnit, so the
 * assumption itself is the caller's).
 */
public final class Jdk {

  /** The system property holding the second JDK's home (set by the parent pom's surefire config). */
  public static final String JDK25_HOME_PROPERTY = "levee.jdk25.home";

  static final String DEBIAN_JDK17 = "/usr/lib/jvm/java-17-openjdk-amd64";

  private final String name;
  private final Path home;
  private final String unavailableReason;

  private Jdk(String name, Path home, String unavailableReason) {
    this.name = name;
    this.home = home;
    this.unavailableReason = unavailableReason;
  }

  /** JDK 17: the JVM running this code when that is 17, else the Debian package's. */
  public static Jdk current17() {
    if (Runtime.version().feature() == 17) {
      return of("JDK 17", Paths.get(System.getProperty("java.home")));
    }
    return of("JDK 17", Paths.get(DEBIAN_JDK17));
  }

  /** JDK 25 from the system property {@value #JDK25_HOME_PROPERTY}; unavailable when unset or absent. */
  public static Jdk jdk25() {
    String home = System.getProperty(JDK25_HOME_PROPERTY);
    if (home == null || home.trim().isEmpty()) {
      return new Jdk("JDK 25", null,
          "JDK 25 not configured: system property " + JDK25_HOME_PROPERTY + " is unset or empty");
    }
    return of("JDK 25", Paths.get(home.trim()));
  }

  /** A JDK at {@code home}; unavailable when {@code home/bin/java} is not an executable file. */
  public static Jdk of(String name, Path home) {
    Path java = home.resolve("bin").resolve("java");
    if (!Files.isDirectory(home)) {
      return new Jdk(name, home, name + " not found: " + home + " is not a directory");
    }
    if (!Files.isExecutable(java)) {
      return new Jdk(name, home, name + " not usable: " + java + " is not executable");
    }
    return new Jdk(name, home, null);
  }

  public String name() {
    return name;
  }

  public Path home() {
    return home;
  }

  /** {@code home/bin/java}. */
  public Path javaExecutable() {
    if (!isAvailable()) {
      throw new IllegalStateException(unavailableReason);
    }
    return home.resolve("bin").resolve("java");
  }

  public boolean isAvailable() {
    return unavailableReason == null;
  }

  /** Why it cannot be used; null when available. */
  public String unavailableReason() {
    return unavailableReason;
  }

  /** The name: reads well as a parameterized test's display name. */
  @Override
  public String toString() {
    return name;
  }
}
