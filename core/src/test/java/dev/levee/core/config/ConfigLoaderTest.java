package dev.levee.core.config;

import static dev.levee.core.config.ConfigTesting.parse;
import static dev.levee.core.config.ConfigTesting.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.OutcomeSet;
import dev.levee.core.Target;
import dev.levee.core.config.CircuitBreakerConfig.SlidingWindowType;
import dev.levee.core.config.RetryConfig.Jitter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir Path dir;

  @Test
  void everyFieldIsReadAsWritten() throws Exception {
    LeveeConfig config = parse(
        "http:",
        "  defaults:",
        "    timeout: { connect: 1s, attempt: 7s, total: 1m }",
        "    retry:",
        "      maxAttempts: 4",
        "      initialBackoff: 50ms",
        "      maxBackoff: 3s",
        "      backoffMultiplier: 1.5",
        "      jitter: EQUAL",
        "      retryOn: [connect-failure, 503, 5xx]",
        "      retryMethods: [get, HEAD, PROPFIND]",
        "      respectRetryAfter: false",
        "    circuitBreaker:",
        "      slidingWindowType: TIME_BASED",
        "      slidingWindowSize: 60",
        "      minimumNumberOfCalls: 200",
        "      failureRateThreshold: 25.5",
        "      slowCallDurationThreshold: 3s",
        "      slowCallRateThreshold: 80",
        "      waitDurationInOpenState: 1h",
        "      permittedNumberOfCallsInHalfOpenState: 7",
        "      recordOn: [timeout, 500]",
        "    bulkhead: { maxConcurrentCalls: 12, maxWaitDuration: 20ms }",
        "jdbc:",
        "  defaults:",
        "    retry: { maxAttempts: 2, retryOn: [transient] }",
        "deadline:",
        "  header: X-Deadline-Ms",
        "  format: timeout-millis",
        "  inbound: { timeoutHeader: X-Envoy-Expected-Rq-Timeout-Ms, defaultBudget: 4s, replyMargin: 20ms,",
        "             enabled: false, trustedPeers: [10.0.0.0/8, \"fd00::/8\", 192.168.1.7] }",
        "instrumentation:",
        "  jdk-httpclient: true",
        "  okhttp: false",
        "  apache-httpclient5: false",
        "  apache-httpclient4: false",
        "  httpurlconnection: false",
        "  jdbc: true");

    PolicyConfig http = config.http().defaults();
    assertEquals(Duration.ofSeconds(1), http.timeout().connect());
    assertEquals(Duration.ofSeconds(7), http.timeout().attempt());
    assertEquals(java.util.Optional.of(Duration.ofMinutes(1)), http.timeout().total());

    RetryConfig retry = http.retry();
    assertEquals(4, retry.maxAttempts());
    assertEquals(Duration.ofMillis(50), retry.initialBackoff());
    assertEquals(Duration.ofSeconds(3), retry.maxBackoff());
    assertEquals(1.5, retry.backoffMultiplier());
    assertEquals(Jitter.EQUAL, retry.jitter());
    assertEquals(OutcomeSet.of("connect-failure", "503", "5xx"), retry.retryOn());
    assertEquals(new LinkedHashSet<>(Arrays.asList("GET", "HEAD", "PROPFIND")), retry.retryMethods());
    assertFalse(retry.respectRetryAfter());

    CircuitBreakerConfig breaker = http.circuitBreaker();
    assertEquals(SlidingWindowType.TIME_BASED, breaker.slidingWindowType());
    assertEquals(60, breaker.slidingWindowSize());
    assertEquals(200, breaker.minimumNumberOfCalls());
    assertEquals(25.5f, breaker.failureRateThreshold());
    assertEquals(Duration.ofSeconds(3), breaker.slowCallDurationThreshold());
    assertEquals(80f, breaker.slowCallRateThreshold());
    assertEquals(Duration.ofHours(1), breaker.waitDurationInOpenState());
    assertEquals(7, breaker.permittedNumberOfCallsInHalfOpenState());
    assertEquals(OutcomeSet.of("timeout", "500"), breaker.recordOn());

    assertEquals(12, http.bulkhead().maxConcurrentCalls());
    assertEquals(Duration.ofMillis(20), http.bulkhead().maxWaitDuration());

    assertEquals(2, config.jdbc().defaults().retry().maxAttempts());
    assertEquals(OutcomeSet.of("transient"), config.jdbc().defaults().retry().retryOn());
    assertEquals("X-Deadline-Ms", config.deadline().header());
    assertEquals(DeadlineConfig.Format.TIMEOUT_MILLIS, config.deadline().format());
    assertEquals("X-Envoy-Expected-Rq-Timeout-Ms", config.deadline().inboundTimeoutHeader());
    assertEquals(Duration.ofSeconds(4), config.deadline().inboundDefaultBudget());
    assertEquals(Duration.ofMillis(20), config.deadline().replyMargin());
    assertFalse(config.deadline().inboundEnabled());
    assertEquals(Arrays.asList(CidrBlock.parse("10.0.0.0/8"), CidrBlock.parse("fd00::/8"), CidrBlock.parse("192.168.1.7/32")),
        config.deadline().trustedPeers());
    assertTrue(config.instrumentation().isEnabled("jdk-httpclient"));
    assertFalse(config.instrumentation().isEnabled("okhttp"));
    assertFalse(config.instrumentation().isEnabled("apache-httpclient5"));
    assertFalse(config.instrumentation().isEnabled("apache-httpclient4"));
    assertFalse(config.instrumentation().isEnabled("httpurlconnection"));
    assertTrue(config.instrumentation().isEnabled("jdbc"));
    assertEquals("resilience.yaml", config.source());
  }

  @Test
  void emptyFileIsTheBuiltInDefaults() throws Exception {
    assertSameSettings(LeveeConfig.defaults(), ConfigLoader.parse("", "resilience.yaml"));
  }

  @Test
  void commentsAndEmptySectionsAreTheBuiltInDefaults() throws Exception {
    assertSameSettings(LeveeConfig.defaults(), parse(
        "# nothing changed yet",
        "http:",
        "  defaults:",
        "    retry:",
        "    #  maxAttempts: 5",
        "  hosts:",
        "jdbc:",
        "deadline: {}",
        "instrumentation:"));
  }

  @Test
  void hostRuleOverridesSectionDefaultsWhichOverrideBuiltInsFieldByField() throws Exception {
    LeveeConfig config = parse(
        "http:",
        "  defaults:",
        "    timeout: { attempt: 5s }",
        "    retry: { maxAttempts: 2 }",
        "  hosts:",
        "    billing.internal:",
        "      timeout: { connect: 1s }",
        "      bulkhead: { maxConcurrentCalls: 5 }");
    PolicyConfig builtIn = PolicyConfig.httpDefaults();
    PolicyConfig defaults = config.http().defaults();
    assertEquals(Duration.ofSeconds(5), defaults.timeout().attempt());
    assertEquals(builtIn.timeout().connect(), defaults.timeout().connect());
    assertEquals(2, defaults.retry().maxAttempts());
    assertEquals(builtIn.retry().initialBackoff(), defaults.retry().initialBackoff());

    PolicyConfig billing = config.http().forTarget(Target.of("billing.internal", 443));
    assertEquals(Duration.ofSeconds(1), billing.timeout().connect()); // the rule
    assertEquals(Duration.ofSeconds(5), billing.timeout().attempt()); // the section's defaults
    assertEquals(builtIn.timeout().total(), billing.timeout().total()); // built in
    assertEquals(2, billing.retry().maxAttempts());
    assertEquals(5, billing.bulkhead().maxConcurrentCalls());
    assertEquals(builtIn.bulkhead().maxWaitDuration(), billing.bulkhead().maxWaitDuration());
    assertEquals(builtIn.circuitBreaker(), billing.circuitBreaker());
    assertEquals(defaults, config.http().forTarget(Target.of("other.internal", 443)));
  }

  @Test
  void aHostRuleLiftsTheTotalWithNone() throws Exception {
    LeveeConfig config = parse(
        "http:",
        "  defaults:",
        "    timeout: { total: 2s }",
        "  hosts:",
        "    downloads.internal:",
        "      timeout: { total: None }");
    assertEquals(java.util.Optional.empty(), PolicyConfig.httpDefaults().timeout().total(), "none built in");
    assertEquals(java.util.Optional.of(Duration.ofSeconds(2)), config.http().defaults().timeout().total());
    assertEquals(java.util.Optional.empty(), config.http().forTarget(Target.of("downloads.internal", 443)).timeout().total());
  }

  @Test
  void jdbcMergesOverItsOwnBuiltIns() throws Exception {
    LeveeConfig config = parse(
        "jdbc:",
        "  defaults:",
        "    timeout: { attempt: 5s }",
        "  hosts:",
        "    \"db.internal:5432\": { circuitBreaker: { failureRateThreshold: 20 } }");
    PolicyConfig builtIn = PolicyConfig.jdbcDefaults();
    PolicyConfig db = config.jdbc().forTarget(Target.of("db.internal", 5432));
    assertEquals(Duration.ofSeconds(5), db.timeout().attempt());
    assertEquals(builtIn.timeout().connect(), db.timeout().connect());
    assertEquals(1, db.retry().maxAttempts());
    assertEquals(20f, db.circuitBreaker().failureRateThreshold());
    assertEquals(builtIn.circuitBreaker().recordOn(), db.circuitBreaker().recordOn());
    assertEquals(PolicyConfig.httpDefaults(), config.http().defaults());
  }

  @Test
  void hostRulesMayShareSettingsThroughMergeKeys() throws Exception {
    LeveeConfig config = parse(
        "http:",
        "  hosts:",
        "    a.internal: &internal",
        "      timeout: { attempt: 1s }",
        "      retry: { maxAttempts: 2 }",
        "    b.internal:",
        "      <<: *internal",
        "      retry: { maxAttempts: 5 }");
    PolicyConfig b = config.http().forTarget(Target.of("b.internal", 80));
    assertEquals(Duration.ofSeconds(1), b.timeout().attempt());
    assertEquals(5, b.retry().maxAttempts());
  }

  @Test
  void zeroWaitIsAllowedForTheBulkheadOnly() throws Exception {
    assertEquals(Duration.ZERO, parse("http:", "  defaults:", "    bulkhead: { maxWaitDuration: 0ms }")
        .http().defaults().bulkhead().maxWaitDuration());
    assertEquals(
        List.of("resilience.yaml:3:25: http.defaults.timeout.attempt: must be longer than 0"),
        ConfigTesting.problems("http:", "  defaults:", "    timeout: { attempt: 0s }"));
  }

  @Test
  void numbersMayBeIntegersOrDecimals() throws Exception {
    CircuitBreakerConfig breaker = parse(
        "http:",
        "  defaults:",
        "    circuitBreaker: { failureRateThreshold: 100, slowCallRateThreshold: 0.5 }",
        "    retry: { backoffMultiplier: 3 }").http().defaults().circuitBreaker();
    assertEquals(100f, breaker.failureRateThreshold());
    assertEquals(0.5f, breaker.slowCallRateThreshold());
  }

  @Test
  void loadReadsAFileAndNamesItAsTheSource() throws Exception {
    Path file = dir.resolve("resilience.yaml");
    Files.write(file, yaml("http:", "  defaults:", "    retry: { maxAttempts: 5 }").getBytes(StandardCharsets.UTF_8));
    LeveeConfig config = ConfigLoader.load(file);
    assertEquals(5, config.http().defaults().retry().maxAttempts());
    assertEquals(file.toString(), config.source());
  }

  @Test
  void loadReportsProblemsWithThePathOfTheFile() throws Exception {
    Path file = dir.resolve("resilience.yaml");
    Files.write(file, yaml("http:", "  defaults:", "    retry: { maxAtempts: 5 }").getBytes(StandardCharsets.UTF_8));
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
    assertEquals(file + ":3:14: http.defaults.retry.maxAtempts: unknown key; did you mean 'maxAttempts'?",
        e.getMessage());
  }

  @Test
  void loadAcceptsAByteOrderMark() throws Exception {
    Path file = dir.resolve("resilience.yaml");
    Files.write(file, ("\uFEFF" + yaml("deadline: { header: X-D }")).getBytes(StandardCharsets.UTF_8));
    assertEquals("X-D", ConfigLoader.load(file).deadline().header());
  }

  @Test
  void loadRefusesMissingFoldersHugeAndBinaryFiles() throws Exception {
    assertLoadFails(dir.resolve("absent.yaml"), "absent.yaml: no such file");
    assertLoadFails(dir, dir + ": is a folder, not a file");

    Path huge = dir.resolve("huge.yaml");
    byte[] bytes = new byte[ConfigLoader.MAX_FILE_BYTES + 1];
    Arrays.fill(bytes, (byte) '#');
    Files.write(huge, bytes);
    assertLoadFails(huge, "huge.yaml: is larger than 1024 KiB; is this the right file?");

    Path binary = dir.resolve("binary.yaml");
    Files.write(binary, new byte[] {'a', ':', ' ', (byte) 0xC3, (byte) 0x28});
    assertLoadFails(binary, "binary.yaml: is not UTF-8 text");
  }

  @Test
  void aFileJustUnderTheCapLoads() throws Exception {
    Path big = dir.resolve("big.yaml");
    byte[] bytes = new byte[ConfigLoader.MAX_FILE_BYTES];
    Arrays.fill(bytes, (byte) '#');
    Files.write(big, bytes);
    assertSameSettings(LeveeConfig.defaults(), ConfigLoader.load(big));
  }

  private static void assertLoadFails(Path file, String endOfMessage) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
    assertEquals(1, e.problems().size());
    assertTrue(e.getMessage().endsWith(endOfMessage), e.getMessage());
  }

  static void assertSameSettings(LeveeConfig expected, LeveeConfig actual) {
    assertEquals(expected.http(), actual.http());
    assertEquals(expected.jdbc(), actual.jdbc());
    assertEquals(expected.deadline(), actual.deadline());
    assertEquals(expected.instrumentation(), actual.instrumentation());
  }
}
