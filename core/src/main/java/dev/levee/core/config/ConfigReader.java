package dev.levee.core.config;

import dev.levee.core.OutcomeSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a composed YAML node tree into a {@link LeveeConfig} against the schema of DESIGN.md §4, collecting
 * every problem with its position and key path. A value with a problem is left out and reading goes on, so
 * one pass reports the whole file; the caller applies nothing unless {@link #problems()} is empty.
 */
final class ConfigReader {

  static final List<String> TOP_KEYS = list("http", "jdbc", "deadline", "instrumentation", "inbound", "executors",
      "metrics");
  static final List<String> METRICS_KEYS = list("prometheus");
  static final List<String> PROMETHEUS_KEYS = list("port", "host");
  static final List<String> PROTOCOL_KEYS = list("defaults", "hosts");
  /** In the order a call meets them (CallPipeline). */
  static final List<String> POLICY_KEYS = list("timeout", "retry", "circuitBreaker", "rateLimiter", "bulkhead");
  /** An HTTP policy also says whether its calls carry the deadline header; JDBC sends no header. */
  static final List<String> HTTP_POLICY_KEYS =
      list("timeout", "retry", "circuitBreaker", "rateLimiter", "bulkhead", "sendDeadlineHeader");
  static final List<String> TIMEOUT_KEYS = list("connect", "attempt", "total");
  static final List<String> RETRY_KEYS = list("maxAttempts", "initialBackoff", "maxBackoff", "backoffMultiplier",
      "jitter", "retryOn", "retryMethods", "respectRetryAfter", "budget");
  /** retryMethods and Retry-After are HTTP notions; accepting them under jdbc would configure nothing. */
  static final List<String> JDBC_RETRY_KEYS =
      list("maxAttempts", "initialBackoff", "maxBackoff", "backoffMultiplier", "jitter", "retryOn", "budget");
  static final List<String> RETRY_BUDGET_KEYS = list("ratio", "minRetriesPerSecond", "ttl");
  static final List<String> RATE_LIMITER_KEYS = list("limitForPeriod", "limitRefreshPeriod", "timeoutDuration");
  static final List<String> CIRCUIT_BREAKER_KEYS = list("slidingWindowType", "slidingWindowSize",
      "minimumNumberOfCalls", "failureRateThreshold", "slowCallDurationThreshold", "slowCallRateThreshold",
      "waitDurationInOpenState", "permittedNumberOfCallsInHalfOpenState", "recordOn");
  static final List<String> BULKHEAD_KEYS = list("type", "maxConcurrentCalls", "maxWaitDuration", "algorithm",
      "initialLimit", "minLimit", "maxLimit", "backoffRatio");
  static final List<String> DEADLINE_KEYS = list("header", "format", "inbound");
  static final List<String> DEADLINE_INBOUND_KEYS =
      list("enabled", "trustedPeers", "timeoutHeader", "defaultBudget", "replyMargin");
  static final List<String> DEADLINE_FORMATS = list("epoch-millis", "timeout-millis");
  static final List<String> JITTERS = list("full", "equal", "none");
  static final List<String> EXECUTORS_KEYS = list("maxQueue");
  static final List<String> INBOUND_KEYS = list("defaults", "paths");
  static final List<String> INBOUND_RULE_KEYS = list("concurrency", "rateLimiter");
  static final List<String> INBOUND_CONCURRENCY_KEYS = list("type", "maxConcurrentRequests", "maxWaitDuration",
      "algorithm", "initialLimit", "minLimit", "maxLimit", "backoffRatio");
  static final List<String> INBOUND_RATE_LIMITER_KEYS = list("limitForPeriod", "limitRefreshPeriod");

  /** Enough to show what is wrong; a file with thousands of errors is one mistake repeated. */
  static final int MAX_PROBLEMS = 100;

  /** RFC 9110 token: method names and header field names. */
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Pattern DECIMAL = Pattern.compile("[-+]?[0-9]+");
  private static final Pattern NUMBER = Pattern.compile("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]+");
  private static final Set<Tag> PLAIN_TAGS = Collections.unmodifiableSet(new LinkedHashSet<>(
      Arrays.asList(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.MAP, Tag.SEQ, Tag.TIMESTAMP)));

  private final String file;
  private final List<ConfigProblem> problems = new ArrayList<>();
  private int problemsLeftOut;

  ConfigReader(String file) {
    this.file = file;
  }

  /** Every key path that has a default, in schema order: what the documented defaults table must cover. */
  static List<String> defaultedKeyPaths() {
    List<String> paths = new ArrayList<>();
    for (String protocol : list("http", "jdbc")) {
      for (String section : POLICY_KEYS) {
        if (section.equals("rateLimiter")) {
          paths.add(protocol + ".defaults.rateLimiter"); // none unless configured: no field has a default
          continue;
        }
        for (String field : sectionKeys(section, protocol.equals("http"))) {
          if (field.equals("budget")) {
            for (String budgetField : RETRY_BUDGET_KEYS) {
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
    for (String field : DEADLINE_INBOUND_KEYS) {
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

  private static List<String> sectionKeys(String section, boolean http) {
    switch (section) {
      case "timeout":
        return TIMEOUT_KEYS;
      case "retry":
        return http ? RETRY_KEYS : JDBC_RETRY_KEYS;
      case "circuitBreaker":
        return CIRCUIT_BREAKER_KEYS;
      case "rateLimiter":
        return RATE_LIMITER_KEYS;
      default:
        return BULKHEAD_KEYS;
    }
  }

  List<ConfigProblem> problems() {
    if (problemsLeftOut == 0) {
      return problems;
    }
    List<ConfigProblem> all = new ArrayList<>(problems);
    all.add(new ConfigProblem(file, 0, 0, "", "and " + problemsLeftOut + " more problems not shown", null));
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
    for (Entry e : entries(root, "", TOP_KEYS, false)) {
      switch (e.key) {
        case "http":
          http = protocol(e.value, e.path, PolicyConfig.httpDefaults(), true);
          break;
        case "jdbc":
          jdbc = protocol(e.value, e.path, PolicyConfig.jdbcDefaults(), false);
          break;
        case "deadline":
          deadline = deadline(e.value, e.path);
          break;
        case "executors":
          executors = executors(e.value, e.path);
          break;
        case "inbound":
          inbound = inbound(e.value, e.path);
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

  // ---- structure

  private HostRules protocol(Node node, String path, PolicyConfig builtIn, boolean http) {
    PolicyConfig defaults = builtIn;
    Node hosts = null;
    String hostsPath = null;
    for (Entry e : entries(node, path, PROTOCOL_KEYS, false)) {
      if (e.key.equals("defaults")) {
        defaults = policy(e.value, e.path, builtIn, http);
      } else {
        hosts = e.value;
        hostsPath = e.path;
      }
    }
    Map<String, PolicyConfig> rules = new LinkedHashMap<>();
    if (hosts != null) {
      Map<String, Entry> seen = new HashMap<>();
      for (Entry e : entries(hosts, hostsPath, null, true)) {
        String key = hostRuleKey(e);
        if (key == null) {
          continue;
        }
        Entry first = seen.putIfAbsent(key, e);
        if (first != null) {
          report(e.keyNode, e.path, "names the same hosts as '" + first.key + "' on line " + line(first.keyNode)
              + " (host names are compared ignoring case)", null);
          continue;
        }
        rules.put(key, policy(e.value, e.path, defaults, http));
      }
    }
    return new HostRules(defaults, rules);
  }

  /** The policy a mapping describes, each field written there replacing the one of {@code base}. */
  private PolicyConfig policy(Node node, String path, PolicyConfig base, boolean http) {
    TimeoutConfig timeout = base.timeout();
    RetryConfig retry = base.retry();
    CircuitBreakerConfig circuitBreaker = base.circuitBreaker();
    BulkheadConfig bulkhead = base.bulkhead();
    boolean sendDeadlineHeader = base.sendDeadlineHeader();
    RateLimiterConfig rateLimiter = base.rateLimiter().orElse(null);
    for (Entry e : entries(node, path, http ? HTTP_POLICY_KEYS : POLICY_KEYS, false)) {
      switch (e.key) {
        case "sendDeadlineHeader": {
          Boolean v = bool(e.value, e.path);
          if (v != null) {
            sendDeadlineHeader = v;
          }
          break;
        }
        case "timeout":
          timeout = timeout(e, base.timeout());
          break;
        case "retry":
          retry = retry(e, base.retry(), http);
          break;
        case "circuitBreaker":
          circuitBreaker = circuitBreaker(e, base.circuitBreaker());
          break;
        case "rateLimiter":
          rateLimiter = rateLimiter(e, base.rateLimiter().orElse(null));
          break;
        default:
          bulkhead = bulkhead(e, base.bulkhead());
          break;
      }
    }
    return new PolicyConfig(timeout, retry, circuitBreaker, bulkhead, sendDeadlineHeader, rateLimiter);
  }

  private TimeoutConfig timeout(Entry section, TimeoutConfig base) {
    TimeoutConfig.Builder b = base.toBuilder();
    for (Entry e : entries(section.value, section.path, TIMEOUT_KEYS, false)) {
      if (e.key.equals("total") && isNone(e.value)) {
        b.total(null);
        continue;
      }
      Duration d = duration(e.value, e.path, false);
      if (d == null) {
        continue;
      }
      switch (e.key) {
        case "connect":
          b.connect(d);
          break;
        case "attempt":
          b.attempt(d);
          break;
        default:
          b.total(d);
          break;
      }
    }
    try {
      return b.build();
    } catch (IllegalArgumentException ex) {
      report(section.value, section.path, ex.getMessage(), null);
      return base;
    }
  }

  private RetryConfig retry(Entry section, RetryConfig base, boolean http) {
    RetryConfig.Builder b = base.toBuilder();
    Duration initialBackoff = base.initialBackoff();
    Duration maxBackoff = base.maxBackoff();
    Entry lastBackoff = null;
    for (Entry e : entries(section.value, section.path, http ? RETRY_KEYS : JDBC_RETRY_KEYS, false)) {
      switch (e.key) {
        case "maxAttempts": {
          Integer v = integer(e.value, e.path, 1);
          if (v != null) {
            b.maxAttempts(v);
          }
          break;
        }
        case "initialBackoff": {
          Duration v = duration(e.value, e.path, false);
          if (v != null) {
            b.initialBackoff(v);
            initialBackoff = v;
            lastBackoff = e;
          }
          break;
        }
        case "maxBackoff": {
          Duration v = duration(e.value, e.path, false);
          if (v != null) {
            b.maxBackoff(v);
            maxBackoff = v;
            lastBackoff = e;
          }
          break;
        }
        case "backoffMultiplier": {
          Double v = number(e.value, e.path);
          if (v != null && v < 1.0) {
            report(e.value, e.path, "must be at least 1.0 (1.0 keeps the backoff constant), was " + v, null);
          } else if (v != null) {
            b.backoffMultiplier(v);
          }
          break;
        }
        case "jitter": {
          String v = oneOf(e.value, e.path, JITTERS, "jitter");
          if (v != null) {
            b.jitter(RetryConfig.Jitter.valueOf(v.toUpperCase(Locale.ROOT)));
          }
          break;
        }
        case "retryOn": {
          OutcomeSet v = outcomes(e.value, e.path, "retried");
          if (v != null) {
            b.retryOn(v);
          }
          break;
        }
        case "retryMethods": {
          Set<String> v = methods(e.value, e.path);
          if (v != null) {
            b.retryMethods(v);
          }
          break;
        }
        case "budget":
          b.budget(isNone(e.value) ? null : retryBudget(e, base.budget().orElse(RetryBudgetConfig.DEFAULT)));
          break;
        default: {
          Boolean v = bool(e.value, e.path);
          if (v != null) {
            b.respectRetryAfter(v);
          }
          break;
        }
      }
    }
    if (lastBackoff != null && maxBackoff.compareTo(initialBackoff) < 0) {
      String max = "maxBackoff (" + Durations.format(maxBackoff) + ")";
      String initial = "initialBackoff (" + Durations.format(initialBackoff) + ")";
      report(lastBackoff.value, lastBackoff.path, lastBackoff.key.equals("maxBackoff")
          ? max + " must not be less than " + initial
          : initial + " must not be more than " + max, null);
      return base;
    }
    try {
      return b.build();
    } catch (IllegalArgumentException ex) {
      report(section.value, section.path, ex.getMessage(), null);
      return base;
    }
  }

  private CircuitBreakerConfig circuitBreaker(Entry section, CircuitBreakerConfig base) {
    CircuitBreakerConfig.Builder b = base.toBuilder();
    CircuitBreakerConfig.SlidingWindowType windowType = base.slidingWindowType();
    int windowSize = base.slidingWindowSize();
    int minimumCalls = base.minimumNumberOfCalls();
    Entry lastWindowField = null;
    for (Entry e : entries(section.value, section.path, CIRCUIT_BREAKER_KEYS, false)) {
      switch (e.key) {
        case "slidingWindowType": {
          String v = oneOf(e.value, e.path, list("COUNT_BASED", "TIME_BASED"), "sliding window type");
          if (v != null) {
            windowType = CircuitBreakerConfig.SlidingWindowType.valueOf(v);
            b.slidingWindowType(windowType);
            lastWindowField = e;
          }
          break;
        }
        case "slidingWindowSize": {
          Integer v = integer(e.value, e.path, 1);
          if (v != null) {
            windowSize = v;
            b.slidingWindowSize(v);
            lastWindowField = e;
          }
          break;
        }
        case "minimumNumberOfCalls": {
          Integer v = integer(e.value, e.path, 1);
          if (v != null) {
            minimumCalls = v;
            b.minimumNumberOfCalls(v);
            lastWindowField = e;
          }
          break;
        }
        case "failureRateThreshold": {
          Float v = percent(e.value, e.path);
          if (v != null) {
            b.failureRateThreshold(v);
          }
          break;
        }
        case "slowCallDurationThreshold": {
          Duration v = duration(e.value, e.path, false);
          if (v != null) {
            b.slowCallDurationThreshold(v);
          }
          break;
        }
        case "slowCallRateThreshold": {
          Float v = percent(e.value, e.path);
          if (v != null) {
            b.slowCallRateThreshold(v);
          }
          break;
        }
        case "waitDurationInOpenState": {
          Duration v = duration(e.value, e.path, false);
          if (v != null) {
            b.waitDurationInOpenState(v);
          }
          break;
        }
        case "permittedNumberOfCallsInHalfOpenState": {
          Integer v = integer(e.value, e.path, 1);
          if (v != null) {
            b.permittedNumberOfCallsInHalfOpenState(v);
          }
          break;
        }
        default: {
          OutcomeSet v = outcomes(e.value, e.path, "recorded");
          if (v != null) {
            b.recordOn(v);
          }
          break;
        }
      }
    }
    try {
      return b.build();
    } catch (IllegalArgumentException ex) {
      // the rule across fields is the config's own (CircuitBreakerConfig); shown where the last of them is written
      Entry where = lastWindowField != null && ex.getMessage().startsWith("minimumNumberOfCalls (") ? lastWindowField : section;
      report(where.value, where.path, ex.getMessage(), null);
      return base;
    }
  }

  /** {@code retry.budget}: the fields written replace those of {@code base}. */
  private RetryBudgetConfig retryBudget(Entry section, RetryBudgetConfig base) {
    double ratio = base.ratio();
    int minRetriesPerSecond = base.minRetriesPerSecond();
    Duration ttl = base.ttl();
    for (Entry e : entries(section.value, section.path, RETRY_BUDGET_KEYS, false)) {
      switch (e.key) {
        case "ratio": {
          Double v = number(e.value, e.path);
          if (v != null && !(v >= 0 && v <= 1000)) {
            report(e.value, e.path, "must be within 0 and 1000 (0.2: retries add at most a fifth to the load), was "
                + scalar(e.value), null);
          } else if (v != null) {
            ratio = v;
          }
          break;
        }
        case "minRetriesPerSecond": {
          Integer v = integer(e.value, e.path, 0);
          if (v != null) {
            minRetriesPerSecond = v;
          }
          break;
        }
        default: {
          Duration v = duration(e.value, e.path, false);
          if (v != null && (v.compareTo(Duration.ofSeconds(1)) < 0 || v.compareTo(Duration.ofSeconds(60)) > 0)) {
            report(e.value, e.path, "must be within 1s and 60s, was " + Durations.format(v),
                v.compareTo(Duration.ofSeconds(1)) < 0 ? "1s" : "60s");
          } else if (v != null) {
            ttl = v;
          }
          break;
        }
      }
    }
    try {
      return new RetryBudgetConfig(ratio, minRetriesPerSecond, ttl);
    } catch (IllegalArgumentException ex) {
      report(section.value, section.path, ex.getMessage(), null);
      return base;
    }
  }

  /**
   * {@code rateLimiter}: {@code none} removes an inherited one; otherwise the fields written replace those of
   * {@code base}, and with no base {@code limitForPeriod} must be written (there is no sensible default rate).
   */
  private RateLimiterConfig rateLimiter(Entry section, RateLimiterConfig base) {
    if (isNone(section.value)) {
      return null;
    }
    Integer limitForPeriod = base == null ? null : base.limitForPeriod();
    Duration period = base == null ? RateLimiterConfig.DEFAULT_REFRESH_PERIOD : base.limitRefreshPeriod();
    Duration timeout = base == null ? RateLimiterConfig.DEFAULT_TIMEOUT : base.timeoutDuration();
    boolean ok = true;
    List<Entry> written = entries(section.value, section.path, RATE_LIMITER_KEYS, false);
    if (written.isEmpty()) {
      return base; // every field commented out: as if the section were not there
    }
    for (Entry e : written) {
      switch (e.key) {
        case "limitForPeriod": {
          Integer v = integer(e.value, e.path, 1);
          if (v != null) {
            limitForPeriod = v;
          } else {
            ok = false;
          }
          break;
        }
        case "limitRefreshPeriod": {
          Duration v = duration(e.value, e.path, false);
          if (v != null) {
            period = v;
          } else {
            ok = false;
          }
          break;
        }
        default: {
          Duration v = duration(e.value, e.path, true);
          if (v != null) {
            timeout = v;
          } else {
            ok = false;
          }
          break;
        }
      }
    }
    if (!ok) {
      return base;
    }
    if (limitForPeriod == null) {
      report(section.value, section.path, "a rate limiter needs limitForPeriod (calls per limitRefreshPeriod, 1s "
          + "unless written); write 'none' for no rate limit", null);
      return base;
    }
    try {
      return new RateLimiterConfig(limitForPeriod, period, timeout);
    } catch (IllegalArgumentException ex) {
      report(section.value, section.path, ex.getMessage(), null);
      return base;
    }
  }

  private BulkheadConfig bulkhead(Entry section, BulkheadConfig base) {
    BulkheadConfig.Builder b = base.toBuilder();
    // the keys of the type not in force are read all the same: defaults may preset what a host rule turns on
    for (Entry e : entries(section.value, section.path, BULKHEAD_KEYS, false)) {
      switch (e.key) {
        case "type": {
          String v = oneOf(e.value, e.path, list("fixed", "adaptive"), "bulkhead type");
          if (v != null) {
            b.type(BulkheadConfig.Type.valueOf(v.toUpperCase(Locale.ROOT)));
          }
          break;
        }
        case "algorithm": {
          String v = oneOf(e.value, e.path, list("aimd", "gradient2"), "adaptive algorithm");
          if (v != null) {
            b.algorithm(BulkheadConfig.Algorithm.valueOf(v.toUpperCase(Locale.ROOT)));
          }
          break;
        }
        case "maxConcurrentCalls": {
          Integer v = integer(e.value, e.path, 1);
          if (v != null) {
            b.maxConcurrentCalls(v);
          }
          break;
        }
        case "initialLimit": {
          Integer v = integer(e.value, e.path, 1);
          if (v != null) {
            b.initialLimit(v);
          }
          break;
        }
        case "minLimit": {
          Integer v = integer(e.value, e.path, 1);
          if (v != null) {
            b.minLimit(v);
          }
          break;
        }
        case "maxLimit": {
          Integer v = integer(e.value, e.path, 1);
          if (v != null) {
            b.maxLimit(v);
          }
          break;
        }
        case "backoffRatio": {
          Double v = number(e.value, e.path);
          if (v != null && !(v > 0 && v < 1)) {
            report(e.value, e.path, "must be above 0 and below 1 (0.9: a drop takes a tenth off the limit), was "
                + scalar(e.value), null);
          } else if (v != null) {
            b.backoffRatio(v);
          }
          break;
        }
        default: {
          Duration v = duration(e.value, e.path, true);
          if (v != null) {
            b.maxWaitDuration(v);
          }
          break;
        }
      }
    }
    try {
      return b.build();
    } catch (IllegalArgumentException ex) {
      report(section.value, section.path, ex.getMessage(), null);
      return base;
    }
  }

  private DeadlineConfig deadline(Node node, String path) {
    DeadlineConfig deadline = DeadlineConfig.defaults();
    Entry headerEntry = null;
    for (Entry e : entries(node, path, DEADLINE_KEYS, false)) {
      switch (e.key) {
        case "header": {
          String header = headerName(e);
          if (header != null) {
            deadline = deadline.withHeader(header);
            headerEntry = e;
          }
          break;
        }
        case "format": {
          String v = oneOf(e.value, e.path, DEADLINE_FORMATS, "deadline format");
          if (v != null) {
            deadline = deadline.withFormat(DeadlineConfig.Format.valueOf(v.toUpperCase(Locale.ROOT).replace('-', '_')));
          }
          break;
        }
        default:
          deadline = inbound(e.value, e.path, deadline);
      }
    }
    if (deadline.format() == DeadlineConfig.Format.TIMEOUT_MILLIS
        && (deadline.header().equalsIgnoreCase(DeadlineConfig.DEFAULT_HEADER)
            || deadline.header().equalsIgnoreCase(DeadlineConfig.GRPC_TIMEOUT_HEADER))) {
      // the next service reads these two by their own, fixed meaning: a relative value there would be misread
      Node at = headerEntry != null ? headerEntry.value : node;
      report(at, path + ".header", deadline.header() + " has a fixed meaning of its own and cannot carry "
          + "timeout-millis; name another header for it", DeadlineConfig.DEFAULT_TIMEOUT_HEADER);
    }
    return deadline;
  }

  private DeadlineConfig inbound(Node node, String path, DeadlineConfig deadline) {
    for (Entry e : entries(node, path, DEADLINE_INBOUND_KEYS, false)) {
      switch (e.key) {
        case "enabled": {
          Boolean v = bool(e.value, e.path);
          if (v != null) {
            deadline = deadline.withInboundEnabled(v);
          }
          break;
        }
        case "trustedPeers": {
          List<CidrBlock> v = cidrBlocks(e.value, e.path);
          if (v != null) {
            deadline = deadline.withTrustedPeers(v);
          }
          break;
        }
        case "timeoutHeader": {
          String header = headerName(e);
          if (header != null) {
            deadline = deadline.withInboundTimeoutHeader(header);
          }
          break;
        }
        case "defaultBudget": {
          Duration d = duration(e.value, e.path, true);
          if (d != null) {
            deadline = deadline.withInboundDefaultBudget(d);
          }
          break;
        }
        default: {
          Duration d = duration(e.value, e.path, true);
          if (d != null) {
            deadline = deadline.withReplyMargin(d);
          }
        }
      }
    }
    return deadline;
  }

  private String headerName(Entry e) {
    String header = text(e.value, e.path, "a header name such as " + DeadlineConfig.DEFAULT_HEADER);
    if (header == null) {
      return null;
    }
    if (!TOKEN.matcher(header).matches()) {
      report(e.value, e.path, "'" + header + "' is not a valid HTTP header name (letters, digits and "
          + "!#$%&'*+-.^_`|~ only)", null);
      return null;
    }
    return header;
  }

  // ---- inbound

  private InboundConfig inbound(Node node, String path) {
    Entry defaultsEntry = null;
    Entry pathsEntry = null;
    for (Entry e : entries(node, path, INBOUND_KEYS, false)) {
      if (e.key.equals("defaults")) {
        defaultsEntry = e;
      } else {
        pathsEntry = e;
      }
    }
    InboundConfig.Rule defaults = defaultsEntry == null
        ? InboundConfig.none().defaults()
        : inboundRule(defaultsEntry.value, defaultsEntry.path, InboundConfig.DEFAULTS, null);
    List<InboundConfig.Rule> paths = new ArrayList<>();
    if (pathsEntry != null) {
      for (Entry e : entries(pathsEntry.value, pathsEntry.path, null, true)) {
        String prefix = e.key.trim();
        int query = prefix.indexOf('?');
        if (!prefix.startsWith("/") || query >= 0 || prefix.contains("://")) {
          String suggestion = prefix.contains("://") ? null : "/" + (query >= 0 ? prefix.substring(0, query) : prefix)
              .replaceFirst("^/+", "");
          report(e.keyNode, e.path, "a path rule is keyed by a path prefix that starts with /, without a query",
              suggestion);
          continue;
        }
        paths.add(inboundRule(e.value, e.path, prefix, defaults));
      }
    }
    return new InboundConfig(defaults, paths);
  }

  /** The defaults rule ({@code defaults} null), or a path rule over them. */
  private InboundConfig.Rule inboundRule(Node node, String path, String name, InboundConfig.Rule defaults) {
    InboundConcurrencyConfig concurrency = defaults == null ? null : defaults.concurrency();
    String concurrencyOwner = defaults == null ? name : defaults.concurrencyOwner();
    RateLimiterConfig rateLimiter = defaults == null ? null : defaults.rateLimiter();
    String rateLimiterOwner = defaults == null ? name : defaults.rateLimiterOwner();
    for (Entry e : entries(node, path, INBOUND_RULE_KEYS, false)) {
      if (e.key.equals("concurrency")) {
        concurrencyOwner = name;
        concurrency = isNone(e.value) ? null : inboundConcurrency(e, concurrency);
      } else {
        rateLimiterOwner = name;
        rateLimiter = isNone(e.value) ? null : inboundRateLimiter(e, rateLimiter);
      }
    }
    return new InboundConfig.Rule(name, concurrency, concurrencyOwner, rateLimiter, rateLimiterOwner);
  }

  private InboundConcurrencyConfig inboundConcurrency(Entry section, InboundConcurrencyConfig base) {
    InboundConcurrencyConfig.Builder b =
        base == null ? InboundConcurrencyConfig.builder() : base.toBuilder();
    for (Entry e : entries(section.value, section.path, INBOUND_CONCURRENCY_KEYS, false)) {
      switch (e.key) {
        case "type": {
          String v = oneOf(e.value, e.path, list("fixed", "adaptive"), "concurrency type");
          if (v != null) {
            b.type(InboundConcurrencyConfig.Type.valueOf(v.toUpperCase(Locale.ROOT)));
          }
          break;
        }
        case "algorithm": {
          String v = oneOf(e.value, e.path, list("aimd", "gradient2"), "algorithm");
          if (v != null) {
            b.algorithm(InboundConcurrencyConfig.Algorithm.valueOf(v.toUpperCase(Locale.ROOT)));
          }
          break;
        }
        case "maxWaitDuration": {
          Duration v = duration(e.value, e.path, true);
          if (v != null) {
            b.maxWaitDuration(v);
          }
          break;
        }
        case "backoffRatio": {
          Double v = number(e.value, e.path);
          if (v != null) {
            b.backoffRatio(v);
          }
          break;
        }
        default: {
          Integer v = integer(e.value, e.path, 1);
          if (v != null) {
            if (e.key.equals("maxConcurrentRequests")) {
              b.maxConcurrentRequests(v);
            } else if (e.key.equals("initialLimit")) {
              b.initialLimit(v);
            } else if (e.key.equals("minLimit")) {
              b.minLimit(v);
            } else {
              b.maxLimit(v);
            }
          }
        }
      }
    }
    try {
      return b.build();
    } catch (IllegalArgumentException ex) {
      report(section.value, section.path, ex.getMessage(), null);
      return base;
    }
  }

  /**
   * An inbound rate limit: the outbound {@link RateLimiterConfig} whose {@code timeoutDuration} is always zero
   * (an inbound request is answered 429 at once); an empty section is 1000 requests a second.
   */
  private RateLimiterConfig inboundRateLimiter(Entry section, RateLimiterConfig base) {
    int limitForPeriod = base == null ? 1000 : base.limitForPeriod();
    Duration period = base == null ? RateLimiterConfig.DEFAULT_REFRESH_PERIOD : base.limitRefreshPeriod();
    for (Entry e : entries(section.value, section.path, INBOUND_RATE_LIMITER_KEYS, false)) {
      if (e.key.equals("limitForPeriod")) {
        Integer v = integer(e.value, e.path, 1);
        if (v != null) {
          limitForPeriod = v;
        }
      } else {
        Duration v = duration(e.value, e.path, false);
        if (v != null) {
          period = v;
        }
      }
    }
    return new RateLimiterConfig(limitForPeriod, period, Duration.ZERO);
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
        Integer v = integer(e.value, e.path, 0);
        if (v != null) {
          executors = ExecutorsConfig.withMaxQueue(v);
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
          Integer port = isNone(e.value) ? Integer.valueOf(MetricsConfig.NO_PORT) : integer(e.value, e.path, 0);
          if (port != null && port > 65535) {
            report(e.value, e.path, "a port is at most 65535, was " + port, null);
          } else if (port != null) {
            metrics = metrics.withPort(port);
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

  // ---- mappings and keys

  /** One key of a mapping with its value and key path. */
  private static final class Entry {
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
  private List<Entry> entries(Node node, String path, List<String> validKeys, boolean hostKeys) {
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

  private void unknownKey(Node keyNode, String key, String keyPath, List<String> validKeys) {
    String suggestion = ClosestName.among(key, validKeys);
    if (suggestion != null) {
      report(keyNode, keyPath, "unknown key", suggestion);
      return;
    }
    if (validKeys == POLICY_KEYS && HTTP_POLICY_KEYS.contains(key)) {
      report(keyNode, keyPath, "applies to HTTP only: JDBC sends no deadline header", null);
      return;
    }
    if (validKeys == POLICY_KEYS || validKeys == HTTP_POLICY_KEYS) {
      // a field written one level too high, e.g. defaults.maxAttempts for defaults.retry.maxAttempts
      for (String section : POLICY_KEYS) {
        String field = ClosestName.among(key, sectionKeys(section, true));
        if (field != null || sectionKeys(section, true).contains(key)) {
          report(keyNode, keyPath, "unknown key; fields go inside a section (" + String.join(", ", POLICY_KEYS)
              + ")", section + "." + (field != null ? field : key));
          return;
        }
      }
    }
    if (validKeys == PROTOCOL_KEYS && (key.contains(".") || key.contains(":"))) {
      report(keyNode, keyPath, "unknown key; host rules go under 'hosts'", null);
      return;
    }
    if (validKeys == INBOUND_RATE_LIMITER_KEYS && key.equals("timeoutDuration")) {
      report(keyNode, keyPath, "an inbound request never waits for a rate permit: over the limit it is answered "
          + "429 at once", null);
      return;
    }
    if (validKeys == JDBC_RETRY_KEYS && RETRY_KEYS.contains(key)) {
      report(keyNode, keyPath, "applies to HTTP only; jdbc retry has " + String.join(", ", JDBC_RETRY_KEYS), null);
      return;
    }
    report(keyNode, keyPath, "unknown key; expected one of " + String.join(", ", validKeys), null);
  }

  /**
   * The key HostRules looks a host rule up by, or null after reporting why it is not one. Accepted: {@code host},
   * {@code host:port}, {@code *.suffix}, {@code *.suffix:port}, {@code [ipv6]} and {@code [ipv6]:port}.
   */
  private String hostRuleKey(Entry e) {
    String key = e.key.trim().toLowerCase(Locale.ROOT);
    int scheme = key.indexOf("://");
    if (scheme >= 0) {
      String rest = key.substring(scheme + 3);
      int slash = rest.indexOf('/');
      String authority = slash >= 0 ? rest.substring(0, slash) : rest;
      report(e.keyNode, e.path, "a host rule is keyed by host[:port], not by a URL",
          authority.isEmpty() ? null : authority);
      return null;
    }
    if (key.indexOf('/') >= 0) {
      String host = key.substring(0, key.indexOf('/'));
      report(e.keyNode, e.path, "a host rule is keyed by host[:port], without a path", host.isEmpty() ? null : host);
      return null;
    }
    String host = key;
    String port = null;
    if (key.startsWith("[")) {
      int close = key.indexOf(']');
      if (close < 0 || !IPV6.matcher(key.substring(1, close)).matches()) {
        report(e.keyNode, e.path, "not a valid bracketed IPv6 address such as [::1]:8080", null);
        return null;
      }
      host = key.substring(1, close);
      String after = key.substring(close + 1);
      if (!after.isEmpty() && !after.startsWith(":")) {
        report(e.keyNode, e.path, "expected ':port' after the IPv6 address", null);
        return null;
      }
      port = after.isEmpty() ? null : after.substring(1);
    } else if (key.indexOf(':') >= 0) {
      if (key.indexOf(':') != key.lastIndexOf(':')) {
        report(e.keyNode, e.path, "an IPv6 address needs brackets, such as [::1]:8080", null);
        return null;
      }
      host = key.substring(0, key.indexOf(':'));
      port = key.substring(key.indexOf(':') + 1);
    }
    if (port != null) {
      String portProblem = portProblem(port);
      if (portProblem != null) {
        report(e.keyNode, e.path, portProblem, null);
        return null;
      }
    }
    if (!key.startsWith("[")) {
      String hostProblem = hostProblem(host);
      if (hostProblem != null) {
        report(e.keyNode, e.path, hostProblem, host.endsWith(".") && hostProblem(trimDot(host)) == null
            ? trimDot(host) + (port == null ? "" : ":" + port) : null);
        return null;
      }
    }
    // HostRules looks up host + ":" + port with Target's bare (unbracketed) IPv6 host
    return port == null ? host : host + ":" + Integer.parseInt(port);
  }

  private static String trimDot(String host) {
    return host.substring(0, host.length() - 1);
  }

  private static String portProblem(String port) {
    if (port.isEmpty()) {
      return "expected a port number after ':'";
    }
    if (!port.matches("[0-9]{1,9}")) {
      return "'" + port + "' is not a port number";
    }
    int p = Integer.parseInt(port);
    return p >= 1 && p <= 65535 ? null : "port " + p + " is out of range 1-65535";
  }

  private static String hostProblem(String host) {
    if (host.equals("*")) {
      return "'*' alone would match every host: put settings for every host under defaults";
    }
    String name = host;
    if (host.startsWith("*.")) {
      name = host.substring(2);
      if (name.isEmpty()) {
        return "a wildcard needs a domain after '*.', such as *.internal";
      }
    }
    if (name.isEmpty()) {
      return "expected a host name";
    }
    if (name.indexOf('*') >= 0) {
      return "'*' is allowed only as a leading '*.', such as *.internal";
    }
    if (name.length() > 253) {
      return "a host name is at most 253 characters long";
    }
    for (String label : name.split("\\.", -1)) {
      if (label.isEmpty()) {
        return "'" + host + "' has an empty label (two dots in a row, or a leading or trailing dot)";
      }
      if (!DNS_LABEL.matcher(label).matches()) {
        return "'" + host + "' is not a host name (letters, digits, '-' and '_' between dots)";
      }
    }
    return null;
  }

  // ---- values

  private Integer integer(Node node, String path, int min) {
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
      n = Long.MAX_VALUE;
    }
    if (n > Integer.MAX_VALUE) {
      report(node, path, v + " is too large", null);
      return null;
    }
    if (n < min) {
      report(node, path, "must be at least " + min + ", was " + n, null);
      return null;
    }
    return (int) n;
  }

  /** Any finite number, written as an integer or a decimal. */
  private Double number(Node node, String path) {
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

  private Float percent(Node node, String path) {
    Double v = number(node, path);
    if (v == null) {
      return null;
    }
    if (!(v > 0 && v <= 100)) {
      report(node, path, "a percentage must be above 0 and at most 100, was " + scalar(node), null);
      return null;
    }
    return v.floatValue();
  }

  /** The word {@code none} (any case), where a key allows it. */
  private static boolean isNone(Node node) {
    return node instanceof ScalarNode && "none".equalsIgnoreCase(((ScalarNode) node).getValue());
  }

  private Duration duration(Node node, String path, boolean zeroAllowed) {
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
    if (d.isZero() && !zeroAllowed) {
      report(node, path, "must be longer than 0", null);
      return null;
    }
    return d;
  }

  private Boolean bool(Node node, String path) {
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
  private String text(Node node, String path, String expected) {
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
  private String oneOf(Node node, String path, List<String> names, String what) {
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

  private List<Node> sequence(Node node, String path, String example) {
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
  private OutcomeSet outcomes(Node node, String path, String verb) {
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
  private List<CidrBlock> cidrBlocks(Node node, String path) {
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

  private Set<String> methods(Node node, String path) {
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
  private boolean plainTag(Node node, String path) {
    if (PLAIN_TAGS.contains(node.getTag())) {
      return true;
    }
    String tag = node.getTag().getValue().replace(Tag.PREFIX, "!!");
    report(node, path, "the tag " + tag + " is not allowed: resilience.yaml holds plain values only", null);
    return false;
  }

  private static boolean isTag(Node node, Tag tag) {
    return node.getTag().equals(tag);
  }

  /** Text in quotes (or a block scalar): the author meant text, whatever it looks like. */
  private static boolean isQuoted(Node node) {
    return node instanceof ScalarNode && isTag(node, Tag.STR) && !((ScalarNode) node).isPlain();
  }

  private static boolean isNull(Node node) {
    return node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
  }

  private static String scalar(Node node) {
    return node instanceof ScalarNode ? ((ScalarNode) node).getValue() : null;
  }

  private static String describe(Node node) {
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

  private static int line(Node node) {
    return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
  }

  private void report(Node node, String path, String message, String suggestion) {
    if (problems.size() >= MAX_PROBLEMS) {
      problemsLeftOut++;
      return;
    }
    int line = 0;
    int column = 0;
    if (node != null && node.getStartMark() != null) {
      line = node.getStartMark().getLine() + 1;
      column = node.getStartMark().getColumn() + 1;
    }
    problems.add(new ConfigProblem(file, line, column, path, message, suggestion));
  }

  private static List<String> list(String... names) {
    return Collections.unmodifiableList(Arrays.asList(names));
  }
}
