package dev.levee.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.levee.core.Target;
import org.junit.jupiter.api.Test;

/** Exact host:port, then exact host, then the longest *.suffix (with port before without), then defaults. */
class HostRulesPrecedenceTest {

  private final HostRules rules = http(
      "http:",
      "  defaults: { retry: { maxAttempts: 1 } }",
      "  hosts:",
      "    \"api.example.com:8443\": { retry: { maxAttempts: 2 } }",
      "    \"API.Example.com\": { retry: { maxAttempts: 3 } }",
      "    \"*.example.com\": { retry: { maxAttempts: 4 } }",
      "    \"*.eu.example.com\": { retry: { maxAttempts: 5 } }",
      "    \"*.eu.example.com:9000\": { retry: { maxAttempts: 6 } }",
      "    \"[::1]:8080\": { retry: { maxAttempts: 7 } }",
      "    \"10.0.0.7\": { retry: { maxAttempts: 8 } }");

  @Test
  void exactHostAndPortComesFirst() {
    assertEquals(2, attempts("api.example.com", 8443));
  }

  @Test
  void exactHostComesNext() {
    assertEquals(3, attempts("api.example.com", 443));
  }

  @Test
  void hostNamesAreComparedIgnoringCase() {
    assertEquals(2, attempts("Api.EXAMPLE.com", 8443));
    assertEquals(3, attempts("API.EXAMPLE.COM", 80));
  }

  @Test
  void theLongestSuffixWins() {
    assertEquals(4, attempts("shop.example.com", 443));
    assertEquals(5, attempts("shop.eu.example.com", 443));
    assertEquals(5, attempts("a.b.eu.example.com", 443));
  }

  @Test
  void aSuffixWithThePortBeatsTheSameSuffixWithout() {
    assertEquals(6, attempts("shop.eu.example.com", 9000));
  }

  @Test
  void aSuffixDoesNotMatchTheBareDomain() {
    assertEquals(1, attempts("example.com", 443));
  }

  @Test
  void anythingElseGetsTheDefaults() {
    assertEquals(1, attempts("example.org", 443));
    assertEquals(1, attempts("api.example.com.evil.org", 443));
  }

  @Test
  void addressesWork() {
    assertEquals(7, attempts("[::1]", 8080));
    assertEquals(1, attempts("::1", 8081));
    assertEquals(8, attempts("10.0.0.7", 5432));
  }

  private int attempts(String host, int port) {
    return rules.forTarget(Target.of(host, port)).retry().maxAttempts();
  }

  private static HostRules http(String... lines) {
    try {
      return ConfigTesting.parse(lines).http();
    } catch (ConfigException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }
}
