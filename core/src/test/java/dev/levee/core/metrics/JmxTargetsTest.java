package dev.levee.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.Target;
import dev.levee.core.pipeline.Rejection;
import dev.levee.core.policy.CircuitBreaker;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class JmxTargetsTest {

  static final class Stats implements TargetStats {
    final Target target;
    final CallMetrics metrics = new CallMetrics(Rejection.values().length);
    CircuitBreaker.State state = CircuitBreaker.State.CLOSED;

    Stats(Target target) {
      this.target = target;
    }

    @Override public Target target() { return target; }
    @Override public CircuitBreaker.State breakerState() { return state; }
    @Override public CallMetrics metrics() { return metrics; }
    @Override public int bulkheadAvailable() { return 7; }
    @Override public int concurrencyLimit() { return 8; }
    @Override public int rateLimiterAvailable() { return -1; }
    @Override public long retryBudgetAvailable() { return 42; }
  }

  private final MBeanServer server = MBeanServerFactory.newMBeanServer();
  private final JmxTargets jmx = new JmxTargets(server);

  private static Map<String, List<TargetStats>> http(TargetStats... targets) {
    return Collections.singletonMap("http", List.of(targets));
  }

  @Test
  void eachTargetHasItsMBeansReadLiveAndForgottenTargetsLoseThem() throws Exception {
    Stats api = new Stats(Target.of("api.example.com", 443));
    jmx.sync(http(api));
    ObjectName breaker = new ObjectName("dev.levee:type=CircuitBreaker,protocol=http,target=\"api.example.com:443\"");
    assertEquals("closed", server.getAttribute(breaker, "State"));
    api.metrics.attempt(CallMetrics.Judged.FAILED, 1_000_000);
    api.metrics.rejected(Rejection.CIRCUIT_OPEN.ordinal());
    api.state = CircuitBreaker.State.OPEN;
    assertEquals("open", server.getAttribute(breaker, "State"));
    assertEquals(1L, server.getAttribute(breaker, "FailedCalls"));
    assertEquals(1L, server.getAttribute(breaker, "NotPermittedCalls"));
    ObjectName bulkhead = new ObjectName("dev.levee:type=Bulkhead,protocol=http,target=\"api.example.com:443\"");
    assertEquals(7, server.getAttribute(bulkhead, "AvailableConcurrentCalls"));
    ObjectName retry = new ObjectName("dev.levee:type=Retry,protocol=http,target=\"api.example.com:443\"");
    assertEquals(42L, server.getAttribute(retry, "BudgetAvailableRetries"));
    assertEquals(0L, server.getAttribute(retry, "SuccessfulWithRetryCalls"));

    Stats again = new Stats(Target.of("api.example.com", 443)); // forgotten and met anew
    jmx.sync(http(again));
    assertEquals("closed", server.getAttribute(breaker, "State"), "the new target's figures");
    jmx.sync(http());
    assertFalse(server.isRegistered(breaker));
    assertTrue(server.queryNames(new ObjectName("dev.levee:*"), null).isEmpty());
  }
}
