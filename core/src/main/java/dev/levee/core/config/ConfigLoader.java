package dev.levee.core.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Finds, reads and validates resilience.yaml (DESIGN.md §4). A file either yields a whole {@link LeveeConfig}
 * or a {@link ConfigException} listing every problem in it; nothing is ever half-applied.
 */
public final class ConfigLoader {

  public static final String FILE_NAME = "resilience.yaml";
  public static final String CONFIG_PROPERTY = "levee.config";
  public static final String CONFIG_ENVIRONMENT_VARIABLE = "LEVEE_CONFIG";
  /** Real configs are a few KiB; the cap bounds what a wrong path (a log, a heap dump) can cost at startup. */
  public static final int MAX_FILE_BYTES = 1024 * 1024;
  /** Anchors and aliases may share a host policy or two; more is an expansion attack (billion laughs). */
  static final int MAX_ALIASES = 20;

  private ConfigLoader() {}

  /**
   * Where the configuration is: the system property {@code levee.config}, else the environment variable
   * {@code LEVEE_CONFIG}, else {@code resilience.yaml} in the agent jar's folder. A blank property or variable
   * counts as unset.
   *
   * @param systemProperty e.g. {@code System::getProperty}; returns null when unset
   * @param environment e.g. {@code System::getenv}; returns null when unset
   * @param agentJarDirectory the folder of the agent jar, or null when unknown
   * @return empty when no file is named and none lies beside the jar: the built-in defaults apply
   * @throws ConfigException when the property or variable names a file that does not exist
   */
  public static Optional<Path> locate(
      Function<String, String> systemProperty, Function<String, String> environment, Path agentJarDirectory)
      throws ConfigException {
    String named = systemProperty.apply(CONFIG_PROPERTY);
    if (named != null && !named.trim().isEmpty()) {
      return Optional.of(existing(named.trim(), "the system property -D" + CONFIG_PROPERTY));
    }
    named = environment.apply(CONFIG_ENVIRONMENT_VARIABLE);
    if (named != null && !named.trim().isEmpty()) {
      return Optional.of(existing(named.trim(), "the environment variable " + CONFIG_ENVIRONMENT_VARIABLE));
    }
    if (agentJarDirectory != null) {
      Path besideJar = agentJarDirectory.resolve(FILE_NAME);
      if (Files.exists(besideJar)) {
        return Optional.of(besideJar);
      }
    }
    return Optional.empty();
  }

  private static Path existing(String named, String namedBy) throws ConfigException {
    Path path;
    try {
      path = Paths.get(named);
    } catch (InvalidPathException e) {
      throw new ConfigException(problem(named, "not a valid path (named by " + namedBy + ")"));
    }
    if (!Files.exists(path)) {
      throw new ConfigException(problem(named, "no such file (named by " + namedBy + ")"));
    }
    return path;
  }

  /** Reads and validates a file; {@link LeveeConfig#source()} is the path as given. */
  public static LeveeConfig load(Path file) throws ConfigException {
    String name = file.toString();
    if (Files.isDirectory(file)) {
      throw new ConfigException(problem(name, "is a folder, not a file"));
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      // read one byte past the cap rather than trusting Files.size: the file may be a pipe or still growing
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    } catch (NoSuchFileException e) {
      throw new ConfigException(problem(name, "no such file"));
    } catch (AccessDeniedException e) {
      throw new ConfigException(problem(name, "cannot be read: permission denied"));
    } catch (IOException e) {
      throw new ConfigException(problem(name, "cannot be read: " + e));
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw new ConfigException(problem(name, tooLarge()));
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ConfigException(problem(name, "is not UTF-8 text"));
    }
    return parse(text, name);
  }

