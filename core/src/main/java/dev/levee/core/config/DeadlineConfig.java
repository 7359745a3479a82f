package dev.levee.core.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * {@code deadline}: how a call's deadline travels. Outbound, the header Levee sets on requests and its
 * value's format; inbound, whether a request's deadline is read at all and from which peers, the extra
 * header read as remaining milliseconds, the budget given to a request that carries no (trusted) deadline,
 * and the margin kept back for the reply.
 */
public final class DeadlineConfig {

  public static final String DEFAULT_HEADER = "X-Request-Deadline";
  public static final String DEFAULT_TIMEOUT_HEADER = "X-Request-Timeout-Ms";
  public static final String GRPC_TIMEOUT_HEADER = "grpc-timeout";
  /** Every peer: all IPv4 and all IPv6 addresses. */
  public static final List<CidrBlock> EVERY_PEER =
      Collections.unmodifiableList(Arrays.asList(CidrBlock.parse("0.0.0.0/0"), CidrBlock.parse("::/0")));

  /** The value of the outgoing header. */
  public enum Format {
    /** Absolute Unix epoch milliseconds: one value for every hop, but trusts the hosts' clocks to agree. */
    EPOCH_MILLIS,
    /** Milliseconds left when the attempt is sent: immune to clock skew between hosts. */
    TIMEOUT_MILLIS;

    /** As written in resilience.yaml: {@code epoch-millis}, {@code timeout-millis}. */
    public String yamlName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  private final String header;
  private final Format format;
  private final String inboundTimeoutHeader;
  private final Duration inboundDefaultBudget;
  private final Duration replyMargin;
  private final boolean inboundEnabled;
  private final List<CidrBlock> trustedPeers;

  public DeadlineConfig(String header, Format format, String inboundTimeoutHeader, Duration inboundDefaultBudget,
      Duration replyMargin, boolean inboundEnabled, List<CidrBlock> trustedPeers) {
    this.header = Objects.requireNonNull(header);
    this.format = Objects.requireNonNull(format);
    this.inboundTimeoutHeader = Objects.requireNonNull(inboundTimeoutHeader);
    this.inboundDefaultBudget = Objects.requireNonNull(inboundDefaultBudget);
    this.replyMargin = Objects.requireNonNull(replyMargin);
    this.inboundEnabled = inboundEnabled;
    this.trustedPeers = Collections.unmodifiableList(Arrays.asList(trustedPeers.toArray(new CidrBlock[0])));
  }

  public DeadlineConfig(String header) {
    this(header, Format.EPOCH_MILLIS, DEFAULT_TIMEOUT_HEADER, Duration.ZERO, Duration.ofMillis(50), true, EVERY_PEER);
  }

  public static DeadlineConfig defaults() {
    return new DeadlineConfig(DEFAULT_HEADER);
  }

  /** The outgoing header's name. */
  public String header() {
    return header;
  }

  public Format format() {
    return format;
  }

  /** An inbound header whose value is the milliseconds the caller still waits. */
  public String inboundTimeoutHeader() {
    return inboundTimeoutHeader;
  }

  /** The budget of an inbound request that carries no deadline; zero: such a request has none. */
  public Duration inboundDefaultBudget() {
    return inboundDefaultBudget;
  }

  /** Kept back from an inbound deadline, so the reply still reaches the caller in time. */
  public Duration replyMargin() {
    return replyMargin;
  }

  /** Whether inbound requests' deadlines are read at all; false: every request counts as carrying none. */
  public boolean inboundEnabled() {
    return inboundEnabled;
  }

  /** The peers whose requests' deadlines are read; a request from any other counts as carrying none. */
  public List<CidrBlock> trustedPeers() {
    return trustedPeers;
  }

  public DeadlineConfig withHeader(String value) {
    return new DeadlineConfig(value, format, inboundTimeoutHeader, inboundDefaultBudget, replyMargin, inboundEnabled,
        trustedPeers);
  }

  public DeadlineConfig withFormat(Format value) {
    return new DeadlineConfig(header, value, inboundTimeoutHeader, inboundDefaultBudget, replyMargin, inboundEnabled,
        trustedPeers);
  }

  public DeadlineConfig withInboundTimeoutHeader(String value) {
    return new DeadlineConfig(header, format, value, inboundDefaultBudget, replyMargin, inboundEnabled, trustedPeers);
  }

  public DeadlineConfig withInboundDefaultBudget(Duration value) {
    return new DeadlineConfig(header, format, inboundTimeoutHeader, value, replyMargin, inboundEnabled, trustedPeers);
  }

  public DeadlineConfig withReplyMargin(Duration value) {
    return new DeadlineConfig(header, format, inboundTimeoutHeader, inboundDefaultBudget, value, inboundEnabled,
        trustedPeers);
  }

  public DeadlineConfig withInboundEnabled(boolean value) {
    return new DeadlineConfig(header, format, inboundTimeoutHeader, inboundDefaultBudget, replyMargin, value,
        trustedPeers);
  }

  public DeadlineConfig withTrustedPeers(List<CidrBlock> value) {
    return new DeadlineConfig(header, format, inboundTimeoutHeader, inboundDefaultBudget, replyMargin, inboundEnabled,
        value);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof DeadlineConfig)) {
      return false;
    }
    DeadlineConfig d = (DeadlineConfig) o;
    return d.header.equals(header)
        && d.format == format
        && d.inboundTimeoutHeader.equals(inboundTimeoutHeader)
        && d.inboundDefaultBudget.equals(inboundDefaultBudget)
        && d.replyMargin.equals(replyMargin)
        && d.inboundEnabled == inboundEnabled
        && d.trustedPeers.equals(trustedPeers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(header, format, inboundTimeoutHeader, inboundDefaultBudget, replyMargin, inboundEnabled,
        trustedPeers);
  }

  @Override
  public String toString() {
    return "deadline{header=" + header + ", format=" + format.yamlName() + ", inbound.timeoutHeader="
        + inboundTimeoutHeader + ", inbound.defaultBudget=" + inboundDefaultBudget + ", inbound.replyMargin="
        + replyMargin + ", inbound.enabled=" + inboundEnabled + ", inbound.trustedPeers=" + trustedPeers + "}";
  }
}
