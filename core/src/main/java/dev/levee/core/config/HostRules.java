package dev.levee.core.config;

import dev.levee.core.Target;
import java.util.Collections;
import java.util.LinkedHashMap;
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
    String host = target.host();
    PolicyConfig p = rules.get(host + ":" + target.port());
    if (p != null) {
      return p;
    }
    p = rules.get(host);
    if (p != null) {
      return p;
    }
    // longest suffix first: strip one label at a time
    String rest = host;
    while (true) {
      int dot = rest.indexOf('.');
      if (dot < 0) {
        break;
      }
      rest = rest.substring(dot + 1);
      p = rules.get("*." + rest + ":" + target.port());
      if (p != null) {
        return p;
      }
      p = rules.get("*." + rest);
      if (p != null) {
        return p;
      }
    }
    return defaults;
  }
}