  /**
   * Validates YAML text.
   *
   * @param displayName how problems name the file, and the resulting {@link LeveeConfig#source()}
   */
  public static LeveeConfig parse(String yaml, String displayName) throws ConfigException {
    if (yaml.length() > MAX_FILE_BYTES && yaml.codePointCount(0, yaml.length()) > MAX_FILE_BYTES) {
      throw new ConfigException(problem(displayName, tooLarge()));
    }
    String text = yaml.startsWith("\uFEFF") ? yaml.substring(1) : yaml;
    Node root;
    try {
      root = newYaml().compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      throw new ConfigException(syntaxProblem(displayName, e));
    } catch (YAMLException e) {
      throw new ConfigException(unmarkedProblem(displayName, text, e));
    }
    ConfigReader reader = new ConfigReader(displayName);
    LeveeConfig config = reader.read(root, displayName);
    List<ConfigProblem> problems = new ArrayList<>(reader.problems());
    if (!problems.isEmpty()) {
      problems.sort(InFileOrder.INSTANCE);
      throw new ConfigException(problems);
    }
    return config;
  }

  /**
   * Problems by line and column; those without a position (the "more not shown" line) stay last. Built on
   * first use: as a static field of this class it spun four lambda classes at every start.
   */
  private static final class InFileOrder {
    static final Comparator<ConfigProblem> INSTANCE =
        Comparator.comparingInt((ConfigProblem p) -> p.line() == 0 ? Integer.MAX_VALUE : p.line())
            .thenComparingInt(ConfigProblem::column);
  }

  /** The YAML node tree of a file the reader accepted, composed exactly as it was read (aliases, merges). */
  static Node compose(String yaml) {
    String text = yaml.startsWith("\uFEFF") ? yaml.substring(1) : yaml;
    return newYaml().compose(new StringReader(text));
  }

  private static Yaml newYaml() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setAllowRecursiveKeys(false);
    options.setCodePointLimit(MAX_FILE_BYTES);
    options.setNestingDepthLimit(20);
    // lets host rules share settings with "<<: *anchor"; explicit keys win over merged ones
    options.setMergeOnCompose(true);
    DumperOptions dumperOptions = new DumperOptions();
    return new Yaml(new SafeConstructor(options), new Representer(dumperOptions), dumperOptions, options);
  }

  private static ConfigProblem syntaxProblem(String file, MarkedYAMLException e) {
    Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
    String message = e.getProblem() != null ? e.getProblem() : e.getMessage();
    if (message.startsWith("Global tag is not allowed: ")) {
      String tag = message.substring("Global tag is not allowed: ".length()).replace("tag:yaml.org,2002:", "!!");
      message = "the tag " + tag + " is not allowed: resilience.yaml holds plain values only";
    } else if (e.getContext() != null) {
      Mark at = e.getContextMark();
      message += " (" + e.getContext() + (at == null ? "" : " at " + (at.getLine() + 1) + ":" + (at.getColumn() + 1))
          + ")";
    }
    return mark == null
        ? problem(file, message)
        : new ConfigProblem(file, mark.getLine() + 1, mark.getColumn() + 1, "", message, null);
  }

  /** SnakeYAML reports too many aliases without a position; find the alias by walking the events. */
  private static ConfigProblem unmarkedProblem(String file, String text, YAMLException e) {
    if (e.getMessage() == null || !e.getMessage().contains("aliases")) {
      return problem(file, e.getMessage() == null ? e.toString() : e.getMessage());
    }
    String message = "more than " + MAX_ALIASES + " aliases to lists or mappings: anchors may share a few "
        + "settings, not expand large structures";
    Set<String> collectionAnchors = new HashSet<>();
    int aliases = 0;
    try {
      for (Event event : newYaml().parse(new StringReader(text))) {
        if (event instanceof CollectionStartEvent && ((CollectionStartEvent) event).getAnchor() != null) {
          collectionAnchors.add(((CollectionStartEvent) event).getAnchor());
        } else if (event instanceof AliasEvent && collectionAnchors.contains(((AliasEvent) event).getAnchor())
            && ++aliases > MAX_ALIASES) {
          Mark mark = event.getStartMark();
          return new ConfigProblem(file, mark.getLine() + 1, mark.getColumn() + 1, "", message, null);
        }
      }
    } catch (YAMLException ignored) {
      // the position is a courtesy; the problem stands without it
    }
    return problem(file, message);
  }

  private static ConfigProblem problem(String file, String message) {
    return new ConfigProblem(file, 0, 0, "", message, null);
  }

  private static String tooLarge() {
    return "is larger than " + MAX_FILE_BYTES / 1024 + " KiB; is this the right file?";
  }
}
