package dev.levee.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.yaml.snakeyaml.nodes.Node;

/** Reads the {@code inbound} section: the limits the requests the app serves are shed at, by path. */
final class InboundReader extends YamlValues {

  InboundReader(Problems problems) {
    super(problems);
  }

  @Override
  boolean explainedUnknownKey(Node keyNode, String key, String keyPath, List<String> validKeys) {
    if (validKeys == INBOUND_RATE_LIMITER_KEYS && key.equals("timeoutDuration")) {
      report(keyNode, keyPath, "an inbound request never waits for a rate permit: over the limit it is answered "
          + "429 at once", null);
      return true;
    }
    return false;
  }

  static final List<String> INBOUND_KEYS = list("defaults", "paths");

  static final List<String> INBOUND_RULE_KEYS = list("concurrency", "rateLimiter");

  static final List<String> INBOUND_CONCURRENCY_KEYS = concurrencyLimitKeys("maxConcurrentRequests");

  static final List<String> INBOUND_RATE_LIMITER_KEYS = list("limitForPeriod", "limitRefreshPeriod");

  // ---- inbound

  InboundConfig inbound(Node node, String path) {
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
    BulkheadConfig concurrency = defaults == null ? null : defaults.concurrency();
    String concurrencyOwner = defaults == null ? name : defaults.concurrencyOwner();
    RateLimiterConfig rateLimiter = defaults == null ? null : defaults.rateLimiter();
    String rateLimiterOwner = defaults == null ? name : defaults.rateLimiterOwner();
    for (Entry e : entries(node, path, INBOUND_RULE_KEYS, false)) {
      if (e.key.equals("concurrency")) {
        concurrencyOwner = name;
        concurrency = isNone(e.value) ? null : concurrencyLimit(e,
            concurrency == null ? BulkheadConfig.inboundBuilder().build() : concurrency, INBOUND_CONCURRENCY_KEYS,
            "maxConcurrentRequests", "concurrency type");
      } else {
        rateLimiterOwner = name;
        rateLimiter = isNone(e.value) ? null : inboundRateLimiter(e, rateLimiter);
      }
    }
    return new InboundConfig.Rule(name, concurrency, concurrencyOwner, rateLimiter, rateLimiterOwner);
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
        Integer v = set(e, integer(e.value, e.path), RateLimiterConfig::limitForPeriod);
        if (v != null) {
          limitForPeriod = v;
        }
      } else {
        Duration v = set(e, duration(e.value, e.path), RateLimiterConfig::limitRefreshPeriod);
        if (v != null) {
          period = v;
        }
      }
    }
    return new RateLimiterConfig(limitForPeriod, period, Duration.ZERO);
  }
}
