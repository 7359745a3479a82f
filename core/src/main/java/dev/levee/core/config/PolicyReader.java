package dev.levee.core.config;

import dev.levee.core.OutcomeSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads the {@code http} and {@code jdbc} sections: their defaults and host rules, each a policy (timeout,
 * retry with its budget, circuit breaker, bulkhead, rate limiter) merged field by field over the defaults.
 * Every rule is the config classes': a field's range is its setter's ({@link InvalidValue}, reported at the key
 * by {@code set}), a rule across fields (a maximum under a minimum, a window too small for its minimum) their
 * {@code build()}'s, reported at the last of its keys written. This reader only reads.
 */
final class PolicyReader extends YamlValues {

  PolicyReader(Problems problems) {
    super(problems);
  }

  @Override
  boolean explainedUnknownKey(Node keyNode, String key, String keyPath, List<String> validKeys) {
    if (validKeys == POLICY_KEYS && HTTP_POLICY_KEYS.contains(key)) {
      report(keyNode, keyPath, "applies to HTTP only: JDBC sends no deadline header", null);
      return true;
    }
    if (validKeys == POLICY_KEYS || validKeys == HTTP_POLICY_KEYS) {
      // a field written one level too high, e.g. defaults.maxAttempts for defaults.retry.maxAttempts
      for (String section : POLICY_KEYS) {
        String field = ClosestName.among(key, sectionKeys(section, true));
        if (field != null || sectionKeys(section, true).contains(key)) {
          report(keyNode, keyPath, "unknown key; fields go inside a section (" + String.join(", ", POLICY_KEYS)
              + ")", section + "." + (field != null ? field : key));
          return true;
        }
      }
    }
    if (validKeys == PROTOCOL_KEYS && (key.contains(".") || key.contains(":"))) {
      report(keyNode, keyPath, "unknown key; host rules go under 'hosts'", null);
      return true;
    }
    if (validKeys == JDBC_RETRY_KEYS && RETRY_KEYS.contains(key)) {
      report(keyNode, keyPath, "applies to HTTP only; jdbc retry has " + String.join(", ", JDBC_RETRY_KEYS), null);
      return true;
    }
    return false;
  }

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

  static final List<String> BULKHEAD_KEYS = concurrencyLimitKeys("maxConcurrentCalls");

  static final List<String> JITTERS = list("full", "equal", "none");

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?");

  private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]+");

  static List<String> sectionKeys(String section, boolean http) {
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

  // ---- structure

  HostRules protocol(Node node, String path, PolicyConfig builtIn, boolean http) {
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
          bulkhead = concurrencyLimit(e, base.bulkhead(), BULKHEAD_KEYS, "maxConcurrentCalls", "bulkhead type");
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
      Duration d = duration(e.value, e.path);
      switch (e.key) {
        case "connect":
          set(e, d, b::connect);
          break;
        case "attempt":
          set(e, d, b::attempt);
          break;
        default:
          set(e, d, b::total);
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
    Entry lastBackoff = null;
    for (Entry e : entries(section.value, section.path, http ? RETRY_KEYS : JDBC_RETRY_KEYS, false)) {
      switch (e.key) {
        case "maxAttempts": {
          set(e, integer(e.value, e.path), b::maxAttempts);
          break;
        }
        case "initialBackoff": {
          if (set(e, duration(e.value, e.path), b::initialBackoff) != null) {
            lastBackoff = e;
          }
          break;
        }
        case "maxBackoff": {
          if (set(e, duration(e.value, e.path), b::maxBackoff) != null) {
            lastBackoff = e;
          }
          break;
        }
        case "backoffMultiplier": {
          set(e, number(e.value, e.path), b::backoffMultiplier);
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
    try {
      return b.build();
    } catch (IllegalArgumentException ex) {
      // the rule across fields is the config's own (RetryConfig); shown where the last of them is written
      Entry where = lastBackoff != null && ex.getMessage().startsWith("maxBackoff (") ? lastBackoff : section;
      report(where.value, where.path, ex.getMessage(), null);
      return base;
    }
  }

  private CircuitBreakerConfig circuitBreaker(Entry section, CircuitBreakerConfig base) {
    CircuitBreakerConfig.Builder b = base.toBuilder();
    Entry lastWindowField = null;
    for (Entry e : entries(section.value, section.path, CIRCUIT_BREAKER_KEYS, false)) {
      switch (e.key) {
        case "slidingWindowType": {
          String v = oneOf(e.value, e.path, list("COUNT_BASED", "TIME_BASED"), "sliding window type");
          if (v != null) {
            b.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.valueOf(v));
            lastWindowField = e;
          }
          break;
        }
        case "slidingWindowSize": {
          if (set(e, integer(e.value, e.path), b::slidingWindowSize) != null) {
            lastWindowField = e;
          }
          break;
        }
        case "minimumNumberOfCalls": {
          if (set(e, integer(e.value, e.path), b::minimumNumberOfCalls) != null) {
            lastWindowField = e;
          }
          break;
        }
        case "failureRateThreshold": {
          set(e, number(e.value, e.path), v -> b.failureRateThreshold(v.floatValue()));
          break;
        }
        case "slowCallDurationThreshold": {
          set(e, duration(e.value, e.path), b::slowCallDurationThreshold);
          break;
        }
        case "slowCallRateThreshold": {
          set(e, number(e.value, e.path), v -> b.slowCallRateThreshold(v.floatValue()));
          break;
        }
        case "waitDurationInOpenState": {
          set(e, duration(e.value, e.path), b::waitDurationInOpenState);
          break;
        }
        case "permittedNumberOfCallsInHalfOpenState": {
          set(e, integer(e.value, e.path), b::permittedNumberOfCallsInHalfOpenState);
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
          Double v = set(e, number(e.value, e.path), RetryBudgetConfig::ratio);
          if (v != null) {
            ratio = v;
          }
          break;
        }
        case "minRetriesPerSecond": {
          Integer v = set(e, integer(e.value, e.path), RetryBudgetConfig::minRetriesPerSecond);
          if (v != null) {
            minRetriesPerSecond = v;
          }
          break;
        }
        default: {
          Duration v = set(e, duration(e.value, e.path), RetryBudgetConfig::ttl);
          if (v != null) {
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
          Integer v = set(e, integer(e.value, e.path), RateLimiterConfig::limitForPeriod);
          if (v != null) {
            limitForPeriod = v;
          } else {
            ok = false;
          }
          break;
        }
        case "limitRefreshPeriod": {
          Duration v = set(e, duration(e.value, e.path), RateLimiterConfig::limitRefreshPeriod);
          if (v != null) {
            period = v;
          } else {
            ok = false;
          }
          break;
        }
        default: {
          Duration v = set(e, duration(e.value, e.path), RateLimiterConfig::timeoutDuration);
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
}
