package dev.levee.core.config;

import dev.levee.core.Target;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * What {@code java -jar levee-agent.jar explain} prints for one target: the rules that match it in
 * precedence order, and every field of the policy that applies, each with where its value came from (the
 * rule, the section's defaults, or built in) and the line that set it.
 *
 * <p>The fields are found on the config classes themselves (each accessor named as its key in
 * resilience.yaml, a nested config class a nested section), so a field added to the schema is explained
 * without a change here. Where a value came from is read off the file's YAML tree, composed exactly as
 * the reader composed it: the key is written under the rule, else under the defaults, else it is built in.
 */
public final class PolicyExplanation {

  /** Keys only {@code http} accepts: under {@code jdbc} they configure nothing, so they are not shown. */
  private static final List<String> HTTP_ONLY = Arrays.asList(
      "retry.retryMethods", "retry.respectRetryAfter", "sendDeadlineHeader");

  private PolicyExplanation() {}

  /**
   * @param config the configuration the agent would run
   * @param yaml the file's text, or null when the built-in defaults apply
   * @param protocol {@code http} or {@code jdbc}
   */
  public static List<String> lines(LeveeConfig config, String yaml, String protocol, Target target) {
    HostRules rules = protocol.equals("jdbc") ? config.jdbc() : config.http();
    Node root = yaml == null ? null : ConfigLoader.compose(yaml);
    Node section = child(root, protocol);
    Node defaults = child(section, "defaults");
    Node hosts = child(section, "hosts");
    List<String> matching = rules.matchingKeys(target);
    String appliedKey = matching.isEmpty() ? null : matching.get(0);
    Node rule = appliedKey == null ? null : hostRule(hosts, appliedKey);

    List<String> out = new ArrayList<>();
    out.add("target: " + target + " (" + protocol + ")");
    out.add("rules that match, most specific first:");
    for (String key : matching) {
      Node node = hostRule(hosts, key);
      out.add("  " + protocol + ".hosts.\"" + key + "\"" + at(node)
          + (key.equals(appliedKey) ? "   applies, merged over the defaults" : "   does not apply: a more specific rule does"));
    }
    if (matching.isEmpty()) {
      out.add("  none: the defaults apply");
    }
    out.add("  " + protocol + ".defaults" + (defaults == null ? " (built in)" : at(defaults)));
    out.add("effective policy:");
    PolicyConfig policy = rules.forTarget(target);
    List<String[]> rows = new ArrayList<>();
    fields(policy, "", rows);
    rows.sort(Comparator.comparing(row -> row[0]));
    int width = 0;
    int valueWidth = 0;
    for (String[] row : rows) {
      width = Math.max(width, row[0].length());
      valueWidth = Math.max(valueWidth, row[1].length());
    }
    for (String[] row : rows) {
      String path = row[0];
      if (protocol.equals("jdbc") && HTTP_ONLY.contains(path)) {
        continue;
      }
      Node inRule = find(rule, path);
      Node inDefaults = find(defaults, path);
      String from = inRule != null ? protocol + ".hosts.\"" + appliedKey + "\"" + at(inRule)
          : inDefaults != null ? protocol + ".defaults" + at(inDefaults)
          : "built in";
      out.add(String.format(Locale.ROOT, "  %-" + width + "s  %-" + valueWidth + "s  %s", path, row[1], from));
    }
    return out;
  }

  /** Every leaf field under {@code config}, as key path and value. */
  private static void fields(Object config, String prefix, List<String[]> rows) {
    List<Method> accessors = new ArrayList<>();
    for (Method m : config.getClass().getDeclaredMethods()) {
      if (Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 0
          && !m.getReturnType().equals(Void.TYPE) && !isObjectMethod(m.getName())
          && !m.getReturnType().getSimpleName().equals("Builder")) {
        accessors.add(m);
      }
    }
    accessors.sort(Comparator.comparing(Method::getName));
    for (Method m : accessors) {
      Object value;
      try {
        value = m.invoke(config);
      } catch (ReflectiveOperationException e) {
        value = "(unreadable: " + e + ")";
      }
      if (value instanceof Optional) {
        value = ((Optional<?>) value).orElse(null);
      }
      String path = prefix + m.getName();
      if (value instanceof AdaptiveLimitConfig) {
        fields(value, prefix, rows); // its keys are written in the section that holds it (bulkhead.initialLimit)
      } else if (value != null && isConfig(value)) {
        fields(value, path + ".", rows);
      } else {
        rows.add(new String[] {path, format(value)});
      }
    }
  }

  private static boolean isObjectMethod(String name) {
    return name.equals("toString") || name.equals("hashCode") || name.equals("toBuilder");
  }

  private static boolean isConfig(Object value) {
    Class<?> type = value.getClass();
    return type.getPackage() == PolicyExplanation.class.getPackage() && type.getSimpleName().endsWith("Config");
  }

  private static String format(Object value) {
    if (value == null) {
      return "none";
    }
    if (value instanceof Duration) {
      return Durations.format((Duration) value);
    }
    if (value instanceof Enum) {
      return ((Enum<?>) value).name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
    if (value instanceof Collection) {
      return String.join(", ", ((Collection<?>) value).stream().map(String::valueOf).toArray(String[]::new));
    }
    if (value instanceof Float || value instanceof Double) {
      double d = ((Number) value).doubleValue();
      return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
    String text = String.valueOf(value); // an OutcomeSet prints as a list: shown as the other lists are
    return text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
  }

  /**
   * The node that sets {@code path} (dotted) under {@code section}; a section written as a scalar
   * ({@code rateLimiter: none}) sets every field under it. Null when nothing there sets it.
   */
  private static Node find(Node section, String path) {
    Node node = section;
    for (String key : path.split("\\.")) {
      if (node instanceof ScalarNode && node != section) {
        return node;
      }
      node = child(node, key);
      if (node == null) {
        return null;
      }
    }
    return node;
  }

  private static Node child(Node node, String key) {
    if (!(node instanceof MappingNode)) {
      return null;
    }
    for (NodeTuple t : ((MappingNode) node).getValue()) {
      if (t.getKeyNode() instanceof ScalarNode && ((ScalarNode) t.getKeyNode()).getValue().equals(key)) {
        return t.getValueNode();
      }
    }
    return null;
  }

  /** A host rule's node; rule keys compare case-insensitively, as {@link HostRules} does. */
  private static Node hostRule(Node hosts, String key) {
    if (!(hosts instanceof MappingNode)) {
      return null;
    }
    for (NodeTuple t : ((MappingNode) hosts).getValue()) {
      if (t.getKeyNode() instanceof ScalarNode
          && ((ScalarNode) t.getKeyNode()).getValue().toLowerCase(Locale.ROOT).equals(key)) {
        return t.getValueNode();
      }
    }
    return null;
  }

  private static String at(Node node) {
    return node == null ? "" : " (line " + (node.getStartMark().getLine() + 1) + ")";
  }
}
