package dev.levee.core.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrBlockTest {

  @ParameterizedTest(name = "{0} holds {1}: {2}")
  @CsvSource({
    "10.0.0.0/8,        10.255.1.2,        true",
    "10.0.0.0/8,        11.0.0.0,          false",
    "192.168.1.7,       192.168.1.7,       true",
    "192.168.1.7,       192.168.1.6,       false",
    "172.16.0.0/12,     172.31.255.255,    true",
    "172.16.0.0/12,     172.32.0.0,        false",
    "0.0.0.0/0,         203.0.113.9,       true",
    "0.0.0.0/0,         ::1,               false",
    "::/0,              2001:db8::1,       true",
    "::1,               0:0:0:0:0:0:0:1,   true",
    "fd00::/8,          fdff:1:2:3::4,     true",
    "fd00::/8,          fe00::,            false",
    "fe80::/10,         fe80::1%eth0,      true",
    "fe80::/10,         [fe80::2],         true",
    "10.0.0.0/8,        ::ffff:10.1.2.3,   true",
    "2001:db8::/32,     2001:db8:0:0:0:0:0:1, true",
    "2001:db8::/32,     2001:db9::1,       false",
    "10.0.0.0/8,        10.0.0,            false",
    "10.0.0.0/8,        010.0.0.1,         false",
  })
  void contains(String block, String address, boolean held) {
    assertEquals(held, CidrBlock.parse(block).contains(CidrBlock.address(address)));
  }

  @Test
  void addressLiteralsOnly() {
    assertArrayEquals(new byte[] {127, 0, 0, 1}, CidrBlock.address("127.0.0.1"));
    assertArrayEquals(new byte[] {10, 1, 2, 3}, CidrBlock.address("0:0:0:0:0:ffff:a01:203"));
    assertEquals(16, CidrBlock.address("::").length);
    assertNull(CidrBlock.address("localhost"), "never a name lookup");
    assertNull(CidrBlock.address("1::2::3"));
    assertNull(CidrBlock.address("1:2:3:4:5:6:7:8:9"));
    assertNull(CidrBlock.address("256.0.0.1"));
    assertNull(CidrBlock.address(null));
  }

  @Test
  void equalWhenTheyHoldTheSameAddresses() {
    assertEquals(CidrBlock.parse("fd00::/8"), CidrBlock.parse("FD00:0::/8"));
    assertEquals(CidrBlock.parse("10.1.2.3"), CidrBlock.parse("10.1.2.3/32"));
    assertFalse(CidrBlock.parse("10.0.0.0/8").equals(CidrBlock.parse("10.0.0.0/9")));
    assertTrue(CidrBlock.parse("::/0").isWholeFamily());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "10.1.2.3/8      | '10.1.2.3/8' has address bits set past its /8 prefix | 10.0.0.0/8",
    "fd00::1/8       | 'fd00::1/8' has address bits set past its /8 prefix | fd00::/8",
    "2001:db8:1::/16 | '2001:db8:1::/16' has address bits set past its /16 prefix | 2001::/16",
    "10.0.0.0/33     | '10.0.0.0/33': the prefix length must be a whole number from 0 to 32 for an IPv4 address | ",
    "::/129          | '::/129': the prefix length must be a whole number from 0 to 128 for an IPv6 address | ",
    "10.0.0.0/x      | '10.0.0.0/x': the prefix length must be a whole number from 0 to 32 for an IPv4 address | ",
    "localhost       | 'localhost' is a host name: trusted peers are IP addresses or CIDR blocks (Levee looks up no names) | 127.0.0.1",
    "lb.internal/24  | 'lb.internal/24' is a host name: trusted peers are IP addresses or CIDR blocks (Levee looks up no names) | ",
    "[fd00::]/8      | '[fd00::]/8': write an IPv6 block without brackets | fd00::/8",
    "10.0.0/8        | '10.0.0/8' is not an IP address or CIDR block such as 10.0.0.0/8 or fd00::/8 | ",
    "10.*            | '10.*' is not an IP address or CIDR block such as 10.0.0.0/8 or fd00::/8 | ",
  })
  void invalidBlocksSayWhyAndWhatWasMeant(String text, String message, String suggestion) {
    CidrBlock.Invalid e = assertThrows(CidrBlock.Invalid.class, () -> CidrBlock.parse(text));
    assertEquals(message, e.getMessage());
    assertEquals(suggestion, e.suggestion());
  }
}
