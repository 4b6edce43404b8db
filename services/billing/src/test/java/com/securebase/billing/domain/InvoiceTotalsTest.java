package com.securebase.billing.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Discount and tax boundaries and half-even cases, worked by hand. */
class InvoiceTotalsTest {
  private static BigDecimal d(String v) {
    return new BigDecimal(v);
  }

  @Test
  void exactlyFiveThousandHasNoDiscount() {
    InvoiceTotals t = InvoiceTotals.of(List.of(d("2000.00"), d("3000.00")), d("0.08"));
    // 5,000.00 does not exceed 5,000.00: no discount; tax 5,000.00 × 0.08 = 400.00
    assertThat(t.subtotal()).isEqualByComparingTo("5000.00");
    assertThat(t.discount()).isEqualByComparingTo("0.00");
    assertThat(t.tax()).isEqualByComparingTo("400.00");
    assertThat(t.total()).isEqualByComparingTo("5400.00");
  }

  @Test
  void oneCentAboveGetsFivePercent() {
    InvoiceTotals t = InvoiceTotals.of(List.of(d("5000.01")), d("0.08"));
    // discount 5,000.01 × 0.05 = 250.0005 → 250.00 (half-even, below half)
    // taxable 4,750.01 × 0.08 = 380.0008 → 380.00; total 4,750.01 + 380.00 = 5,130.01
    assertThat(t.discount()).isEqualByComparingTo("250.00");
    assertThat(t.tax()).isEqualByComparingTo("380.00");
    assertThat(t.total()).isEqualByComparingTo("5130.01");
  }

  @Test
  void halvesRoundToEven() {
    // 0.125 → 0.12 (2 is even), 0.135 → 0.14 (4 is even), 2.675 → 2.68
    assertThat(Money.cents(d("0.125"))).isEqualByComparingTo("0.12");
    assertThat(Money.cents(d("0.135"))).isEqualByComparingTo("0.14");
    assertThat(Money.cents(d("2.675"))).isEqualByComparingTo("2.68");
    // tax 10.00 × 0.0625 = 0.625 → 0.62; 30.00 × 0.0625 = 1.875 → 1.88
    assertThat(InvoiceTotals.of(List.of(d("10.00")), d("0.0625")).tax())
        .isEqualByComparingTo("0.62");
    assertThat(InvoiceTotals.of(List.of(d("30.00")), d("0.0625")).tax())
        .isEqualByComparingTo("1.88");
  }

  @Test
  void aTierChangeProratesTheBaseFeeByDay() {
    // June 2026 has 30 days. standard (2,000) until the 11th, fintech (8,000) from the 11th on:
    // standard 10 days: 2,000 × 10 / 30 = 666.666… → 666.67
    // fintech 20 days: 8,000 × 20 / 30 = 5,333.333… → 5,333.33
    TreeMap<java.time.LocalDate, String> history = new TreeMap<>();
    history.put(java.time.LocalDate.parse("2026-01-05"), "standard");
    history.put(java.time.LocalDate.parse("2026-06-11"), "fintech");
    var segments =
        Proration.baseFee(
            BillingPeriod.of("2026-06"),
            history,
            "standard",
            tier -> tier.equals("standard") ? d("2000.00") : d("8000.00"));
    assertThat(segments).hasSize(2);
    assertThat(segments.get(0).tier()).isEqualTo("standard");
    assertThat(segments.get(0).days()).isEqualTo(10);
    assertThat(segments.get(0).amount()).isEqualByComparingTo("666.67");
    assertThat(segments.get(1).tier()).isEqualTo("fintech");
    assertThat(segments.get(1).days()).isEqualTo(20);
    assertThat(segments.get(1).amount()).isEqualByComparingTo("5333.33");
    // the following month has no change: one full line at the new tier
    var july =
        Proration.baseFee(BillingPeriod.of("2026-07"), history, "standard", tier -> d("8000.00"));
    assertThat(july).hasSize(1);
    assertThat(july.get(0).amount()).isEqualByComparingTo("8000.00");
    assertThat(july.get(0).days()).isEqualTo(31);
  }

  @Test
  void theLifecycleAllowsOnlyItsMoves() {
    assertThat(InvoiceStatus.DRAFT.canMoveTo(InvoiceStatus.FINALIZED)).isTrue();
    assertThat(InvoiceStatus.DRAFT.canMoveTo(InvoiceStatus.PAID)).isFalse();
    assertThat(InvoiceStatus.FINALIZED.canMoveTo(InvoiceStatus.PAID)).isTrue();
    assertThat(InvoiceStatus.FINALIZED.canMoveTo(InvoiceStatus.VOID)).isTrue();
    assertThat(InvoiceStatus.PAID.canMoveTo(InvoiceStatus.VOID)).isFalse();
    assertThat(InvoiceStatus.VOID.canMoveTo(InvoiceStatus.PAID)).isFalse();
  }
}
