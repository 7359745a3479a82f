package dev.levee.core.metrics;

import dev.levee.core.LeveeLog;
import dev.levee.core.pipeline.Rejection;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.DynamicMBean;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The same figures as JMX MBeans, always on: per target {@code dev.levee:type=CircuitBreaker},
 * {@code type=Bulkhead}, {@code type=Retry} and {@code type=Calls}, each with {@code protocol} and
 * {@code target} keys (e.g. {@code dev.levee:type=CircuitBreaker,protocol=http,target="api.example.com:443"}).
 * Kept in step with the pipelines' targets by {@link #sync}, which Levee's metrics thread runs every few
 * seconds: never on an application thread (the platform MBean server is costly to start).
 */
public final class JmxTargets {

  private final MBeanServer server;
  /** The names registered for each target; a target already here costs a lookup, nothing more. */
  private final Map<TargetStats, List<ObjectName>> namesOf = new IdentityHashMap<>();
  /** Which target each name is registered for now: a target forgotten and met anew takes its names over. */
  private final Map<ObjectName, TargetStats> owner = new HashMap<>();

  public JmxTargets() {
    this(ManagementFactory.getPlatformMBeanServer());
  }

  JmxTargets(MBeanServer server) {
    this.server = server;
  }

  /** Registers the MBeans of targets that are new, unregisters those of targets forgotten since. */
  public void sync(Map<String, List<TargetStats>> byProtocol) {
    Set<TargetStats> present = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Map.Entry<String, List<TargetStats>> e : byProtocol.entrySet()) {
      for (TargetStats t : e.getValue()) {
        present.add(t);
        if (!namesOf.containsKey(t)) {
          namesOf.put(t, register(e.getKey(), t));
        }
      }
    }
    for (TargetStats gone : new ArrayList<>(namesOf.keySet())) {
      if (present.contains(gone)) {
        continue;
      }
      for (ObjectName name : namesOf.remove(gone)) {
        if (owner.get(name) == gone) {
          owner.remove(name);
          try {
            server.unregisterMBean(name);
          } catch (Exception ignored) {
            // already gone
          }
        }
      }
    }
  }

  private List<ObjectName> register(String protocol, TargetStats t) {
    List<ObjectName> names = new ArrayList<>();
    for (Map.Entry<String, Map<String, Supplier<Object>>> bean : beans(t).entrySet()) {
      try {
        ObjectName name = new ObjectName("dev.levee:type=" + bean.getKey() + ",protocol=" + protocol
            + ",target=" + ObjectName.quote(t.target().toString()));
        if (server.isRegistered(name)) {
          server.unregisterMBean(name); // the same target's earlier policies, forgotten: these figures are new
        }
        server.registerMBean(new Figures(bean.getKey(), bean.getValue()), name);
        owner.put(name, t);
        names.add(name);
      } catch (Exception ex) {
        LeveeLog.warnOnce("metrics.jmx", "could not register Levee's MBeans", ex);
      }
    }
    return names;
  }

  private static Map<String, Map<String, Supplier<Object>>> beans(TargetStats t) {
    CallMetrics m = t.metrics();
    Map<String, Map<String, Supplier<Object>>> beans = new LinkedHashMap<>();
    Map<String, Supplier<Object>> breaker = new LinkedHashMap<>();
    breaker.put("State", () -> t.breakerState().name().toLowerCase(Locale.ROOT));
    breaker.put("SuccessfulCalls", () -> m.judged(CallMetrics.Judged.SUCCESSFUL));
    breaker.put("FailedCalls", () -> m.judged(CallMetrics.Judged.FAILED));
    breaker.put("IgnoredCalls", () -> m.judged(CallMetrics.Judged.IGNORED));
    breaker.put("NotPermittedCalls", () -> m.rejections(Rejection.CIRCUIT_OPEN.ordinal()));
    beans.put("CircuitBreaker", breaker);
    Map<String, Supplier<Object>> bulkhead = new LinkedHashMap<>();
    bulkhead.put("AvailableConcurrentCalls", () -> t.bulkheadAvailable());
    bulkhead.put("MaxAllowedConcurrentCalls", () -> t.concurrencyLimit());
    beans.put("Bulkhead", bulkhead);
    Map<String, Supplier<Object>> retry = new LinkedHashMap<>();
    for (CallMetrics.CallEnd end : CallMetrics.CallEnd.values()) {
      retry.put(camel(end.name()) + "Calls", () -> m.ended(end));
    }
    retry.put("BudgetAvailableRetries", () -> t.retryBudgetAvailable());
    beans.put("Retry", retry);
    Map<String, Supplier<Object>> calls = new LinkedHashMap<>();
    for (Rejection r : Rejection.values()) {
      calls.put("Rejected" + camel(r.name()), () -> m.rejections(r.ordinal()));
    }
    calls.put("RateLimiterAvailablePermissions", () -> t.rateLimiterAvailable());
    beans.put("Calls", calls);
    return beans;
  }

  /** SUCCESSFUL_WITH_RETRY -> SuccessfulWithRetry. */
  private static String camel(String constant) {
    StringBuilder s = new StringBuilder();
    for (String word : constant.toLowerCase(Locale.ROOT).split("_")) {
      s.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
    }
    return s.toString();
  }

  /** Read-only attributes, each read when asked. */
  private static final class Figures implements DynamicMBean {
    private final Map<String, Supplier<Object>> attributes;
    private final MBeanInfo info;

    Figures(String type, Map<String, Supplier<Object>> attributes) {
      this.attributes = attributes;
      MBeanAttributeInfo[] infos = new MBeanAttributeInfo[attributes.size()];
      int i = 0;
      for (Map.Entry<String, Supplier<Object>> a : attributes.entrySet()) {
        Object sample = a.getValue().get();
        infos[i++] = new MBeanAttributeInfo(a.getKey(), sample == null ? "java.lang.Object" : sample.getClass().getName(),
            a.getKey(), true, false, false);
      }
      this.info = new MBeanInfo(Figures.class.getName(), "Levee " + type + " figures of one target", infos, null, null, null);
    }

    @Override
    public Object getAttribute(String name) {
      Supplier<Object> a = attributes.get(name);
      return a == null ? null : a.get();
    }

    @Override
    public void setAttribute(Attribute attribute) {
      throw new UnsupportedOperationException("Levee's figures are read-only");
    }

    @Override
    public AttributeList getAttributes(String[] names) {
      AttributeList list = new AttributeList();
      for (String name : names) {
        if (attributes.containsKey(name)) {
          list.add(new Attribute(name, getAttribute(name)));
        }
      }
      return list;
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
      return new AttributeList();
    }

    @Override
    public Object invoke(String action, Object[] params, String[] signature) {
      throw new UnsupportedOperationException("Levee's figures have no operations");
    }

    @Override
    public MBeanInfo getMBeanInfo() {
      return info;
    }
  }
}
