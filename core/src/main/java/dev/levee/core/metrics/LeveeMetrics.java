package dev.levee.core.metrics;

import dev.levee.core.LeveeLog;
import dev.levee.core.LeveeThreads;
import dev.levee.core.Switches;
import dev.levee.core.config.MetricsConfig;
import dev.levee.core.inbound.InboundLimits;
import dev.levee.core.pipeline.CallPipeline;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where operators look: JMX MBeans always ({@link JmxTargets}, kept in step every {@value #SYNC_SECONDS} s by
 * the {@code levee-metrics} thread, which starts that long after Levee so the JVM's startup pays nothing for
 * JMX), and Prometheus text at {@code http://HOST:PORT/metrics} when a port is set: {@code metrics.prometheus.port}
 * in resilience.yaml, over which {@code -Dlevee.metrics.prometheus.port=PORT} or
 * {@code LEVEE_METRICS_PROMETHEUS_PORT} win (host: {@code metrics.prometheus.host}, the same way; 127.0.0.1
 * unless set). Off by default.
 */
public final class LeveeMetrics {

  public static final String PORT = "levee.metrics.prometheus.port";
  public static final String HOST = "levee.metrics.prometheus.host";
  static final int SYNC_SECONDS = 5;

  private final CallPipeline http;
  private final CallPipeline jdbc;
  private final InboundLimits inbound;

  private LeveeMetrics(CallPipeline http, CallPipeline jdbc, InboundLimits inbound) {
    this.http = http;
    this.jdbc = jdbc;
    this.inbound = inbound;
  }

  /** Starts what is configured; a failure (a port taken, say) is printed and the app goes on without it. */
  public static void start(MetricsConfig config, CallPipeline http, CallPipeline jdbc, InboundLimits inbound) {
    LeveeMetrics metrics = new LeveeMetrics(http, jdbc, inbound);
    String port = Switches.value(PORT);
    if (port == null && config.port() != MetricsConfig.NO_PORT) {
      port = Integer.toString(config.port());
    }
    if (port != null) {
      String host = Switches.value(HOST);
      host = host != null ? host : config.host();
      try {
        PrometheusServer server = PrometheusServer.start(host, Integer.parseInt(port), metrics::prometheusText);
        LeveeLog.info("levee: metrics at http://" + host + ":" + server.port() + "/metrics");
      } catch (Exception e) {
        LeveeLog.info("levee: no Prometheus metrics: cannot serve on " + host + ":" + port + " (" + e + ")");
      }
    }
    LeveeThreads.newThread("levee-metrics", new JmxInStep(metrics)).start();
  }

  /** A class, not a method reference: made at startup, where each lambda spins a class (docs/performance.md). */
  private static final class JmxInStep implements Runnable {
    private final LeveeMetrics metrics;

    JmxInStep(LeveeMetrics metrics) {
      this.metrics = metrics;
    }

    @Override
    public void run() {
      metrics.keepJmxInStep();
    }
  }

  /** Every target of both pipelines, by protocol. */
  Map<String, List<TargetStats>> targets() {
    Map<String, List<TargetStats>> byProtocol = new LinkedHashMap<>();
    byProtocol.put("http", http.targetStats());
    byProtocol.put("jdbc", jdbc.targetStats());
    return byProtocol;
  }

  String prometheusText() {
    return PrometheusText.of(targets(), inbound);
  }

  private void keepJmxInStep() {
    try {
      Thread.sleep(SYNC_SECONDS * 1000L);
      JmxTargets jmx = new JmxTargets();
      while (true) {
        jmx.sync(targets());
        Thread.sleep(SYNC_SECONDS * 1000L);
      }
    } catch (InterruptedException e) {
      // the JVM is going away
    } catch (Throwable t) {
      LeveeLog.warnOnce("metrics.jmx", "Levee's MBeans stopped being kept up to date", t);
    }
  }
}
