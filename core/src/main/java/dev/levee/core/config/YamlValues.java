package dev.levee.core.config;

import dev.levee.core.OutcomeSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * What every section reader of resilience.yaml shares: the keys of a mapping, checked against the schema with
 * a suggestion for a misspelt one, the scalar values (numbers, durations, switches, outcome lists), and the
 * problems found, each with its position and key path, collected for the whole file ({@link Problems}).
 * Each section is read by the reader beside what it reads: {@link PolicyReader} (http and jdbc),
 * {@link DeadlineReader}, {@link InboundReader}, and {@link ConfigReader} for the file as a whole.
 */
abstract class YamlValues {

  /** Every problem of one file, in the order found; shared by the readers of its sections. */
  static final class Problems {
    final String file;
    final List<ConfigProblem> found = new ArrayList<>();
    int leftOut;

    Problems(String file) {
      this.file = file;
    }
  }

  final Problems problems;

  YamlValues(Problems problems) {
    this.problems = problems;
  }

  /** Enough to show what is wrong; a file with thousands of errors is one mistake repeated. */
  static final int MAX_PROBLEMS = 100;

  /** RFC 9110 token: method names and header field names. */
  static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  static final Pattern DECIMAL = Pattern.compile("[-+]?[0-9]+");

  static final Pattern NUMBER = Pattern.compile("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?");

  static final Set<Tag> PLAIN_TAGS = Collections.unmodifiableSet(new LinkedHashSet<>(
      Arrays.asList(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.MAP, Tag.SEQ, Tag.TIMESTAMP)));

  // ---- mappings and keys

  /** One key of a mapping with its value and key path. */
  static final class Entry {
    final String key;
    final Node keyNode;
    final Node value;
    final String path;

    Entry(String key, Node keyNode, Node value, String path) {
      this.key = key;
      this.keyNode = keyNode;
      this.value = value;
      this.path = path;
    }
  }

  /**
   * The entries of a mapping, reporting unknown and duplicate keys. An empty value ({@code retry:} with
   * nothing under it) counts as an empty mapping: commenting out every field must not be an error.
   *
   * @param validKeys null for free keys (host rules)
   * @param hostKeys whether keys are host rules, which are quoted in key paths
   */
  List<Entry> entries(Node node, String path, List<String> validKeys, boolean hostKeys) {
    if (node == null || isNull(node)) {
      return Collections.emptyList();
    }
    if (!plainTag(node, path)) {
      return Collections.emptyList();
    }
    if (!(node instanceof MappingNode)) {
      String expected = validKeys == null ? (path.endsWith(".paths") ? "path rules" : "host rules")
          : "keys " + String.join(", ", validKeys);
      report(node, path, "expected a mapping of " + expected + ", got " + describe(node), null);
      return Collections.emptyList();
    }
    List<Entry> entries = new ArrayList<>();
    Map<String, Node> seen = new HashMap<>();
    for (NodeTuple t : ((MappingNode) node).getValue()) {
      Node keyNode = t.getKeyNode();
      if (!(keyNode instanceof ScalarNode) || isNull(keyNode)) {
        report(keyNode, path, "a key must be a plain name, got " + describe(keyNode), null);
        continue;
      }
      String key = ((ScalarNode) keyNode).getValue();
      String keyPath = hostKeys ? path + ".\"" + key + "\"" : (path.isEmpty() ? key : path + "." + key);
      Node first = seen.putIfAbsent(key, keyNode);
      if (first != null) {
        report(keyNode, keyPath, "duplicate key (first on line " + line(first) + ")", null);
        continue;
      }
      if (validKeys != null && !validKeys.contains(key)) {
        unknownKey(keyNode, key, keyPath, validKeys);
        continue;
      }
      entries.add(new Entry(key, keyNode, t.getValueNode(), keyPath));
    }
    return entries;
  }

  /**
   * A section reader's own word on an unknown key with no close spelling (a field one level too high, a key of
   * the wrong protocol): true when it reported one.
   */
  boolean explainedUnknownKey(Node keyNode, String key, String keyPath, List<String> validKeys) {
    return false;
  }

  void unknownKey(Node keyNode, String key, String keyPath, List<String> validKeys) {
    String suggestion = ClosestName.among(key, validKeys);
    if (suggestion != null) {
      report(keyNode, keyPath, "unknown key", suggestion);
      return;
    }
    if (explainedUnknownKey(keyNode, key, keyPath, validKeys)) {
      return;
    }
    report(keyNode, keyPath, "unknown key; expected one of " + String.join(", ", validKeys), null);
  }

