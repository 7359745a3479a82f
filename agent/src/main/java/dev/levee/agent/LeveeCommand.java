package dev.levee.agent;

import dev.levee.core.Target;
import dev.levee.core.config.ConfigException;
import dev.levee.core.config.ConfigLoader;
import dev.levee.core.config.ConfigProblem;
import dev.levee.core.config.LeveeConfig;
import dev.levee.core.config.PolicyExplanation;
import dev.levee.instrumentation.jdbc.JdbcUrls;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import java.util.function.Function;

/**
 * The agent jar as a command ({@code Main-Class}), run by an operator, no JVM agent involved:
 * {@code version}, {@code validate [FILE]} and {@code explain URL|JDBC-URL [FILE]}. Without FILE each reads
 * the file the agent would: {@code -Dlevee.config}, else {@code LEVEE_CONFIG}, else resilience.yaml beside
 * the jar. {@code validate} reads it through the very path the agent does ({@link ConfigLoader#load}), so a
 * file that validates is exactly the configuration that runs.
 *
 * <p>Exit codes: 0 valid (or explained), 1 invalid, 2 a usage error.
 */
public final class LeveeCommand {

  static final int OK = 0;
  static final int INVALID = 1;
  static final int USAGE = 2;

  private final PrintStream out;
  private final PrintStream err;
  private final Function<String, String> properties;
  private final Function<String, String> environment;
  private final Path jarDirectory;

  LeveeCommand(PrintStream out, PrintStream err, Function<String, String> properties,
      Function<String, String> environment, Path jarDirectory) {
    this.out = out;
    this.err = err;
    this.properties = properties;
    this.environment = environment;
    this.jarDirectory = jarDirectory;
  }

  public static void main(String[] args) {
    int code = new LeveeCommand(System.out, System.err, System::getProperty, System::getenv,
        LeveeAgent.agentJarDirectory()).run(args);
    System.exit(code);
  }

  int run(String... args) {
    String command = args.length == 0 ? "help" : args[0];
    switch (command) {
      case "version":
      case "--version":
        out.println("levee " + LeveeAgent.version());
        return OK;
      case "validate":
        return args.length > 2 ? usage("validate takes at most one FILE") : validate(args.length > 1 ? args[1] : null);
      case "explain":
        if (args.length < 2 || args.length > 3) {
          return usage("explain takes a URL or a JDBC URL, and at most one FILE");
        }
        return explain(args[1], args.length > 2 ? args[2] : null);
      case "help":
      case "--help":
      case "-h":
        printUsage(out);
        return args.length == 0 ? USAGE : OK;
      default:
        return usage("unknown command '" + command + "'");
    }
  }

  private int validate(String named) {
    Optional<Path> file;
    try {
      file = file(named);
    } catch (ConfigException e) {
      return problems(e);
    }
    if (!file.isPresent()) {
      out.println("no configuration file: none named by -D" + ConfigLoader.CONFIG_PROPERTY + " or "
          + ConfigLoader.CONFIG_ENVIRONMENT_VARIABLE + ", and no " + ConfigLoader.FILE_NAME + " beside the jar"
          + (jarDirectory == null ? "" : " (" + jarDirectory + ")") + "; the agent would run on the built-in defaults");
      return OK;
    }
    try {
      LeveeConfig config = ConfigLoader.load(file.get());
      out.println(file.get() + ": valid; http: " + LeveeAgent.hostRules(config.http().rules().size()) + ", jdbc: "
          + LeveeAgent.hostRules(config.jdbc().rules().size()));
      return OK;
    } catch (ConfigException e) {
      return problems(e);
    }
  }

  private int explain(String url, String named) {
    String protocol = url.regionMatches(true, 0, "jdbc:", 0, 5) ? "jdbc" : "http";
    Target target = protocol.equals("jdbc") ? JdbcUrls.target(url) : httpTarget(url);
    if (target == null) {
      return usage("'" + url + "' is neither an http(s) URL nor a JDBC URL");
    }
    try {
      Optional<Path> file = file(named);
      LeveeConfig config = file.isPresent() ? ConfigLoader.load(file.get()) : LeveeConfig.defaults();
      String yaml = file.isPresent() ? new String(Files.readAllBytes(file.get()), StandardCharsets.UTF_8) : null;
      out.println("file: " + (file.isPresent() ? file.get() : "none (the built-in defaults)"));
      for (String line : PolicyExplanation.lines(config, yaml, protocol, target)) {
        out.println(line);
      }
      return OK;
    } catch (ConfigException e) {
      return problems(e);
    } catch (IOException e) {
      err.println("levee: cannot read the file: " + e);
      return INVALID;
    }
  }

  private Optional<Path> file(String named) throws ConfigException {
    if (named != null) {
      return Optional.of(Paths.get(named));
    }
    return ConfigLoader.locate(properties, environment, jarDirectory);
  }

  private int problems(ConfigException e) {
    for (ConfigProblem problem : e.problems()) {
      err.println(problem);
    }
    err.println(e.problems().size() == 1 ? "1 problem: the agent would apply none of this file"
        : e.problems().size() + " problems: the agent would apply none of this file");
    return INVALID;
  }

  private static Target httpTarget(String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme();
      if (scheme == null || uri.getHost() == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
        return null;
      }
      return Target.ofHttp(scheme, uri.getHost(), uri.getPort());
    } catch (URISyntaxException e) {
      return null;
    }
  }


  private int usage(String problem) {
    err.println("levee: " + problem);
    printUsage(err);
    return USAGE;
  }

  private static void printUsage(PrintStream to) {
    to.println("usage: java -jar levee-agent.jar COMMAND");
    to.println("  version                      the agent's version");
    to.println("  validate [FILE]              check a resilience.yaml: exit 0 valid, 1 invalid (every problem as FILE:LINE:COLUMN: key: message)");
    to.println("  explain URL|JDBC-URL [FILE]  the rules that match the URL's target and the policy that applies, each field with where it came from");
    to.println("Without FILE: the file the agent would read (-D" + ConfigLoader.CONFIG_PROPERTY + ", else "
        + ConfigLoader.CONFIG_ENVIRONMENT_VARIABLE + ", else " + ConfigLoader.FILE_NAME + " beside the jar).");
    to.println("As an agent: java -javaagent:levee-agent.jar -jar your-app.jar");
  }
}
