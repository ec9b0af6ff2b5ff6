package io.scriptohio.gateway.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address range in CIDR notation ({@code 10.0.0.0/8}, {@code ::1/128}). Immutable
 * and thread-safe. An IPv4 address never matches an IPv6 range and the other way round, except
 * that IPv4-mapped IPv6 addresses ({@code ::ffff:10.1.2.3}) are compared as IPv4.
 */
public final class CidrRange {

  /** Only literal addresses are accepted, so parsing never triggers a DNS lookup. */
  private static final Pattern LITERAL =
      Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  private final byte[] network;
  private final int prefixLength;
  private final String text;

  private CidrRange(byte[] network, int prefixLength, String text) {
    this.network = network;
    this.prefixLength = prefixLength;
    this.text = text;
  }

  /**
   * Parses {@code address/prefix}; a bare address is a range of one.
   *
   * @throws IllegalArgumentException when the text is not a literal address with a valid prefix
   */
  public static CidrRange parse(String text) {
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    byte[] bytes = literal(address);
    if (bytes == null) {
      throw new IllegalArgumentException("not an IP address: " + address);
    }
    int prefix = bytes.length * 8;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(text.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("invalid prefix length in " + text, e);
      }
    }
    if (prefix < 0 || prefix > bytes.length * 8) {
      throw new IllegalArgumentException("prefix length out of range in " + text);
    }
    return new CidrRange(bytes, prefix, text);
  }

  /** Returns whether the literal address lies in the range; false for anything unparseable. */
  public boolean contains(String address) {
    byte[] bytes = literal(address);
    if (bytes == null || bytes.length != network.length) {
      return false;
    }
    int fullBytes = prefixLength / 8;
    for (int i = 0; i < fullBytes; i++) {
      if (bytes[i] != network[i]) {
        return false;
      }
    }
    int remainingBits = prefixLength % 8;
    if (remainingBits == 0) {
      return true;
    }
    int mask = (0xFF << (8 - remainingBits)) & 0xFF;
    return (bytes[fullBytes] & mask) == (network[fullBytes] & mask);
  }

  @Override
  public String toString() {
    return text;
  }

  private static byte[] literal(String address) {
    if (address == null) {
      return null;
    }
    String trimmed = address.trim();
    if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
      trimmed = trimmed.substring(1, trimmed.length() - 1);
    }
    if (trimmed.isEmpty() || !LITERAL.matcher(trimmed).matches()) {
      return null;
    }
    try {
      // getByName with a literal parses it and returns IPv4-mapped IPv6 addresses as IPv4.
      return InetAddress.getByName(trimmed).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
