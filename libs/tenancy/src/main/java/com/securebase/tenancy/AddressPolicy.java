package com.securebase.tenancy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * The SSRF guard's rule for one resolved address, for every request the platform makes to a URL a
 * tenant gave (webhook deliveries, branding logos): it may not reach loopback, private, link-local
 * (which holds the cloud metadata service at 169.254.169.254), carrier-grade NAT, unspecified or
 * multicast addresses, unless an allowlisted range (development, tests) contains the address.
 * Checked on the address the connection will actually use, so DNS answers that change between
 * validation and delivery cannot slip through.
 */
public record AddressPolicy(List<Cidr> allowlist) {

  public AddressPolicy {
    allowlist = List.copyOf(allowlist);
  }

  public static AddressPolicy parse(List<String> allowlist) {
    return new AddressPolicy(
        allowlist.stream().filter(s -> !s.isBlank()).map(Cidr::parse).toList());
  }

  /**
   * @return why the address is refused, or empty when it may be used
   */
  public Optional<String> refusal(InetAddress address) {
    for (Cidr allowed : allowlist) {
      if (allowed.contains(address)) {
        return Optional.empty();
      }
    }
    String kind = restrictedKind(address);
    return kind == null
        ? Optional.empty()
        : Optional.of(address.getHostAddress() + " is a " + kind + " address");
  }

  private static String restrictedKind(InetAddress a) {
    if (a.isLoopbackAddress()) {
      return "loopback";
    }
    if (a.isAnyLocalAddress()) {
      return "unspecified";
    }
    if (a.isLinkLocalAddress()) {
      return "link-local (metadata)";
    }
    if (a.isSiteLocalAddress() || UNIQUE_LOCAL.contains(a)) {
      return "private";
    }
    if (CARRIER_NAT.contains(a)) {
      return "shared (carrier-grade NAT)";
    }
    if (a.isMulticastAddress()) {
      return "multicast";
    }
    if (a instanceof Inet6Address v6 && mappedV4(v6) != null) {
      // ::ffff:10.0.0.1 and friends reach the IPv4 address: judge that one.
      return restrictedKind(mappedV4(v6));
    }
    if (METADATA_V6.contains(a)) {
      return "link-local (metadata)";
    }
    return null;
  }

  private static InetAddress mappedV4(Inet6Address v6) {
    byte[] b = v6.getAddress();
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return null;
      }
    }
    if ((b[10] & 0xff) != 0xff || (b[11] & 0xff) != 0xff) {
      return null;
    }
    try {
      return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static final Cidr UNIQUE_LOCAL = Cidr.parse("fc00::/7");
  private static final Cidr CARRIER_NAT = Cidr.parse("100.64.0.0/10");
  private static final Cidr METADATA_V6 = Cidr.parse("fd00:ec2::254/128");

  /** An address range such as {@code 127.0.0.0/8} or {@code ::1/128}. */
  public record Cidr(byte[] network, int prefix) {
    public static Cidr parse(String text) {
      String[] parts = text.trim().split("/", 2);
      try {
        byte[] address = literal(parts[0]).getAddress();
        int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : address.length * 8;
        if (prefix < 0 || prefix > address.length * 8) {
          throw new IllegalArgumentException("Bad prefix length in " + text);
        }
        return new Cidr(address, prefix);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("Not an address range: " + text, e);
      }
    }

    public boolean contains(InetAddress address) {
      byte[] a = address.getAddress();
      if (a.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (a[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (a[full] & mask) == (network[full] & mask);
    }
  }

  /** Parses an IP literal without ever consulting DNS. */
  public static InetAddress literal(String text) {
    String t =
        text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    boolean v4 = t.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    boolean v6 = t.contains(":") && t.matches("[0-9A-Fa-f:.]+");
    if (!v4 && !v6) {
      throw new IllegalArgumentException("Not an IP address: " + text);
    }
    try {
      return InetAddress.getByName(t); // a literal (checked above): no lookup happens
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("Not an IP address: " + text, e);
    }
  }

  /** Whether a URL host is an IP literal (checked at creation) rather than a name. */
  public static boolean isLiteral(String host) {
    try {
      literal(host);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
