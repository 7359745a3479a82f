package dev.levee.core.deadline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.levee.core.Target;
import dev.levee.core.config.CidrBlock;
import dev.levee.core.config.ConfigLoader;
import dev.levee.core.config.DeadlineConfig;
import dev.levee.core.config.LeveeConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class DeadlineHeadersTest {

  static final long NOW = 1_800_000_000_000L;
  final DeadlineConfig noMargin = DeadlineConfig.defaults().withReplyMargin(Duration.ZERO);

  static Function<String, String> headers(String... namesAndValues) {
    Map<String, String> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      m.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return m::get;
  }

  @Test
  void eachInboundFormatIsRead() {
    DeadlineHeaders h = new DeadlineHeaders(noMargin);
    assertEquals(NOW + 900, h.inbound(headers("x-request-deadline", Long.toString(NOW + 900)), NOW));
    assertEquals(NOW + 2_000, h.inbound(headers("grpc-timeout", "2S"), NOW));
    assertEquals(NOW + 750, h.inbound(headers("X-Request-Timeout-Ms", "750"), NOW));
  }

  @Test
  void grpcTimeoutUnitsFollowTheGrpcSpecification() {
    assertEquals(NOW + 7_200_000, DeadlineHeaders.grpcTimeout("2H", NOW));
    assertEquals(NOW + 180_000, DeadlineHeaders.grpcTimeout("3M", NOW));
    assertEquals(NOW + 1_000, DeadlineHeaders.grpcTimeout("1S", NOW));
    assertEquals(NOW + 250, DeadlineHeaders.grpcTimeout("250m", NOW));
    assertEquals(NOW + 250, DeadlineHeaders.grpcTimeout("250000u", NOW));
    assertEquals(NOW + 3, DeadlineHeaders.grpcTimeout("3000000n", NOW));
    assertEquals(NOW, DeadlineHeaders.grpcTimeout("999u", NOW), "under a millisecond: none left");
    assertEquals(CurrentDeadline.NONE, DeadlineHeaders.grpcTimeout("123456789S", NOW), "at most 8 digits");
    assertEquals(CurrentDeadline.NONE, DeadlineHeaders.grpcTimeout("10s", NOW), "units are case-sensitive");
    assertEquals(CurrentDeadline.NONE, DeadlineHeaders.grpcTimeout("S", NOW));
    assertEquals(CurrentDeadline.NONE, DeadlineHeaders.grpcTimeout("-1S", NOW));
  }

  @Test
  void theEarliestOfSeveralWinsAndTheMarginIsKeptBack() {
    DeadlineHeaders h = new DeadlineHeaders(DeadlineConfig.defaults().withReplyMargin(Duration.ofMillis(50)));
    long deadline = h.inbound(
        headers("X-Request-Deadline", Long.toString(NOW + 5_000), "grpc-timeout", "800m", "X-Request-Timeout-Ms", "900"),
        NOW);
    assertEquals(NOW + 800 - 50, deadline);
  }

  @Test
  void malformedValuesAreIgnored() {
    DeadlineHeaders h = new DeadlineHeaders(noMargin);
    assertEquals(CurrentDeadline.NONE, h.inbound(headers("X-Request-Deadline", "soon", "X-Request-Timeout-Ms", "-5"), NOW));
    assertEquals(NOW + 40, h.inbound(headers("X-Request-Deadline", "1.5e12", "grpc-timeout", "40m"), NOW));
    assertEquals(CurrentDeadline.NONE, h.inbound(headers("X-Request-Deadline", "99999999999999999999"), NOW));
  }

  @Test
  void noDeadlineGivesTheDefaultBudgetWhenOneIsSet() {
    assertEquals(CurrentDeadline.NONE, new DeadlineHeaders(DeadlineConfig.defaults()).inbound(headers(), NOW));
    DeadlineHeaders budgeted = new DeadlineHeaders(DeadlineConfig.defaults().withInboundDefaultBudget(Duration.ofSeconds(3)));
    assertEquals(NOW + 3_000, budgeted.inbound(headers(), NOW), "the default budget is not reduced by the margin");
  }

  @Test
  void aCustomOutgoingHeaderIsReadBackInItsFormat() {
    DeadlineConfig custom = noMargin.withHeader("X-Budget-Ms").withFormat(DeadlineConfig.Format.TIMEOUT_MILLIS);
    DeadlineHeaders h = new DeadlineHeaders(custom);
    assertEquals(NOW + 300, h.inbound(headers("X-Budget-Ms", "300"), NOW));
    assertEquals("300", h.value(NOW + 300, NOW));
    assertEquals("0", h.value(NOW - 10, NOW), "never negative");
    assertEquals(NOW + 300, h.parseOutgoing("300", NOW));
  }

  @Test
  void epochMillisIsTheDeadlineItself() {
    DeadlineHeaders h = new DeadlineHeaders(DeadlineConfig.defaults());
    assertEquals(Long.toString(NOW + 1_234), h.value(NOW + 1_234, NOW + 500));
    assertEquals(NOW + 1_234, h.parseOutgoing(" " + (NOW + 1_234) + " ", NOW));
    assertEquals(CurrentDeadline.NONE, h.parseOutgoing("tomorrow", NOW));
    assertEquals(CurrentDeadline.NONE, h.parseOutgoing(null, NOW));
  }

  static List<CidrBlock> blocks(String... texts) {
    List<CidrBlock> blocks = new java.util.ArrayList<>();
    for (String t : texts) {
      blocks.add(CidrBlock.parse(t));
    }
    return blocks;
  }

  @Test
  void onlyTrustedPeersSetTheDeadlineOfTheWorkTheirRequestsStart() {
    DeadlineHeaders h = new DeadlineHeaders(noMargin.withTrustedPeers(blocks("10.0.0.0/8", "fd00::/8", "192.168.1.7")));
    Function<String, String> expired = headers("X-Request-Deadline", "0");
    assertEquals(0, h.inbound(expired, () -> "10.20.30.40", NOW));
    assertEquals(0, h.inbound(expired, () -> "fd12:3456::1", NOW));
    assertEquals(0, h.inbound(expired, () -> "192.168.1.7", NOW));
    assertEquals(0, h.inbound(expired, () -> "::ffff:10.1.2.3", NOW), "an IPv4-mapped IPv6 address is its IPv4 address");
    assertEquals(CurrentDeadline.NONE, h.inbound(expired, () -> "11.0.0.1", NOW));
    assertEquals(CurrentDeadline.NONE, h.inbound(expired, () -> "192.168.1.8", NOW));
    assertEquals(CurrentDeadline.NONE, h.inbound(expired, () -> "fe80::1", NOW));
    assertEquals(CurrentDeadline.NONE, h.inbound(expired, () -> "not-an-address", NOW), "a peer Levee cannot read");
    assertEquals(CurrentDeadline.NONE, h.inbound(expired, () -> null, NOW));
    assertEquals(CurrentDeadline.NONE, h.inbound(headers("grpc-timeout", "1m", "X-Request-Timeout-Ms", "1"), () -> "8.8.8.8", NOW),
        "every header is ignored");
  }

  @Test
  void anUntrustedRequestGetsTheDefaultBudgetLikeOneThatCarriesNone() {
    DeadlineHeaders h = new DeadlineHeaders(noMargin.withTrustedPeers(blocks("10.0.0.0/8"))
        .withInboundDefaultBudget(Duration.ofSeconds(5)));
    assertEquals(NOW + 5_000, h.inbound(headers("X-Request-Deadline", "0"), () -> "203.0.113.9", NOW));
    assertEquals(NOW + 100, h.inbound(headers("X-Request-Timeout-Ms", "100"), () -> "10.0.0.1", NOW));
  }

  @Test
  void withInboundDeadlinesOffNoRequestSetsOne() {
    DeadlineHeaders h = new DeadlineHeaders(noMargin.withInboundEnabled(false));
    assertEquals(CurrentDeadline.NONE, h.inbound(headers("X-Request-Deadline", "0"), () -> "127.0.0.1", NOW));
    DeadlineHeaders budget = new DeadlineHeaders(noMargin.withInboundEnabled(false)
        .withInboundDefaultBudget(Duration.ofSeconds(2)));
    assertEquals(NOW + 2_000, budget.inbound(headers("X-Request-Deadline", "0"), () -> "127.0.0.1", NOW));
  }

  @Test
  void thePeerIsNotAskedWhenEveryPeerIsTrustedAndNoPeerIsTrustedByAnEmptyList() {
    DeadlineHeaders everyone = new DeadlineHeaders(noMargin);
    assertEquals(0, everyone.inbound(headers("X-Request-Deadline", "0"), () -> {
      throw new AssertionError("the peer was asked");
    }, NOW));
    assertEquals(0, new DeadlineHeaders(noMargin.withTrustedPeers(blocks("::/0", "0.0.0.0/0")))
        .inbound(headers("X-Request-Deadline", "0"), () -> "2001:db8::1", NOW));
    DeadlineHeaders nobody = new DeadlineHeaders(noMargin.withTrustedPeers(List.of()));
    assertEquals(CurrentDeadline.NONE, nobody.inbound(headers("X-Request-Deadline", "0"), () -> "127.0.0.1", NOW));
  }

  @Test
  void theHeaderGoesToHostsWhoseRuleSendsItAsAnAllowListOrADenyList() throws Exception {
    LeveeConfig denyList = ConfigLoader.parse(String.join("\n", "http:", "  hosts:",
        "    \"api.partner.com\": { sendDeadlineHeader: false }", "    \"*.stripe.com\": { sendDeadlineHeader: false }"), "t");
    DeadlineHeaders deny = new DeadlineHeaders(denyList.deadline(), denyList.http());
    assertEquals(false, deny.sendsTo(Target.of("api.partner.com", 443)));
    assertEquals(false, deny.sendsTo(Target.of("api.stripe.com", 443)));
    assertEquals(true, deny.sendsTo(Target.of("billing.internal", 8080)));
    LeveeConfig allowList = ConfigLoader.parse(String.join("\n", "http:", "  defaults: { sendDeadlineHeader: false }",
        "  hosts:", "    \"*.internal\": { sendDeadlineHeader: true, timeout: { attempt: 2s } }"), "t");
    DeadlineHeaders allow = new DeadlineHeaders(allowList.deadline(), allowList.http());
    assertEquals(true, allow.sendsTo(Target.of("billing.internal", 8080)));
    assertEquals(false, allow.sendsTo(Target.of("api.partner.com", 443)));
    assertEquals(true, new DeadlineHeaders(DeadlineConfig.defaults()).sendsTo(Target.of("anywhere", 443)), "the default");
  }
}
