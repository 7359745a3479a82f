package dev.levee.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SwitchesTest {

  @Test
  void environmentNamesAreOpenTelemetrysSpelling() {
    assertEquals("LEVEE_ENABLED", Switches.environmentName("levee.enabled"));
    assertEquals("LEVEE_INSTRUMENTATION_APACHE_HTTPCLIENT5_ENABLED",
        Switches.environmentName(Switches.instrumentationEnabled("apache-httpclient5")));
    assertEquals("LEVEE_INSTRUMENTATION_APACHE_HTTPCLIENT4_ENABLED",
        Switches.environmentName(Switches.instrumentationEnabled("apache-httpclient4")));
    assertEquals("LEVEE_INSTRUMENTATION_HTTPURLCONNECTION_ENABLED",
        Switches.environmentName(Switches.instrumentationEnabled("httpurlconnection")));
    assertEquals("LEVEE_METRICS_PROMETHEUS_PORT", Switches.environmentName("levee.metrics.prometheus.port"));
  }

  @Test
  void aSystemPropertyIsReadAndBlankOrOddValuesFallBack() {
    String name = "levee.test.switches." + System.nanoTime();
    assertNull(Switches.value(name));
    assertTrue(Switches.flag(name, true));
    try {
      System.setProperty(name, " FALSE ");
      assertFalse(Switches.flag(name, true));
      System.setProperty(name, "  ");
      assertNull(Switches.value(name), "blank counts as unset");
      System.setProperty(name, "maybe");
      assertTrue(Switches.flag(name, true), "neither true nor false: the default");
      assertFalse(Switches.flag(name, false));
    } finally {
      System.clearProperty(name);
    }
  }
}