  // ---- values: each reader returns the value written, of its type, or null after reporting why it is not one;
  // whether the value is within its field's range is the field's own rule, applied by set(...)

  /**
   * Hands a value read to its field's setter (or rule): what the setter returns, or null when there was no value
   * or after reporting at the key what the field refused ({@link InvalidValue}).
   */
  <T, R> R set(Entry e, T value, Function<? super T, R> setter) {
    if (value == null) {
      return null;
    }
    try {
      return setter.apply(value);
    } catch (InvalidValue ex) {
      report(e.value, e.path, ex.reason(), ex.suggestion());
      return null;
    }
  }

  Integer integer(Node node, String path) {
    if (!plainTag(node, path)) {
      return null;
    }
    String v = scalar(node);
    if (v == null || !DECIMAL.matcher(v.trim()).matches() || !(isTag(node, Tag.INT) || isTag(node, Tag.STR))) {
      report(node, path, "expected a whole number, got " + describe(node), null);
      return null;
    }
    if (isQuoted(node)) {
      report(node, path, "expected a whole number, got the text " + describe(node) + " (remove the quotes)", null);
      return null;
    }
    long n;
    try {
      n = Long.parseLong(v.trim().startsWith("+") ? v.trim().substring(1) : v.trim());
    } catch (NumberFormatException e) {
      n = v.trim().startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    if (n > Integer.MAX_VALUE || n < Integer.MIN_VALUE) {
      report(node, path, v + (n > 0 ? " is too large" : " is too small"), null);
      return null;
    }
    return (int) n;
  }

  /** Any finite number, written as an integer or a decimal. */
  Double number(Node node, String path) {
    if (!plainTag(node, path)) {
      return null;
    }
    String v = scalar(node);
    boolean numeric = v != null && NUMBER.matcher(v.trim()).matches();
    if (!numeric || !(isTag(node, Tag.INT) || isTag(node, Tag.FLOAT) || isTag(node, Tag.STR))) {
      report(node, path, "expected a number, got " + describe(node), null);
      return null;
    }
    if (isQuoted(node)) {
      report(node, path, "expected a number, got the text " + describe(node) + " (remove the quotes)", null);
      return null;
    }
    double d = Double.parseDouble(v.trim());
    if (Double.isInfinite(d)) {
      report(node, path, v + " is too large", null);
      return null;
    }
    return d;
  }

  /** The keys of an adaptive limit's settings, in a bulkhead and an inbound concurrency section alike. */
  static final List<String> ADAPTIVE_LIMIT_KEYS =
      Collections.unmodifiableList(Arrays.asList("algorithm", "initialLimit", "minLimit", "maxLimit", "backoffRatio"));

  /** The keys of a concurrency limit's section whose count is written {@code countKey} (see {@link #concurrencyLimit}). */
  static List<String> concurrencyLimitKeys(String countKey) {
    List<String> keys = new ArrayList<>(Arrays.asList("type", countKey, "maxWaitDuration"));
    keys.addAll(ADAPTIVE_LIMIT_KEYS);
    return Collections.unmodifiableList(keys);
  }

  /**
   * A concurrency limit's section, {@code bulkhead} outbound or an inbound rule's {@code concurrency}: the same
   * settings, but for the name of the count's key; the fields written replace those of {@code base}. The keys
   * of the type not in force are read all the same: defaults may preset what a host rule turns on.
   *
   * @param countKey {@code maxConcurrentCalls} or {@code maxConcurrentRequests}
   * @param typeWhat what the type is called in a message ({@code bulkhead type})
   */
  BulkheadConfig concurrencyLimit(Entry section, BulkheadConfig base, List<String> keys, String countKey,
      String typeWhat) {
    BulkheadConfig.Builder b = base.toBuilder();
    AdaptiveLimitConfig.Builder adaptive = base.adaptive().toBuilder();
    for (Entry e : entries(section.value, section.path, keys, false)) {
      if (e.key.equals("type")) {
        String v = oneOf(e.value, e.path, list("fixed", "adaptive"), typeWhat);
        if (v != null) {
          b.type(BulkheadConfig.Type.valueOf(v.toUpperCase(Locale.ROOT)));
        }
      } else if (e.key.equals(countKey)) {
        set(e, integer(e.value, e.path), b::maxConcurrentCalls);
      } else if (e.key.equals("maxWaitDuration")) {
        set(e, duration(e.value, e.path), b::maxWaitDuration);
      } else {
        adaptiveLimitField(e, adaptive);
      }
    }
    try {
      return b.adaptive(adaptive.build()).build();
    } catch (IllegalArgumentException ex) {
      report(section.value, section.path, ex.getMessage(), null);
      return base;
    }
  }

  /** One of {@link #ADAPTIVE_LIMIT_KEYS}, set on {@code adaptive}. */
  void adaptiveLimitField(Entry e, AdaptiveLimitConfig.Builder adaptive) {
    switch (e.key) {
      case "algorithm": {
        String v = oneOf(e.value, e.path, list("aimd", "gradient2"), "adaptive algorithm");
        if (v != null) {
          adaptive.algorithm(AdaptiveLimitConfig.Algorithm.valueOf(v.toUpperCase(Locale.ROOT)));
        }
        break;
      }
      case "backoffRatio":
        set(e, number(e.value, e.path), adaptive::backoffRatio);
        break;
      case "initialLimit":
        set(e, integer(e.value, e.path), adaptive::initialLimit);
        break;
      case "minLimit":
        set(e, integer(e.value, e.path), adaptive::minLimit);
        break;
      default:
        set(e, integer(e.value, e.path), adaptive::maxLimit);
        break;
    }
  }

  /** The word {@code none} (any case), where a key allows it. */
  static boolean isNone(Node node) {
    return node instanceof ScalarNode && "none".equalsIgnoreCase(((ScalarNode) node).getValue());
  }

  Duration duration(Node node, String path) {
    if (!plainTag(node, path)) {
      return null;
    }
    String v = scalar(node);
    if (v == null || isNull(node)) {
      report(node, path, "expected a duration such as 2s or 250ms, got " + describe(node), null);
      return null;
    }
    Duration d;
    try {
      d = Durations.parse(v);
    } catch (IllegalArgumentException ex) {
      report(node, path, ex.getMessage(), Durations.suggest(v));
      return null;
    }
    return d;
  }

  Boolean bool(Node node, String path) {
    if (!plainTag(node, path)) {
      return null;
    }
    String v = scalar(node);
    String lower = v == null ? "" : v.toLowerCase(Locale.ROOT);
    if (isTag(node, Tag.BOOL) && (lower.equals("true") || lower.equals("false"))) {
      return lower.equals("true");
    }
    if (isQuoted(node) && (lower.equals("true") || lower.equals("false"))) {
      report(node, path, "expected true or false, got the text " + describe(node) + " (remove the quotes)", null);
      return null;
    }
    // YAML 1.1 also reads yes/no/on/off as booleans; one spelling keeps files unambiguous
    String meant = null;
    if (list("yes", "on", "y", "true").contains(lower)) {
      meant = "true";
    } else if (list("no", "off", "n", "false").contains(lower)) {
      meant = "false";
    }
    report(node, path, "expected true or false, got " + describe(node), meant);
    return null;
  }

  /** A scalar that is text (or a number or boolean, read as its text); null after reporting otherwise. */
  String text(Node node, String path, String expected) {
    if (!plainTag(node, path)) {
      return null;
    }
    String v = scalar(node);
    if (v == null || isNull(node) || v.trim().isEmpty()) {
      report(node, path, "expected " + expected + ", got " + describe(node), null);
      return null;
    }
    return v.trim();
  }

  /** One of the names, ignoring case; returns the name as listed. */
  String oneOf(Node node, String path, List<String> names, String what) {
    String v = text(node, path, "one of " + String.join(", ", names));
    if (v == null) {
      return null;
    }
    for (String name : names) {
      if (name.equalsIgnoreCase(v)) {
        return name;
      }
    }
    report(node, path, "unknown " + what + " '" + v + "'; expected one of " + String.join(", ", names),
        ClosestName.among(v, names));
    return null;
  }

  List<Node> sequence(Node node, String path, String example) {
    if (!plainTag(node, path)) {
      return null;
    }
    if (!(node instanceof SequenceNode)) {
      String suggestion = node instanceof ScalarNode && !isNull(node) ? "[" + scalar(node) + "]" : null;
      report(node, path, "expected a list such as " + example + ", got " + describe(node), suggestion);
      return null;
    }
    return ((SequenceNode) node).getValue();
  }

  /** retryOn and recordOn: outcome tokens as OutcomeSet reads them. */
  OutcomeSet outcomes(Node node, String path, String verb) {
    List<Node> items = sequence(node, path, "[connect-failure, timeout, 503]");
    if (items == null) {
      return null;
    }
    List<String> tokens = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < items.size(); i++) {
      Node item = items.get(i);
      String itemPath = path + "[" + i + "]";
      String token = text(item, itemPath, "an outcome (" + OutcomeSet.ACCEPTED + ")");
      if (token == null) {
        ok = false;
        continue;
      }
      String lower = token.toLowerCase(Locale.ROOT);
      if (lower.equals("rejected")) {
        report(item, itemPath, "'rejected' cannot be listed: Levee's own refusals (breaker open, bulkhead full, "
            + "deadline expired) are never " + verb, null);
        ok = false;
        continue;
      }
      if (lower.equals("success") || lower.equals("application-error")) {
        report(item, itemPath, "'" + token + "' cannot be listed: it is not a failure of the dependency", null);
        ok = false;
        continue;
      }
      try {
        OutcomeSet.parse(Collections.singletonList(token));
        tokens.add(token);
      } catch (IllegalArgumentException ex) {
        List<String> kinds = new ArrayList<>();
        for (dev.levee.core.Outcome.Kind kind : OutcomeSet.LISTABLE_KINDS) {
          kinds.add(kind.configName());
        }
        report(item, itemPath, ex.getMessage(), ClosestName.among(token, kinds));
        ok = false;
      }
    }
    return ok ? OutcomeSet.parse(tokens) : null;
  }

