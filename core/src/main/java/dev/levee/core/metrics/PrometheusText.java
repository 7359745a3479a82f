package dev.levee.core.metrics;

import dev.levee.core.inbound.InboundLimits;
import dev.levee.core.pipeline.Rejection;
import dev.levee.core.policy.CircuitBreaker;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Levee's figures in Prometheus' text format (0.0.4), label {@code target} = {@code host:port} and
 * {@code protocol} = {@code http} or {@code jdbc}. Names mirror Resilience4j's Micrometer ones with a
 * {@code levee_} prefix, so its dashboards adapt in minutes:
 *
 * <ul>
 *   <li>{@code levee_circuitbreaker_state{state="closed|open|half_open"}}: 1 for the current state, else 0;
 *   <li>{@code levee_circuitbreaker_calls_total{kind="successful|failed|ignored|not_permitted"}};
 *   <li>{@code levee_retry_calls_total{kind="successful_without_retry|successful_with_retry|failed_without_retry|failed_with_retry"}};
 *   <li>{@code levee_bulkhead_available_concurrent_calls} and {@code levee_bulkhead_max_allowed_concurrent_calls}
 *       (an adaptive bulkhead's current limit);
 *   <li>{@code levee_rejected_calls_total{reason="circuit_open|bulkhead_full|deadline_expired|rate_limited"}};
 *   <li>{@code levee_attempt_duration_seconds} histogram, {@code outcome="successful|failed|ignored"};
 *   <li>{@code levee_ratelimiter_available_permissions} and {@code levee_retry_budget_available_retries} where
 *       a target has them.
 * </ul>
 */
public final class PrometheusText {

  private PrometheusText() {}

  /** @param byProtocol the targets of each pipeline, by protocol name */
  public static String of(Map<String, List<TargetStats>> byProtocol) {
    return of(byProtocol, null);
  }

  /**
   * @param inbound the ingress limits, or null; with them, {@code levee_inbound_shed_total{rule,reason="rate_limited|concurrency"}}
   *     and {@code levee_inbound_concurrency_limit{rule}} per path rule ({@code defaults} or its path key)
   */
  public static String of(Map<String, List<TargetStats>> byProtocol, InboundLimits inbound) {
    StringBuilder s = new StringBuilder(4096);
    if (inbound != null && inbound.limitsAnything()) {
      header(s, "levee_inbound_shed_total", "counter", "requests answered 429 or 503 before the app's handler ran, by path rule");
      for (String rule : inbound.ruleNames()) {
        String l = "rule=\"" + escape(rule) + "\"";
        line(s, "levee_inbound_shed_total", l + ",reason=\"rate_limited\"", inbound.shed(rule, true));
        line(s, "levee_inbound_shed_total", l + ",reason=\"concurrency\"", inbound.shed(rule, false));
      }
      header(s, "levee_inbound_concurrency_limit", "gauge", "a path rule's concurrency limit now (adaptive: its value now)");
      for (String rule : inbound.ruleNames()) {
        if (inbound.concurrencyLimit(rule) >= 0) {
          line(s, "levee_inbound_concurrency_limit", "rule=\"" + escape(rule) + "\"", inbound.concurrencyLimit(rule));
        }
      }
    }
    header(s, "levee_circuitbreaker_state", "gauge", "1 for the breaker's current state, 0 for the others");
    each(byProtocol, (t, labels) -> {
      for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
        line(s, "levee_circuitbreaker_state", labels + ",state=\"" + lower(state) + "\"", t.breakerState() == state ? 1 : 0);
      }
    });
    header(s, "levee_circuitbreaker_calls_total", "counter",
        "attempts the breaker judged (successful, failed), ignored (cut by the caller, ended on the app's side) or refused");
    each(byProtocol, (t, labels) -> {
      for (CallMetrics.Judged j : CallMetrics.Judged.values()) {
        line(s, "levee_circuitbreaker_calls_total", labels + ",kind=\"" + lower(j) + "\"", t.metrics().judged(j));
      }
      line(s, "levee_circuitbreaker_calls_total", labels + ",kind=\"not_permitted\"",
          t.metrics().rejections(Rejection.CIRCUIT_OPEN.ordinal()));
    });
    header(s, "levee_retry_calls_total", "counter", "calls by how they ended: after one attempt or more, failed or not");
    each(byProtocol, (t, labels) -> {
      for (CallMetrics.CallEnd e : CallMetrics.CallEnd.values()) {
        line(s, "levee_retry_calls_total", labels + ",kind=\"" + lower(e) + "\"", t.metrics().ended(e));
      }
    });
    header(s, "levee_bulkhead_available_concurrent_calls", "gauge", "calls that may start now before the bulkhead refuses");
    each(byProtocol, (t, labels) -> line(s, "levee_bulkhead_available_concurrent_calls", labels, t.bulkheadAvailable()));
    header(s, "levee_bulkhead_max_allowed_concurrent_calls", "gauge",
        "the bulkhead's limit: maxConcurrentCalls, or an adaptive limit's value now");
    each(byProtocol, (t, labels) -> line(s, "levee_bulkhead_max_allowed_concurrent_calls", labels, t.concurrencyLimit()));
    header(s, "levee_rejected_calls_total", "counter", "calls (or retries) Levee refused without sending, by reason");
    each(byProtocol, (t, labels) -> {
      for (Rejection r : Rejection.values()) {
        line(s, "levee_rejected_calls_total", labels + ",reason=\"" + lower(r) + "\"", t.metrics().rejections(r.ordinal()));
      }
    });
    header(s, "levee_ratelimiter_available_permissions", "gauge", "permits left in the rate limiter's period");
    each(byProtocol, (t, labels) -> {
      if (t.rateLimiterAvailable() >= 0) {
        line(s, "levee_ratelimiter_available_permissions", labels, t.rateLimiterAvailable());
      }
    });
    header(s, "levee_retry_budget_available_retries", "gauge", "whole retries the retry budget holds now");
    each(byProtocol, (t, labels) -> {
      if (t.retryBudgetAvailable() >= 0) {
        line(s, "levee_retry_budget_available_retries", labels, t.retryBudgetAvailable());
      }
    });
    header(s, "levee_attempt_duration_seconds", "histogram", "how long attempts took, by how the breaker judged them");
    each(byProtocol, (t, labels) -> {
      for (CallMetrics.Judged j : CallMetrics.Judged.values()) {
        String l = labels + ",outcome=\"" + lower(j) + "\"";
        long[] buckets = t.metrics().cumulativeBuckets(j);
        for (int i = 0; i < buckets.length; i++) {
          String le = i < CallMetrics.BUCKETS.length ? number(CallMetrics.BUCKETS[i]) : "+Inf";
          line(s, "levee_attempt_duration_seconds_bucket", l + ",le=\"" + le + "\"", buckets[i]);
        }
        s.append("levee_attempt_duration_seconds_count{").append(l).append("} ").append(t.metrics().attemptCount(j)).append('\n');
        s.append("levee_attempt_duration_seconds_sum{").append(l).append("} ").append(t.metrics().attemptSeconds(j)).append('\n');
      }
    });
    return s.toString();
  }

  private interface PerTarget {
    void write(TargetStats target, String labels);
  }

  private static void each(Map<String, List<TargetStats>> byProtocol, PerTarget write) {
    for (Map.Entry<String, List<TargetStats>> e : byProtocol.entrySet()) {
      for (TargetStats t : e.getValue()) {
        write.write(t, "protocol=\"" + e.getKey() + "\",target=\"" + escape(t.target().toString()) + "\"");
      }
    }
  }

  private static void header(StringBuilder s, String name, String type, String help) {
    s.append("# HELP ").append(name).append(' ').append(help).append('\n');
    s.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void line(StringBuilder s, String name, String labels, long value) {
    s.append(name).append('{').append(labels).append("} ").append(value).append('\n');
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  private static String number(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) + ".0" : String.valueOf(d);
  }

  static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
