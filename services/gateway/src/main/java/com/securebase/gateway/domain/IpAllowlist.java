package com.securebase.gateway.domain;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** A tenant's allowed client networks (CIDR blocks, IPv4 or IPv6); empty allows every address. */
public final class IpAllowlist {
  private final List<Block> blocks;

  private IpAllowlist(List<Block> blocks) {
    this.blocks = blocks;
  }

  /**
   * @throws IllegalArgumentException naming the first entry that is not a CIDR block or address
   */
  public static IpAllowlist parse(List<String> cidrs) {
    return new IpAllowlist(cidrs.stream().map(Block::parse).toList());
  }

  public boolean allows(String address) {
    if (blocks.isEmpty()) {
      return true;
    }
    byte[] bytes;
    try {
      bytes = InetAddress.getByName(address).getAddress();
    } catch (UnknownHostException e) {
      return false;
    }
    return blocks.stream().anyMatch(b -> b.contains(bytes));
  }

  private record Block(byte[] network, int prefix) {
    static Block parse(String cidr) {
      String[] parts = cidr.trim().split("/", 2);
      if (!parts[0].matches("[0-9a-fA-F:.]+")) { // literal addresses only: never a DNS lookup
        throw new IllegalArgumentException("'" + cidr + "' is not an IP address or CIDR block");
      }
      try {
        byte[] network = InetAddress.getByName(parts[0]).getAddress();
        int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : network.length * 8;
        if (prefix < 0 || prefix > network.length * 8) {
          throw new IllegalArgumentException("'" + cidr + "' has an invalid prefix length");
        }
        return new Block(network, prefix);
      } catch (UnknownHostException | NumberFormatException e) {
        throw new IllegalArgumentException("'" + cidr + "' is not an IP address or CIDR block", e);
      }
    }

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int bits = network.length * 8;
      BigInteger mask =
          BigInteger.ONE
              .shiftLeft(bits)
              .subtract(BigInteger.ONE)
              .shiftRight(prefix)
              .not()
              .and(BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE));
      return new BigInteger(1, address).and(mask).equals(new BigInteger(1, network).and(mask));
    }
  }
}