  /** trustedPeers: IP addresses and CIDR blocks; an empty list trusts no peer. */
  List<CidrBlock> cidrBlocks(Node node, String path) {
    List<Node> items = sequence(node, path, "[10.0.0.0/8, fd00::/8]");
    if (items == null) {
      return null;
    }
    List<CidrBlock> blocks = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < items.size(); i++) {
      Node item = items.get(i);
      String itemPath = path + "[" + i + "]";
      String text = text(item, itemPath, "an IP address or CIDR block such as 10.0.0.0/8");
      if (text == null) {
        ok = false;
        continue;
      }
      try {
        blocks.add(CidrBlock.parse(text));
      } catch (CidrBlock.Invalid ex) {
        report(item, itemPath, ex.getMessage(), ex.suggestion());
        ok = false;
      }
    }
    return ok ? blocks : null;
  }

  Set<String> methods(Node node, String path) {
    List<Node> items = sequence(node, path, "[GET, HEAD, PUT, DELETE]");
    if (items == null) {
      return null;
    }
    Set<String> methods = new LinkedHashSet<>();
    boolean ok = true;
    for (int i = 0; i < items.size(); i++) {
      Node item = items.get(i);
      String itemPath = path + "[" + i + "]";
      String method = text(item, itemPath, "an HTTP method such as GET");
      if (method == null) {
        ok = false;
      } else if (!TOKEN.matcher(method).matches()) {
        report(item, itemPath, "'" + method + "' is not an HTTP method name", null);
        ok = false;
      } else {
        methods.add(method.toUpperCase(Locale.ROOT));
      }
    }
    return ok ? methods : null;
  }

  // ---- nodes

  /**
   * Only YAML's plain types: SnakeYAML already refuses global tags ({@code !!java.lang.Runtime}) while composing,
   * this refuses local ones ({@code !thing}) and the exotic standard ones ({@code !!binary}, {@code !!set}).
   */
  boolean plainTag(Node node, String path) {
    if (PLAIN_TAGS.contains(node.getTag())) {
      return true;
    }
    String tag = node.getTag().getValue().replace(Tag.PREFIX, "!!");
    report(node, path, "the tag " + tag + " is not allowed: resilience.yaml holds plain values only", null);
    return false;
  }

  static boolean isTag(Node node, Tag tag) {
    return node.getTag().equals(tag);
  }

  /** Text in quotes (or a block scalar): the author meant text, whatever it looks like. */
  static boolean isQuoted(Node node) {
    return node instanceof ScalarNode && isTag(node, Tag.STR) && !((ScalarNode) node).isPlain();
  }

  static boolean isNull(Node node) {
    return node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
  }

  static String scalar(Node node) {
    return node instanceof ScalarNode ? ((ScalarNode) node).getValue() : null;
  }

  static String describe(Node node) {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    if (isNull(node)) {
      return "nothing";
    }
    String v = scalar(node);
    if (v.length() > 40) {
      v = v.substring(0, 37) + "...";
    }
    return isTag(node, Tag.STR) || isTag(node, Tag.TIMESTAMP) ? "'" + v + "'" : v;
  }

  static int line(Node node) {
    return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
  }

  void report(Node node, String path, String message, String suggestion) {
    if (problems.found.size() >= MAX_PROBLEMS) {
      problems.leftOut++;
      return;
    }
    int line = 0;
    int column = 0;
    if (node != null && node.getStartMark() != null) {
      line = node.getStartMark().getLine() + 1;
      column = node.getStartMark().getColumn() + 1;
    }
    problems.found.add(new ConfigProblem(problems.file, line, column, path, message, suggestion));
  }

  static List<String> list(String... names) {
    return Collections.unmodifiableList(Arrays.asList(names));
  }
}
