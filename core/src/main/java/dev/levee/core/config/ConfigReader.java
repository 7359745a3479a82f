package dev.levee.core.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads a composed YAML node tree into a {@link LeveeConfig} against the schema of DESIGN.md §4, collecting
 * every problem with its position and key path. A value with a problem is left out and reading goes on, so
 * one pass reports the whole file; the caller applies nothing unless {@link #problems()} is empty. The
 * sections are read by the readers beside them ({@link PolicyReader}, {@link DeadlineReader},
 * {@link InboundReader}); the small ones here.
 */
final class ConfigReader extends YamlValues {

  static final List<String> TOP_KEYS = list("http", "jdbc", "deadline", "instrumentation", "inbound", "executors",
      "metrics");

  static final List<String> METRICS_KEYS = list("prometheus");

  static final List<String> PROMETHEUS_KEYS = list("port", "host");

  static final List<String> EXECUTORS_KEYS = list("maxQueue");

  ConfigReader(String file) {
    super(new Problems(file));
  }

  /** Every key path that has a default, in schema order: what the documented defaults table must cover. */
  static List<String> defaultedKeyPaths() {
    List<String> paths = new ArrayList<>();
    for (String protocol : list("http", "jdbc")) {
      for (String section : PolicyReader.POLICY_KEYS) {
        if (section.equals("rateLimiter")) {
          paths.add(protocol + ".defaults.rateLimiter"); // none unless configured: no field has a default
          continue;
        }
        for (String field : PolicyReader.sectionKeys(section, protocol.equals("http"))) {
          if (field.equals("budget")) {
            for (String budgetField : PolicyReader.RETRY_BUDGET_KEYS) {
              paths.add(protocol + ".defaults.retry.budget." + budgetField);
            }
          } else {
            paths.add(protocol + ".defaults." + section + "." + field);
          }
        }
      }
      if (protocol.equals("http")) {
        paths.add("http.defaults.sendDeadlineHeader");
      }
    }
    paths.add("deadline.header");
    paths.add("deadline.format");
    for (String field : DeadlineReader.DEADLINE_INBOUND_KEYS) {
      paths.add("deadline.inbound." + field);
    }
    for (String name : InstrumentationConfig.NAMES) {
      paths.add("instrumentation." + name);
    }
    paths.add("executors.maxQueue");
    paths.add("metrics.prometheus.port");
    paths.add("metrics.prometheus.host");
    return paths;
  }

  List<ConfigProblem> problems() {
    if (problems.leftOut == 0) {
      return problems.found;
    }
    List<ConfigProblem> all = new ArrayList<>(problems.found);
    all.add(new ConfigProblem(problems.file, 0, 0, "", "and " + problems.leftOut + " more problems not shown", null));
    return all;
  }

  /** The config the tree describes; meaningful only when {@link #problems()} is empty afterwards. */
  LeveeConfig read(Node root, String source) {
    HostRules http = HostRules.of(PolicyConfig.httpDefaults());
    HostRules jdbc = HostRules.of(PolicyConfig.jdbcDefaults());
    DeadlineConfig deadline = DeadlineConfig.defaults();
    InstrumentationConfig instrumentation = InstrumentationConfig.defaults();
    ExecutorsConfig executors = ExecutorsConfig.defaults();
    InboundConfig inbound = InboundConfig.none();
    MetricsConfig metrics = MetricsConfig.defaults();
    if (root != null && !isNull(root) && !(root instanceof MappingNode)) {
      report(root, "", "expected a mapping with the sections " + String.join(", ", TOP_KEYS) + ", got "
          + describe(root), null);
      return null;
    }
    PolicyReader policies = new PolicyReader(problems);
    for (Entry e : entries(root, "", TOP_KEYS, false)) {
      switch (e.key) {
        case "http":
          http = policies.protocol(e.value, e.path, PolicyConfig.httpDefaults(), true);
          break;
        case "jdbc":
          jdbc = policies.protocol(e.value, e.path, PolicyConfig.jdbcDefaults(), false);
          break;
        case "deadline":
          deadline = new DeadlineReader(problems).deadline(e.value, e.path);
          break;
        case "executors":
          executors = executors(e.value, e.path);
          break;
        case "inbound":
          inbound = new InboundReader(problems).inbound(e.value, e.path);
          break;
        case "metrics":
          metrics = metrics(e.value, e.path);
          break;
        default:
          instrumentation = instrumentation(e.value, e.path);
          break;
      }
    }
    return new LeveeConfig(http, jdbc, deadline, instrumentation, source).withInbound(inbound).withExecutors(executors)
        .withMetrics(metrics);
  }

  private InstrumentationConfig instrumentation(Node node, String path) {
    Map<String, Boolean> enabled = new HashMap<>();
    for (Entry e : entries(node, path, InstrumentationConfig.NAMES, false)) {
      Boolean v = bool(e.value, e.path);
      if (v != null) {
        enabled.put(e.key, v);
      }
    }
    return new InstrumentationConfig(enabled);
  }

  private ExecutorsConfig executors(Node node, String path) {
    ExecutorsConfig executors = ExecutorsConfig.defaults();
    for (Entry e : entries(node, path, EXECUTORS_KEYS, false)) {
      if (isNone(e.value)) {
        executors = ExecutorsConfig.defaults();
      } else if (e.value instanceof ScalarNode && DECIMAL.matcher(scalar(e.value).trim()).matches()) {
        ExecutorsConfig v = set(e, integer(e.value, e.path), ExecutorsConfig::withMaxQueue);
        if (v != null) {
          executors = v;
        }
      } else {
        report(e.value, e.path, "expected a whole number of tasks or none, got " + describe(e.value), null);
      }
    }
    return executors;
  }

  /** {@code metrics: { prometheus: { port, host } }}. */
  private MetricsConfig metrics(Node node, String path) {
    MetricsConfig metrics = MetricsConfig.defaults();
    for (Entry section : entries(node, path, METRICS_KEYS, false)) {
      for (Entry e : entries(section.value, section.path, PROMETHEUS_KEYS, false)) {
        if (e.key.equals("port")) {
          Integer port = isNone(e.value) ? Integer.valueOf(MetricsConfig.NO_PORT) : integer(e.value, e.path);
          MetricsConfig v = set(e, port, metrics::withPort);
          if (v != null) {
            metrics = v;
          }
        } else {
          String host = scalar(e.value);
          if (!(e.value instanceof ScalarNode) || host == null || host.trim().isEmpty() || host.trim().contains(" ")) {
            report(e.value, e.path, "expected a host name or address to listen on, got " + describe(e.value), null);
          } else {
            metrics = metrics.withHost(host.trim());
          }
        }
      }
    }
    return metrics;
  }
}
