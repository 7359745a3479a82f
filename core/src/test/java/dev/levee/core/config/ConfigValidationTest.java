package dev.levee.core.config;

import static dev.levee.core.config.ConfigTesting.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each kind of mistake, with the exact position, key path and suggestion the operator sees. */
class ConfigValidationTest {

  @Test
  void problemPrintsFileLineColumnPathMessageAndSuggestion() {
    ConfigProblem p = new ConfigProblem("resilience.yaml", 12, 7, "http.defaults.retry.maxAtempts", "unknown key",
        "maxAttempts");
    assertEquals("resilience.yaml:12:7: http.defaults.retry.maxAtempts: unknown key; did you mean 'maxAttempts'?",
        p.toString());
    assertEquals("resilience.yaml: no such file", new ConfigProblem("resilience.yaml", 0, 0, "", "no such file", null)
        .toString());
  }

  @Test
  void exceptionMessageHasOneProblemPerLine() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigTesting.parse(
        "http:", "  defaults:", "    retry: { maxAttempts: 0, jitter: fulll }"));
    assertEquals(2, e.problems().size());
    assertEquals(e.problems().get(0) + "\n" + e.problems().get(1), e.getMessage());
  }

  @Test
  void unknownKeysSuggestTheClosestKeyAtThatPosition() {
    assertEquals(List.of(
            "resilience.yaml:3:14: http.defaults.retry.maxAtempts: unknown key; did you mean 'maxAttempts'?",
            "resilience.yaml:4:5: http.defaults.circuitbreaker: unknown key; did you mean 'circuitBreaker'?",
            "resilience.yaml:5:3: http.default: unknown key; did you mean 'defaults'?",
            "resilience.yaml:6:1: instrumentations: unknown key; did you mean 'instrumentation'?",
            "resilience.yaml:9:3: instrumentation.okhttp3: unknown key; did you mean 'okhttp'?"),
        problems(
            "http:",
            "  defaults:",
            "    retry: { maxAtempts: 3 }",
            "    circuitbreaker: {}",
            "  default: {}",
            "instrumentations:",
            "  okhttp: false",
            "instrumentation:",
            "  okhttp3: false"));
  }

  @Test
  void unknownKeyWithNothingCloseListsTheValidKeys() {
    assertEquals(List.of("resilience.yaml:1:1: tracing: unknown key; expected one of http, jdbc, deadline, "
            + "instrumentation, inbound, executors, metrics"),
        problems("tracing: {}"));
  }

  @Test
  void misplacedKeysSayWhereTheyBelong() {
    assertEquals(List.of(
            "resilience.yaml:3:5: http.defaults.maxAttempts: unknown key; fields go inside a section (timeout, "
                + "retry, circuitBreaker, rateLimiter, bulkhead); did you mean 'retry.maxAttempts'?",
            "resilience.yaml:4:3: http.billing.internal: unknown key; host rules go under 'hosts'",
            "resilience.yaml:8:7: jdbc.defaults.retry.retryMethods: applies to HTTP only; jdbc retry has "
                + "maxAttempts, initialBackoff, maxBackoff, backoffMultiplier, jitter, retryOn, budget"),
        problems(
            "http:",
            "  defaults:",
            "    maxAttempts: 3",
            "  billing.internal: {}",
            "jdbc:",
            "  defaults:",
            "    retry:",
            "      retryMethods: [GET]"));
  }

  @Test
  void wrongTypes() {
    assertEquals(List.of(
            "resilience.yaml:4:20: http.defaults.retry.maxAttempts: expected a whole number, got 'three'",
            "resilience.yaml:5:16: http.defaults.retry.retryOn: expected a list such as [connect-failure," +
                " timeout, 503], got a mapping",
            "resilience.yaml:6:21: http.defaults.retry.retryMethods: expected a list such as [GET, HEAD," +
                " PUT, DELETE], got 'GET'; did you mean '[GET]'?",
            "resilience.yaml:7:26: http.defaults.retry.respectRetryAfter: expected true or false, got yes;" +
                " did you mean 'true'?",
            "resilience.yaml:8:26: http.defaults.retry.backoffMultiplier: expected a number, got the text" +
                " '2' (remove the quotes)",
            "resilience.yaml:9:14: http.defaults.timeout: expected a mapping of keys connect, attempt," +
                " total, got a list",
            "resilience.yaml:10:45: http.defaults.circuitBreaker.failureRateThreshold: expected a number," +
                " got 'half'",
            "resilience.yaml:10:73: http.defaults.circuitBreaker.minimumNumberOfCalls: expected a whole" +
                " number, got 2.5",
            "resilience.yaml:11:34: http.defaults.bulkhead.maxWaitDuration: expected a duration such as 2s" +
                " or 250ms, got a list",
            "resilience.yaml:13:41: http.hosts.\"a.internal\".retry.maxAttempts: expected a whole number," +
                " got the text '3' (remove the quotes)",
            "resilience.yaml:14:17: http.hosts.\"b.internal\": expected a mapping of keys timeout, retry," +
                " circuitBreaker, rateLimiter, bulkhead, sendDeadlineHeader, got a list",
            "resilience.yaml:15:11: deadline: expected a mapping of keys header, format, inbound, got 'X-Deadline'",
            "resilience.yaml:17:11: instrumentation.okhttp: expected true or false, got the text 'false'" +
                " (remove the quotes)"),
        problems(
            "http:",
            "  defaults:",
            "    retry:",
            "      maxAttempts: three",
            "      retryOn: { a: 1 }",
            "      retryMethods: GET",
            "      respectRetryAfter: yes",
            "      backoffMultiplier: \"2\"",
            "    timeout: [1s]",
            "    circuitBreaker: { failureRateThreshold: half, minimumNumberOfCalls: 2.5 }",
            "    bulkhead: { maxWaitDuration: [1s] }",
            "  hosts:",
            "    a.internal: { retry: { maxAttempts: \"3\" } }",
            "    b.internal: [retry]",
            "deadline: X-Deadline",
            "instrumentation:",
            "  okhttp: \"false\""));
  }

  @Test
  void impossibleValues() {
    assertEquals(List.of(
            "resilience.yaml:4:20: http.defaults.retry.maxAttempts: must be at least 1, was 0",
            "resilience.yaml:5:26: http.defaults.retry.backoffMultiplier: must be at least 1.0 (1.0 keeps" +
                " the backoff constant), was 0.5",
            "resilience.yaml:7:26: http.defaults.circuitBreaker.slidingWindowSize: must be at least 1, was" +
                " -1",
            "resilience.yaml:8:29: http.defaults.circuitBreaker.failureRateThreshold: a percentage must be" +
                " above 0 and at most 100, was 101",
            "resilience.yaml:9:30: http.defaults.circuitBreaker.slowCallRateThreshold: a percentage must be" +
                " above 0 and at most 100, was 0",
            "resilience.yaml:10:46: http.defaults.circuitBreaker.permittedNumberOfCallsInHalfOpenState:" +
                " 99999999999 is too large",
            "resilience.yaml:11:37: http.defaults.bulkhead.maxConcurrentCalls: must be at least 1, was 0"),
        problems(
            "http:",
            "  defaults:",
            "    retry:",
            "      maxAttempts: 0",
            "      backoffMultiplier: 0.5",
            "    circuitBreaker:",
            "      slidingWindowSize: -1",
            "      failureRateThreshold: 101",
            "      slowCallRateThreshold: 0",
            "      permittedNumberOfCallsInHalfOpenState: 99999999999",
            "    bulkhead: { maxConcurrentCalls: 0 }"));
  }

  @Test
  void crossFieldProblemsPointAtTheFieldWrittenLast() {
    assertEquals(List.of(
            "resilience.yaml:3:46: http.defaults.retry.maxBackoff: maxBackoff (500ms) must not be less than" +
                " initialBackoff (1s)",
            "resilience.yaml:4:42: http.defaults.circuitBreaker.slidingWindowSize: minimumNumberOfCalls" +
                " (20) is more than the COUNT_BASED slidingWindowSize (10): the breaker could never open",
            "resilience.yaml:7:32: http.hosts.\"a.internal\".retry.initialBackoff: maxBackoff (2s) must" +
                " not be less than initialBackoff (5s)"),
        problems(
            "http:",
            "  defaults:",
            "    retry: { initialBackoff: 1s, maxBackoff: 500ms }",
            "    circuitBreaker: { slidingWindowSize: 10 }",
            "  hosts:",
            "    a.internal:",
            "      retry: { initialBackoff: 5s }"));
  }

  @Test
  void durations() {
    assertEquals(List.of(
            "resilience.yaml:4:16: http.defaults.timeout.connect: a duration needs a unit (ms, s, m or h)," +
                " such as 2s or 250ms; was '2'",
            "resilience.yaml:5:16: http.defaults.timeout.attempt: a duration is a whole number of its unit," +
                " was '1.5s'; did you mean '1500ms'?",
            "resilience.yaml:6:14: http.defaults.timeout.total: '2 minutes' is not a duration; write a" +
                " whole number and a unit (ms, s, m or h), such as 2s or 250ms; did you mean '2m'?",
            "resilience.yaml:8:34: http.defaults.circuitBreaker.slowCallDurationThreshold: a duration must" +
                " not be negative, was '-1s'",
            "resilience.yaml:9:32: http.defaults.circuitBreaker.waitDurationInOpenState: '400d' is not a" +
                " duration; write a whole number and a unit (ms, s, m or h), such as 2s or 250ms",
            "resilience.yaml:10:34: http.defaults.bulkhead.maxWaitDuration: '9999999h' is too long a" +
                " duration (at most 365 days)"),
        problems(
            "http:",
            "  defaults:",
            "    timeout:",
            "      connect: 2",
            "      attempt: 1.5s",
            "      total: 2 minutes",
            "    circuitBreaker:",
            "      slowCallDurationThreshold: -1s",
            "      waitDurationInOpenState: 400d",
            "    bulkhead: { maxWaitDuration: 9999999h }"));
  }

  @Test
  void namesFromFixedLists() {
    assertEquals(List.of(
            "resilience.yaml:4:15: http.defaults.retry.jitter: unknown jitter 'fulll'; expected one of" +
                " full, equal, none; did you mean 'full'?",
            "resilience.yaml:5:27: http.defaults.retry.retryMethods[1]: 'PO ST' is not an HTTP method name",
            "resilience.yaml:5:36: http.defaults.retry.retryMethods[2]: expected an HTTP method such as" +
                " GET, got nothing",
            "resilience.yaml:6:42: http.defaults.circuitBreaker.slidingWindowType: unknown sliding window" +
                " type 'COUNTBASED'; expected one of COUNT_BASED, TIME_BASED; did you mean 'COUNT_BASED'?",
            "resilience.yaml:8:11: deadline.header: 'X Deadline' is not a valid HTTP header name (letters," +
                " digits and !#$%&'*+-.^_`|~ only)"),
        problems(
            "http:",
            "  defaults:",
            "    retry:",
            "      jitter: fulll",
            "      retryMethods: [GET, \"PO ST\", ~]",
            "    circuitBreaker: { slidingWindowType: COUNTBASED }",
            "deadline:",
            "  header: \"X Deadline\""));
  }

  @Test
  void sendDeadlineHeaderIsAnHttpBoolean() {
    assertEquals(List.of(
            "resilience.yaml:4:46: http.hosts.\"api.partner.com\".sendDeadlineHeader: expected true or false, got "
                + "'no'; did you mean 'false'?",
            "resilience.yaml:5:20: http.hosts.\"b.example\".sendDeadlineHeadr: unknown key; did you mean "
                + "'sendDeadlineHeader'?",
            "resilience.yaml:8:5: jdbc.defaults.sendDeadlineHeader: applies to HTTP only: JDBC sends no deadline header"),
        problems(
            "http:",
            "  defaults: { sendDeadlineHeader: true }",
            "  hosts:",
            "    \"api.partner.com\": { sendDeadlineHeader: \"no\" }",
            "    \"b.example\": { sendDeadlineHeadr: false }",
            "jdbc:",
            "  defaults:",
            "    sendDeadlineHeader: false"));
  }

  @Test
  void trustedPeersAreAddressesAndCidrBlocks() {
    assertEquals(List.of(
            "resilience.yaml:4:9: deadline.inbound.trustedPeers[0]: '10.1.0.0/8' has address bits set past its /8 "
                + "prefix; did you mean '10.0.0.0/8'?",
            "resilience.yaml:5:9: deadline.inbound.trustedPeers[1]: 'localhost' is a host name: trusted peers are IP "
                + "addresses or CIDR blocks (Levee looks up no names); did you mean '127.0.0.1'?",
            "resilience.yaml:6:9: deadline.inbound.trustedPeers[2]: '::/200': the prefix length must be a whole "
                + "number from 0 to 128 for an IPv6 address",
            "resilience.yaml:8:14: deadline.inbound.enabled: expected true or false, got yes; did you mean 'true'?"),
        problems(
            "deadline:",
            "  inbound:",
            "    trustedPeers:",
            "      - 10.1.0.0/8",
            "      - localhost",
            "      - ::/200",
            "      - fd00::/8",
            "    enabled: yes"));
    assertEquals(List.of("resilience.yaml:1:38: deadline.inbound.trustedPeers: expected a list such as "
            + "[10.0.0.0/8, fd00::/8], got '10.0.0.0/8'; did you mean '[10.0.0.0/8]'?"),
        problems("deadline: { inbound: { trustedPeers: 10.0.0.0/8 } }"));
    assertEquals(List.of("resilience.yaml:1:24: deadline.inbound.trustedPeer: unknown key; did you mean 'trustedPeers'?"),
        problems("deadline: { inbound: { trustedPeer: [] } }"));
  }

  @Test
  void deadlineSection() {
    assertEquals(List.of(
            "resilience.yaml:3:11: deadline.format: unknown deadline format 'epoch-milis'; expected one of" +
                " epoch-millis, timeout-millis; did you mean 'epoch-millis'?",
            "resilience.yaml:5:18: deadline.inbound.replyMargin: a duration needs a unit (ms, s, m or h), such" +
                " as 2s or 250ms; was '50'",
            "resilience.yaml:6:5: deadline.inbound.timeoutHeadr: unknown key; did you mean 'timeoutHeader'?"),
        problems(
            "deadline:",
            "  header: X-Deadline-Ms",
            "  format: epoch-milis",
            "  inbound:",
            "    replyMargin: 50",
            "    timeoutHeadr: X-Left"));
    assertEquals(List.of(
            "resilience.yaml:2:11: deadline.header: X-Request-Deadline has a fixed meaning of its own and cannot" +
                " carry timeout-millis; name another header for it; did you mean 'X-Request-Timeout-Ms'?"),
        problems(
            "deadline:",
            "  header: X-Request-Deadline",
            "  format: timeout-millis"));
  }

  @Test
  void outcomeTokens() {
    assertEquals(List.of(
            "resilience.yaml:3:41: http.defaults.retry.retryOn[1]: 'rejected' cannot be listed: Levee's own" +
                " refusals (breaker open, bulkhead full, deadline expired) are never retried",
            "resilience.yaml:3:51: http.defaults.retry.retryOn[2]: 'conect-failure' is not an outcome;" +
                " expected one of connect-failure, reset, timeout, transient, a status code (503) or a status" +
                " class (5xx); did you mean 'connect-failure'?",
            "resilience.yaml:3:67: http.defaults.retry.retryOn[3]: '600' is not an outcome; expected one of" +
                " connect-failure, reset, timeout, transient, a status code (503) or a status class (5xx)",
            "resilience.yaml:4:34: http.defaults.circuitBreaker.recordOn[0]: 'success' cannot be listed: it" +
                " is not a failure of the dependency",
            "resilience.yaml:4:52: http.defaults.circuitBreaker.recordOn[2]: expected an outcome" +
                " (connect-failure, reset, timeout, transient, a status code (503) or a status class (5xx))," +
                " got a list"),
        problems(
            "http:",
            "  defaults:",
            "    retry: { retryOn: [connect-failure, rejected, conect-failure, 600, 5xx] }",
            "    circuitBreaker: { recordOn: [success, timeout, [503]] }"));
  }

  @Test
  void hostRuleKeys() {
    assertEquals(List.of(
            "resilience.yaml:3:5: http.hosts.\"http://billing.internal/v1\": a host rule is keyed by" +
                " host[:port], not by a URL; did you mean 'billing.internal'?",
            "resilience.yaml:4:5: http.hosts.\"billing.internal/v1\": a host rule is keyed by host[:port]," +
                " without a path; did you mean 'billing.internal'?",
            "resilience.yaml:5:5: http.hosts.\"*.\": a wildcard needs a domain after '*.', such as" +
                " *.internal",
            "resilience.yaml:6:5: http.hosts.\"*\": '*' alone would match every host: put settings for" +
                " every host under defaults",
            "resilience.yaml:7:5: http.hosts.\"a.*.internal\": '*' is allowed only as a leading '*.', such" +
                " as *.internal",
            "resilience.yaml:8:5: http.hosts.\"db:70000\": port 70000 is out of range 1-65535",
            "resilience.yaml:9:5: http.hosts.\"db:\": expected a port number after ':'",
            "resilience.yaml:10:5: http.hosts.\"db:http\": 'http' is not a port number",
            "resilience.yaml:11:5: http.hosts.\"::1\": an IPv6 address needs brackets, such as [::1]:8080",
            "resilience.yaml:12:5: http.hosts.\"billing..internal\": 'billing..internal' has an empty label" +
                " (two dots in a row, or a leading or trailing dot)",
            "resilience.yaml:13:5: http.hosts.\"billing.internal.\": 'billing.internal.' has an empty label" +
                " (two dots in a row, or a leading or trailing dot); did you mean 'billing.internal'?",
            "resilience.yaml:14:5: http.hosts.\"bad host\": 'bad host' is not a host name (letters, digits," +
                " '-' and '_' between dots)",
            "resilience.yaml:15:5: http.hosts.\"[zz]:80\": not a valid bracketed IPv6 address such as" +
                " [::1]:8080"),
        problems(
            "http:",
            "  hosts:",
            "    \"http://billing.internal/v1\": {}",
            "    \"billing.internal/v1\": {}",
            "    \"*.\": {}",
            "    \"*\": {}",
            "    \"a.*.internal\": {}",
            "    \"db:70000\": {}",
            "    \"db:\": {}",
            "    \"db:http\": {}",
            "    \"::1\": {}",
            "    \"billing..internal\": {}",
            "    \"billing.internal.\": {}",
            "    \"bad host\": {}",
            "    \"[zz]:80\": {}",
            "    \"[::1]:8080\": {}",
            "    \"*.svc.cluster.local:8443\": {}"));
  }

  @Test
  void duplicateKeys() {
    assertEquals(List.of(
            "resilience.yaml:3:29: http.defaults.timeout.attempt: duplicate key (first on line 3)",
            "resilience.yaml:6:5: http.hosts.\"billing.internal\": names the same hosts as" +
                " 'Billing.Internal' on line 5 (host names are compared ignoring case)",
            "resilience.yaml:7:5: http.hosts.\"billing.internal\": duplicate key (first on line 6)",
            "resilience.yaml:8:1: http: duplicate key (first on line 1)"),
        problems(
            "http:",
            "  defaults:",
            "    timeout: { attempt: 1s, attempt: 2s }",
            "  hosts:",
            "    Billing.Internal: {}",
            "    billing.internal: {}",
            "    billing.internal: {}",
            "http: {}"));
  }

  @Test
  void everyProblemOfTheFileIsReportedInFileOrder() {
    List<String> found = problems(
        "instrumentation: { okhttp: maybe }",
        "http:",
        "  hosts:",
        "    a.internal: { retry: { maxAttempts: 0 } }",
        "  defaults:",
        "    retry: { jitter: some }",
        "jdbc:",
        "  defaults: { bulkhead: { maxConcurrentCalls: -3 } }");
    assertEquals(4, found.size(), found.toString());
    assertEquals(List.of(
            "resilience.yaml:1:28: instrumentation.okhttp: expected true or false, got 'maybe'",
            "resilience.yaml:4:41: http.hosts.\"a.internal\".retry.maxAttempts: must be at least 1, was 0",
            "resilience.yaml:6:22: http.defaults.retry.jitter: unknown jitter 'some'; expected one of full," +
                " equal, none",
            "resilience.yaml:8:47: jdbc.defaults.bulkhead.maxConcurrentCalls: must be at least 1, was -3"), found);
  }

  @Test
  void aThousandMistakesAreCappedAtAHundred() {
    List<String> lines = new ArrayList<>(List.of("http:", "  defaults:", "    retry:", "      retryOn:"));
    for (int i = 0; i < 1000; i++) {
      lines.add("        - nope");
    }
    List<String> found = problems(lines.toArray(new String[0]));
    assertEquals(ConfigReader.MAX_PROBLEMS + 1, found.size());
    assertEquals("resilience.yaml: and 900 more problems not shown", found.get(found.size() - 1));
  }

  @Test
  void yamlSyntaxErrorsCarryThePositionFromTheParser() {
    assertEquals(List.of("resilience.yaml:4:1: expected ',' or ']', but got <stream end> (while parsing a flow "
            + "sequence at 3:12)"),
        problems("http:", "  defaults:", "    retry: [1"));
    assertEquals(List.of("resilience.yaml:2:1: found character '\\t(TAB)' that cannot start any token. (Do not "
            + "use \\t(TAB) for indentation) (while scanning for the next token)"),
        problems("http:", "\tdefaults: {}"));
    assertEquals(List.of("resilience.yaml:2:1: but found another document (expected a single document in the "
            + "stream at 1:1)"),
        problems("http: {}", "---", "jdbc: {}"));
  }

  @Test
  void aDocumentThatIsNotAMappingIsOneProblem() {
    assertEquals(List.of("resilience.yaml:1:1: expected a mapping with the sections http, jdbc, deadline, "
            + "instrumentation, inbound, executors, metrics, got 'just text'"),
        problems("just text"));
    assertEquals(List.of("resilience.yaml:1:1: expected a mapping with the sections http, jdbc, deadline, "
            + "instrumentation, inbound, executors, metrics, got a list"),
        problems("- http"));
  }

  @Test
  void noSuggestionWhenNothingIsClose() {
    assertNull(ClosestName.among("zzz", PolicyReader.RETRY_KEYS));
    assertEquals("maxAttempts", ClosestName.among("maxattempts", PolicyReader.RETRY_KEYS));
    assertEquals("defaults", ClosestName.among("defualts", PolicyReader.PROTOCOL_KEYS));
  }

  @Test
  void theMetricsSectionNamesAPortAndAHost() throws Exception {
    LeveeConfig config = ConfigTesting.parse("metrics:", "  prometheus: { port: 9464, host: 0.0.0.0 }");
    assertEquals(9464, config.metrics().port());
    assertEquals("0.0.0.0", config.metrics().host());
    assertEquals(MetricsConfig.NO_PORT, ConfigTesting.parse("metrics: { prometheus: { port: none } }").metrics().port());
    assertEquals(List.of(
        "resilience.yaml:3:11: metrics.prometheus.port: a port is within 0 and 65535, was 70000",
        "resilience.yaml:4:5: metrics.prometheus.hots: unknown key; expected one of port, host"),
        ConfigTesting.problems("metrics:", "  prometheus:", "    port: 70000", "    hots: x"));
  }
}
