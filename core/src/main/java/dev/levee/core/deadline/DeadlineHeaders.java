package dev.levee.core.deadline;

import dev.levee.core.Target;
import dev.levee.core.config.CidrBlock;
import dev.levee.core.config.DeadlineConfig;
import dev.levee.core.config.HostRules;
import dev.levee.core.config.PolicyConfig;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The deadline as it travels in headers. Outbound: the value of {@code deadline.header} in
 * {@code deadline.format}, on calls to hosts whose http rule says {@code sendDeadlineHeader}. Inbound: the earliest of {@code X-Request-Deadline} (epoch milliseconds),
 * {@code grpc-timeout} (gRPC's value and unit), {@code deadline.inbound.timeoutHeader} (milliseconds left)
 * and, when it is another header, {@code deadline.header} in {@code deadline.format} (so a chain of
 * services with the same resilience.yaml reads what it sends), less {@code deadline.inbound.replyMargin};
 * a request with none gets {@code deadline.inbound.defaultBudget}, if set. A request's headers are read
 * only when {@code deadline.inbound.enabled} and its peer is one of {@code deadline.inbound.trustedPeers}:
 * from anyone else, a request counts as carrying none.
 */
public final class DeadlineHeaders {

  private final DeadlineConfig config;
  private final HostRules httpRules;
  private final boolean readsOutgoingHeader;
  private final long marginMillis;
  private final long defaultBudgetMillis;
  private final boolean trustsEveryPeer;

  /** Sending the header on calls to every host. */
  public DeadlineHeaders(DeadlineConfig config) {
    this(config, HostRules.of(PolicyConfig.httpDefaults()));
  }

  /** @param httpRules the {@code http} section, whose rules say which hosts get the header */
  public DeadlineHeaders(DeadlineConfig config, HostRules httpRules) {
    this.config = config;
    this.httpRules = httpRules;
    String header = config.header();
    this.readsOutgoingHeader = !header.equalsIgnoreCase(DeadlineConfig.DEFAULT_HEADER)
        && !header.equalsIgnoreCase(DeadlineConfig.GRPC_TIMEOUT_HEADER)
        && !header.equalsIgnoreCase(config.inboundTimeoutHeader());
    this.marginMillis = config.replyMargin().toMillis();
    this.defaultBudgetMillis = config.inboundDefaultBudget().toMillis();
    boolean everyIpv4 = false;
    boolean everyIpv6 = false;
    for (CidrBlock block : config.trustedPeers()) {
      everyIpv4 |= block.isWholeFamily() && block.isIpv4();
      everyIpv6 |= block.isWholeFamily() && !block.isIpv4();
    }
    this.trustsEveryPeer = everyIpv4 && everyIpv6;
  }

  /** The outgoing header's name. */
  public String name() {
    return config.header();
  }

  /**
   * Whether an HTTP call to {@code target} carries the header: its rule's {@code sendDeadlineHeader}. A call
   * that does not still has the deadline as its budget; only the next service is not told it.
   */
  public boolean sendsTo(Target target) {
    return httpRules.forTarget(target).sendDeadlineHeader();
  }

  /** The outgoing header's value for a call whose deadline is {@code deadlineMillis}, sent at {@code nowMillis}. */
  public String value(long deadlineMillis, long nowMillis) {
    if (config.format() == DeadlineConfig.Format.TIMEOUT_MILLIS) {
      return Long.toString(Math.max(0, deadlineMillis - nowMillis));
    }
    return Long.toString(deadlineMillis);
  }

  /**
   * A deadline the application put in the outgoing header itself, read in the configured format; malformed
   * or absent: {@link CurrentDeadline#NONE} (Levee's own value replaces it on the wire).
   */
  public long parseOutgoing(String value, long nowMillis) {
    return parse(value, config.format() == DeadlineConfig.Format.TIMEOUT_MILLIS, nowMillis);
  }

  /**
   * The deadline an outgoing call inherits: the earlier of the one its thread works under
   * ({@link CurrentDeadline}) and one the application put in the deadline header itself.
   *
   * @param appValue the request's own value of the deadline header, or null
   */
  public long inherited(String appValue, long nowMillis) {
    return Math.min(CurrentDeadline.get(), parseOutgoing(appValue, nowMillis));
  }

  /**
   * The deadline of the work an inbound request starts, in epoch milliseconds, or
   * {@link CurrentDeadline#NONE}.
   *
   * @param header the request's first value of a header, by name (case-insensitive), or null
   * @param peer the address of the request's TCP peer as the server reports it (an IP literal) or null;
   *     asked only when {@code trustedPeers} does not hold every address
   */
  public long inbound(Function<String, String> header, Supplier<String> peer, long nowMillis) {
    if (trusts(peer)) {
      long earliest = parse(header.apply(DeadlineConfig.DEFAULT_HEADER), false, nowMillis);
      earliest = Math.min(earliest, grpcTimeout(header.apply(DeadlineConfig.GRPC_TIMEOUT_HEADER), nowMillis));
      earliest = Math.min(earliest, parse(header.apply(config.inboundTimeoutHeader()), true, nowMillis));
      if (readsOutgoingHeader) {
        earliest = Math.min(earliest, parseOutgoing(header.apply(config.header()), nowMillis));
      }
      if (earliest != CurrentDeadline.NONE) {
        return earliest - marginMillis;
      }
    }
    return defaultBudgetMillis > 0 ? nowMillis + defaultBudgetMillis : CurrentDeadline.NONE;
  }

  /** As {@link #inbound(Function, Supplier, long)} for a request whose peer is not known. */
  public long inbound(Function<String, String> header, long nowMillis) {
    return inbound(header, () -> null, nowMillis);
  }

  /** Whether a request from {@code peer} may set the deadline of the work it starts. */
  private boolean trusts(Supplier<String> peer) {
    if (!config.inboundEnabled()) {
      return false;
    }
    if (trustsEveryPeer) {
      return true;
    }
    byte[] address = CidrBlock.address(peer.get());
    for (CidrBlock block : config.trustedPeers()) {
      if (block.contains(address)) {
        return true;
      }
    }
    return false;
  }

  private static long parse(String value, boolean remaining, long nowMillis) {
    if (value == null) {
      return CurrentDeadline.NONE;
    }
    long v = digits(value.trim(), 18);
    if (v < 0) {
      return CurrentDeadline.NONE;
    }
    if (!remaining) {
      return v;
    }
    return v >= CurrentDeadline.NONE - nowMillis ? CurrentDeadline.NONE : nowMillis + v;
  }

  /**
   * gRPC's {@code grpc-timeout}: at most 8 digits and a unit, H M S m u n (gRPC over HTTP/2). Below a
   * millisecond counts as none left.
   */
  static long grpcTimeout(String value, long nowMillis) {
    if (value == null) {
      return CurrentDeadline.NONE;
    }
    String v = value.trim();
    if (v.length() < 2) {
      return CurrentDeadline.NONE;
    }
    long amount = digits(v.substring(0, v.length() - 1), 8);
    if (amount < 0) {
      return CurrentDeadline.NONE;
    }
    long millis;
    switch (v.charAt(v.length() - 1)) {
      case 'H': millis = amount * 3_600_000L; break;
      case 'M': millis = amount * 60_000L; break;
      case 'S': millis = amount * 1_000L; break;
      case 'm': millis = amount; break;
      case 'u': millis = amount / 1_000L; break;
      case 'n': millis = amount / 1_000_000L; break;
      default: return CurrentDeadline.NONE;
    }
    return nowMillis + millis;
  }

  /** A non-negative decimal of 1 to {@code maxDigits} ASCII digits, or -1. */
  private static long digits(String s, int maxDigits) {
    if (s.isEmpty() || s.length() > maxDigits) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
      if (v < 0) {
        return -1;
      }
    }
    return v;
  }
}
