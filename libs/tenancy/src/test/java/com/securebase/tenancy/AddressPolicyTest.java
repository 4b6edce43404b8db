package com.securebase.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SSRF rule for URLs tenants give: internal ranges refused unless allowlisted. */
class AddressPolicyTest {
  @Test
  void theAddressPolicyRefusesInternalRangesUnlessAllowlisted() throws Exception {
    AddressPolicy strict = AddressPolicy.parse(List.of());
    for (String refused :
        List.of(
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fe80::1",
            "fc00::1",
            "fd00:ec2::254",
            "::ffff:10.0.0.1",
            "224.0.0.1")) {
      assertThat(strict.refusal(AddressPolicy.literal(refused))).as(refused).isPresent();
    }
    for (String allowed : List.of("93.184.216.34", "1.1.1.1", "2606:4700:4700::1111")) {
      assertThat(strict.refusal(AddressPolicy.literal(allowed))).as(allowed).isEmpty();
    }
    AddressPolicy dev = AddressPolicy.parse(List.of("127.0.0.0/8", "10.1.0.0/16"));
    assertThat(dev.refusal(AddressPolicy.literal("127.0.0.1"))).isEmpty();
    assertThat(dev.refusal(AddressPolicy.literal("10.1.200.3"))).isEmpty();
    assertThat(dev.refusal(AddressPolicy.literal("10.2.0.1"))).isPresent();
    assertThat(AddressPolicy.isLiteral("[::1]")).isTrue();
    assertThat(AddressPolicy.isLiteral("example.com")).isFalse();
    assertThat(AddressPolicy.literal("1.2.3.4")).isEqualTo(InetAddress.getByName("1.2.3.4"));
  }
}
