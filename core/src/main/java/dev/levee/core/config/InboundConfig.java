package dev.levee.core.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * {@code inbound}: which requests the app serves are shed before its handler runs, by path rule. With no
 * {@code inbound} section nothing is limited: an agent that began shedding a legacy app's traffic on its own
 * would make the app worse than without Levee. Each limit is on only where it is written.
 *
 * <p>A path rule's key is a path prefix that matches whole segments ({@code /health} matches {@code /health}
 * and {@code /health/live}, not {@code /healthz}); the longest matching rule wins, and a path no rule
 * matches falls under {@code defaults}. A limit a rule writes is the rule's own (its fields over the
 * defaults' ones), counted for the requests of that rule alone; a limit it does not mention is the defaults'
 * very limiter, shared; {@code none} exempts the rule's requests from it.
 */
public final class InboundConfig {

  /** The name of the defaults rule in messages and as a limiter's owner. */
  public static final String DEFAULTS = "defaults";

  /** The limits of one rule: the defaults, or the requests under one path prefix. */
  public static final class Rule {
    private final String name;
    private final BulkheadConfig concurrency;
    private final String concurrencyOwner;
    private final RateLimiterConfig rateLimiter;
    private final String rateLimiterOwner;

    /**
     * @param concurrency null: none
     * @param concurrencyOwner the rule whose limiter counts this rule's requests (its own name, or
     *     {@link #DEFAULTS} when the rule inherits it)
     */
    public Rule(String name, BulkheadConfig concurrency, String concurrencyOwner,
        RateLimiterConfig rateLimiter, String rateLimiterOwner) {
      this.name = Objects.requireNonNull(name);
      this.concurrency = concurrency;
      this.concurrencyOwner = concurrency == null ? null : Objects.requireNonNull(concurrencyOwner);
      this.rateLimiter = rateLimiter;
      this.rateLimiterOwner = rateLimiter == null ? null : Objects.requireNonNull(rateLimiterOwner);
    }

    /** {@link #DEFAULTS} or the path prefix. */
    public String name() {
      return name;
    }

    /** Null when the rule's requests are not limited in number at once. */
    public BulkheadConfig concurrency() {
      return concurrency;
    }

    public String concurrencyOwner() {
      return concurrencyOwner;
    }

    /** Null when the rule's requests are not limited in rate. */
    public RateLimiterConfig rateLimiter() {
      return rateLimiter;
    }

    public String rateLimiterOwner() {
      return rateLimiterOwner;
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Rule)) {
        return false;
      }
      Rule r = (Rule) o;
      return r.name.equals(name) && Objects.equals(r.concurrency, concurrency)
          && Objects.equals(r.concurrencyOwner, concurrencyOwner) && Objects.equals(r.rateLimiter, rateLimiter)
          && Objects.equals(r.rateLimiterOwner, rateLimiterOwner);
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, concurrency, concurrencyOwner, rateLimiter, rateLimiterOwner);
    }

    @Override
    public String toString() {
      return name + "{" + (concurrency == null ? "concurrency: none" : concurrency + " of " + concurrencyOwner)
          + ", " + (rateLimiter == null ? "rateLimiter: none" : rateLimiter + " of " + rateLimiterOwner) + "}";
    }
  }

  /**
   * By path prefix, longest first. A class, not a lambda: the built-in defaults are read on the main thread at
   * startup, where the JVM's first lambda would bootstrap their machinery (~4 ms, docs/performance.md).
   */
  private static final Comparator<Rule> LONGEST_FIRST = new Comparator<Rule>() {
    @Override
    public int compare(Rule a, Rule b) {
      return Integer.compare(b.name.length(), a.name.length());
    }
  };

  private static final InboundConfig NONE =
      new InboundConfig(new Rule(DEFAULTS, null, null, null, null), Collections.emptyList());

  private final Rule defaults;
  /** Longest prefix first, so the first match is the rule that wins. */
  private final List<Rule> paths;

  public InboundConfig(Rule defaults, List<Rule> paths) {
    this.defaults = Objects.requireNonNull(defaults);
    List<Rule> sorted = new ArrayList<>(paths);
    sorted.sort(LONGEST_FIRST);
    this.paths = Collections.unmodifiableList(sorted);
  }

  /** No {@code inbound} section: nothing is shed. */
  public static InboundConfig none() {
    return NONE;
  }

  public Rule defaults() {
    return defaults;
  }

  /** The path rules, longest prefix first. */
  public List<Rule> paths() {
    return paths;
  }

  /** False when no rule limits anything: the servers' hooks then leave every request alone. */
  public boolean limitsAnything() {
    if (defaults.concurrency != null || defaults.rateLimiter != null) {
      return true;
    }
    for (Rule r : paths) {
      if (r.concurrency != null || r.rateLimiter != null) {
        return true;
      }
    }
    return false;
  }

  /** The rule of a request path (without the query): the longest prefix that matches whole segments. */
  public Rule ruleFor(String path) {
    String p = path == null || path.isEmpty() ? "/" : path;
    for (Rule r : paths) {
      if (matches(r.name, p)) {
        return r;
      }
    }
    return defaults;
  }

  /** {@code /api} matches {@code /api} and {@code /api/...}; {@code /api/} and {@code /} match what they start. */
  static boolean matches(String prefix, String path) {
    if (!path.startsWith(prefix)) {
      return false;
    }
    return path.length() == prefix.length() || prefix.endsWith("/") || path.charAt(prefix.length()) == '/';
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InboundConfig && ((InboundConfig) o).defaults.equals(defaults)
        && ((InboundConfig) o).paths.equals(paths);
  }

  @Override
  public int hashCode() {
    return Objects.hash(defaults, paths);
  }

  @Override
  public String toString() {
    return "inbound{" + defaults + ", paths=" + paths + "}";
  }
}
