package com.securebase.billing.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securebase.billing.domain.Charge.Tier;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each charge model against examples worked by hand; the arithmetic is in the comments. */
class ChargeTest {
  private static BigDecimal d(String v) {
    return new BigDecimal(v);
  }

  private static final List<Tier> TIERS =
      List.of(
          new Tier(d("10"), d("0"), d("0")),
          new Tier(d("50"), d("20.00"), d("5.00")),
          new Tier(null, d("15.00"), d("0")));

  @Test
  void standardIsUnitsTimesPrice() {
    Charge c =
        new Charge("nat_gateway_gb", ChargeModel.STANDARD, d("0.045"), null, null, null, null);
    // 1234.5 GB × 0.045 = 55.5525 → line 55.55 (half-even: the 5th decimal is 2, rounds down)
    assertThat(c.amount(d("1234.5"))).isEqualByComparingTo("55.5525");
    assertThat(Money.cents(c.amount(d("1234.5")))).isEqualByComparingTo("55.55");
    assertThat(c.amount(BigDecimal.ZERO)).isEqualByComparingTo("0");
  }

  @Test
  void graduatedPricesEachUnitInItsTier() {
    Charge c = new Charge("accounts", ChargeModel.GRADUATED, null, TIERS, null, null, null);
    // 7 accounts: all in tier 1 (free) → 0
    assertThat(c.amount(d("7"))).isEqualByComparingTo("0");
    // 10 accounts: the bound is inclusive, still tier 1 → 0, and tier 2's flat fee not reached
    assertThat(c.amount(d("10"))).isEqualByComparingTo("0");
    // 11: 10 × 0 + 1 × 20.00 + flat 5.00 = 25.00
    assertThat(c.amount(d("11"))).isEqualByComparingTo("25.00");
    // 65: 10 × 0 + 40 × 20.00 + 5.00 + 15 × 15.00 = 800 + 5 + 225 = 1030.00
    assertThat(c.amount(d("65"))).isEqualByComparingTo("1030.00");
  }

  @Test
  void volumePricesEveryUnitAtTheTierOfTheTotal() {
    Charge c = new Charge("log_storage_gb", ChargeModel.VOLUME, null, TIERS, null, null, null);
    // 50: the whole 50 in tier 2 → 50 × 20.00 + 5.00 = 1005.00
    assertThat(c.amount(d("50"))).isEqualByComparingTo("1005.00");
    // 65: the whole 65 in tier 3 → 65 × 15.00 = 975.00 (less than 50 units: that is volume pricing)
    assertThat(c.amount(d("65"))).isEqualByComparingTo("975.00");
    // nothing used, nothing charged, not even a flat fee
    assertThat(c.amount(BigDecimal.ZERO)).isEqualByComparingTo("0");
  }

  @Test
  void packageChargesStartedPackagesAfterTheFreeUnits() {
    Charge c =
        new Charge(
            "cloudtrail_events",
            ChargeModel.PACKAGE,
            null,
            null,
            d("100000"),
            d("2.00"),
            d("1000000"));
    // within the free million → 0
    assertThat(c.amount(d("1000000"))).isEqualByComparingTo("0");
    // 1,000,001: one unit past the free ones starts a package → 1 × 2.00
    assertThat(c.amount(d("1000001"))).isEqualByComparingTo("2.00");
    // 2,350,000: 1,350,000 billable / 100,000 = 13.5 → 14 packages × 2.00 = 28.00
    assertThat(c.amount(d("2350000"))).isEqualByComparingTo("28.00");
  }

  @Test
  void malformedPricesAreRefused() {
    assertThatThrownBy(
            () ->
                new Charge(
                    "x",
                    ChargeModel.GRADUATED,
                    null,
                    List.of(new Tier(d("10"), d("1"), d("0")), new Tier(d("5"), d("1"), d("0"))),
                    null,
                    null,
                    null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Charge("x", ChargeModel.PACKAGE, null, null, d("0"), d("1"), null))
        .isInstanceOf(IllegalArgumentException.class);
    Charge std = new Charge("x", ChargeModel.STANDARD, d("1"), null, null, null, null);
    assertThatThrownBy(() -> std.amount(d("-1"))).isInstanceOf(IllegalArgumentException.class);
  }
}
