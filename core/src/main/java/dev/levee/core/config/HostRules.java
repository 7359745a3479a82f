package dev.levee.core.config;

import dev.levee.core.Target;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The policies of one protocol section ({@code http} or {@code jdbc}): its defaults and its host rules,
 * each already merged over the defaults field by field. Precedence: exact {@code host:port}, then exact
 * {@code host}, then the longest matching {@code *.suffix} (with its port, then without), then the defaults.
 */
public final class HostRules {

  private final PolicyConfig defaults;
  private final Map<String, PolicyConfig> rules;
  private final ConcurrentHashMap<Target, PolicyConfig> resolved = new ConcurrentHashMap<>();

  /**
   * @param rules keys as written in resilience.yaml ({@code host}, {@code host:port}, {@code *.suffix},
   *     {@code *.suffix:port}); compared case-insensitively
   */
  public HostRules(PolicyConfig defaults, Map<String, PolicyConfig> rules) {
    this.defaults = defaults;
    Map<String, PolicyConfig> lower = new LinkedHashMap<>();
    for (Map.Entry<String, PolicyConfig> e : rules.entrySet()) {
      lower.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
    }
    this.rules = Collections.unmodifiableMap(lower);
  }

  public static HostRules of(PolicyConfig defaults) {
    return new HostRules(defaults, Collections.emptyMap());
  }

  public PolicyConfig defaults() {
    return defaults;
  }

  /** The rules by key (lower-cased), in file order. */
  public Map<String, PolicyConfig> rules() {
    return rules;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HostRules
        && ((HostRules) o).defaults.equals(defaults)
        && ((HostRules) o).rules.equals(rules);
  }

  @Override
  public int hashCode() {
    return defaults.hashCode() * 31 + rules.hashCode();
  }

  @Override
  public String toString() {
    return "defaults: " + defaults + ", rules: " + rules;
  }

  /** The policy for a target; cached, so the lookup on the call path does not allocate. */
  public PolicyConfig forTarget(Target target) {
    PolicyConfig p = resolved.get(target);
    if (p == null) {
      p = resolve(target);
      if (resolved.size() < 10_000) {
        resolved.putIfAbsent(target, p);
      }
    }
    return p;
  }

  private PolicyConfig resolve(Target target) {
    if (rules.isEmpty()) {
      return defaults;
    }
    for (String key : candidateKeys(target)) {
      PolicyConfig p = rules.get(key);
      if (p != null) {
        return p;
      }
    }
    return defaults;
  }

  /**
   * The keys of the rules that match a target, most specific first: the first applies (merged over the
   * defaults), the others do not; empty when the defaults apply. For {@code explain}.
   */
  public List<String> matchingKeys(Target target) {
    List<String> keys = new ArrayList<>();
    for (String key : candidateKeys(target)) {
      if (rules.containsKey(key)) {
        keys.add(key);
      }
    }
    return keys;
  }

  /**
   * Every key that could name a rule for the target, in precedence order: {@code host:port}, {@code host},
   * then for each shorter suffix (one label stripped at a time) {@code *.suffix:port} and {@code *.suffix}.
   */
  private static List<String> candidateKeys(Target target) {
    String host = target.host();
    List<String> keys = new ArrayList<>();
    keys.add(host + ":" + target.port());
    keys.add(host);
    String rest = host;
    for (int dot = rest.indexOf('.'); dot >= 0; dot = rest.indexOf('.')) {
      rest = rest.substring(dot + 1);
      keys.add("*." + rest + ":" + target.port());
      keys.add("*." + rest);
    }
    return keys;
  }
}
