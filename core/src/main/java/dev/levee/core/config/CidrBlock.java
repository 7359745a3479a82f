package dev.levee.core.config;

import java.util.Arrays;
import java.util.Locale;

/**
 * A block of IP addresses written in CIDR notation, {@code 10.0.0.0/8} or {@code fd00::/8}; a bare address
 * is a block of one ({@code /32}, {@code /128}). Addresses are read as literals only: nothing here looks up
 * a name. Immutable; equal when they hold the same addresses.
 */
public final class CidrBlock {

  private final byte[] network;
  private final int prefixLength;
  private final String written;

  private CidrBlock(byte[] network, int prefixLength, String written) {
    this.network = network;
    this.prefixLength = prefixLength;
    this.written = written;
  }

  /** Why a text is not a CIDR block, for an operator, with what was likely meant where that is clear. */
  public static final class Invalid extends IllegalArgumentException {
    private final String suggestion;

    Invalid(String message, String suggestion) {
      super(message);
      this.suggestion = suggestion;
    }

    /** A valid block close to what was written, or null. */
    public String suggestion() {
      return suggestion;
    }
  }

  /** {@code address/prefix} or a bare address; throws {@link Invalid} otherwise, with host bits set included. */
  public static CidrBlock parse(String text) {
    String t = text.trim();
    int slash = t.indexOf('/');
    String addressText = slash >= 0 ? t.substring(0, slash).trim() : t;
    if (addressText.startsWith("[") && addressText.endsWith("]")) {
      String bare = addressText.substring(1, addressText.length() - 1) + (slash >= 0 ? t.substring(slash).trim() : "");
      throw new Invalid("'" + text + "': write an IPv6 block without brackets", bare);
    }
    byte[] address = address(addressText);
    if (address == null) {
      if (addressText.matches("[A-Za-z0-9.-]*[A-Za-z][A-Za-z0-9.-]*") && !addressText.contains(":")) {
        throw new Invalid("'" + text + "' is a host name: trusted peers are IP addresses or CIDR blocks (Levee "
            + "looks up no names)", addressText.equalsIgnoreCase("localhost") ? "127.0.0.1" : null);
      }
      throw new Invalid("'" + text + "' is not an IP address or CIDR block such as 10.0.0.0/8 or fd00::/8", null);
    }
    int bits = address.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String digits = t.substring(slash + 1).trim();
      if (!digits.matches("[0-9]{1,3}") || Integer.parseInt(digits) > bits) {
        throw new Invalid("'" + text + "': the prefix length must be a whole number from 0 to " + bits
            + " for an " + (bits == 32 ? "IPv4" : "IPv6") + " address", null);
      }
      prefix = Integer.parseInt(digits);
    }
    byte[] network = masked(address, prefix);
    if (!Arrays.equals(network, address)) {
      throw new Invalid("'" + text + "' has address bits set past its /" + prefix + " prefix",
          format(network) + "/" + prefix);
    }
    return new CidrBlock(network, prefix, slash >= 0 ? addressText + "/" + prefix : addressText);
  }

  /**
   * The bytes of an IPv4 ({@code 10.1.2.3}) or IPv6 ({@code fd00::1}, {@code ::ffff:10.1.2.3}, {@code fe80::1%eth0})
   * literal, 4 or 16 of them, an IPv4-mapped IPv6 address as its IPv4 address; null when it is not one.
   */
  public static byte[] address(String literal) {
    if (literal == null) {
      return null;
    }
    String s = literal.trim();
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    int zone = s.indexOf('%');
    if (zone >= 0) {
      s = s.substring(0, zone);
    }
    if (s.indexOf(':') < 0) {
      return ipv4(s);
    }
    byte[] v6 = ipv6(s);
    if (v6 != null && isIpv4Mapped(v6)) {
      return Arrays.copyOfRange(v6, 12, 16);
    }
    return v6;
  }

  /** Whether {@code address} (4 or 16 bytes, as {@link #address} gives) is in this block. */
  public boolean contains(byte[] address) {
    return address != null && address.length == network.length && Arrays.equals(masked(address, prefixLength), network);
  }

  /** A block of all IPv4 ({@code 0.0.0.0/0}) or all IPv6 ({@code ::/0}) addresses. */
  public boolean isWholeFamily() {
    return prefixLength == 0;
  }

  /** True for an IPv4 block, false for an IPv6 one. */
  public boolean isIpv4() {
    return network.length == 4;
  }

  private static byte[] ipv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      // no leading zeros: some tools read 010 as octal 8
      if (!parts[i].matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(parts[i]) > 255) {
        return null;
      }
      bytes[i] = (byte) Integer.parseInt(parts[i]);
    }
    return bytes;
  }

  private static byte[] ipv6(String text) {
    String s = text.toLowerCase(Locale.ROOT);
    byte[] tail = null;
    int lastColon = s.lastIndexOf(':');
    if (s.indexOf('.', lastColon) >= 0) {
      // an embedded IPv4 address as the last 32 bits
      tail = ipv4(s.substring(lastColon + 1));
      if (tail == null) {
        return null;
      }
      s = s.substring(0, lastColon + 1) + "0:0";
    }
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    String[] head = gap >= 0 ? groups(s.substring(0, gap)) : groups(s);
    String[] rest = gap >= 0 ? groups(s.substring(gap + 2)) : new String[0];
    if (head == null || rest == null || head.length + rest.length > (gap >= 0 ? 7 : 8)
        || (gap < 0 && head.length != 8)) {
      return null;
    }
    byte[] bytes = new byte[16];
    for (int i = 0; i < head.length; i++) {
      put(bytes, i, head[i]);
    }
    for (int i = 0; i < rest.length; i++) {
      put(bytes, 8 - rest.length + i, rest[i]);
    }
    if (tail != null) {
      System.arraycopy(tail, 0, bytes, 12, 4);
    }
    return bytes;
  }

  /** The colon-separated groups of 1-4 hex digits, none for an empty text; null when one is not such a group. */
  private static String[] groups(String s) {
    if (s.isEmpty()) {
      return new String[0];
    }
    String[] groups = s.split(":", -1);
    for (String g : groups) {
      if (!g.matches("[0-9a-f]{1,4}")) {
        return null;
      }
    }
    return groups;
  }

  private static void put(byte[] bytes, int group, String hex) {
    int v = Integer.parseInt(hex, 16);
    bytes[group * 2] = (byte) (v >> 8);
    bytes[group * 2 + 1] = (byte) v;
  }

  private static boolean isIpv4Mapped(byte[] v6) {
    for (int i = 0; i < 10; i++) {
      if (v6[i] != 0) {
        return false;
      }
    }
    return v6[10] == (byte) 0xff && v6[11] == (byte) 0xff;
  }

  private static byte[] masked(byte[] address, int prefix) {
    byte[] out = new byte[address.length];
    for (int i = 0; i < address.length; i++) {
      int bitsHere = Math.max(0, Math.min(8, prefix - i * 8));
      out[i] = (byte) (address[i] & (0xff00 >> bitsHere));
    }
    return out;
  }

  /** Dotted quad, or IPv6 groups with the longest run of zero groups written as {@code ::}. */
  private static String format(byte[] address) {
    if (address.length == 4) {
      return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff);
    }
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((address[i * 2] & 0xff) << 8) | (address[i * 2 + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; i++) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CidrBlock && ((CidrBlock) o).prefixLength == prefixLength
        && Arrays.equals(((CidrBlock) o).network, network);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(network) * 31 + prefixLength;
  }

  /** As written in resilience.yaml. */
  @Override
  public String toString() {
    return written;
  }
}
