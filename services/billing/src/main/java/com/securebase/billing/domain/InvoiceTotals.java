package com.securebase.billing.domain;

import java.math.BigDecimal;
import java.util.List;

/**
 * Subtotal, volume discount and tax of an invoice from its (already rounded) line amounts: 5% off
 * when the subtotal exceeds 5,000.00 (5,000.00 itself gets none), tax at the tenant's rate on what
 * remains, each rounded half-even to cents.
 */
public record InvoiceTotals(
    BigDecimal subtotal,
    BigDecimal discount,
    BigDecimal taxRate,
    BigDecimal tax,
    BigDecimal total) {
  public static final BigDecimal DISCOUNT_ABOVE = new BigDecimal("5000.00");
  public static final BigDecimal DISCOUNT_RATE = new BigDecimal("0.05");
  public static final BigDecimal DEFAULT_TAX_RATE = new BigDecimal("0.08");

  public static InvoiceTotals of(List<BigDecimal> lineAmounts, BigDecimal taxRate) {
    BigDecimal subtotal = Money.ZERO;
    for (BigDecimal amount : lineAmounts) {
      subtotal = subtotal.add(amount);
    }
    BigDecimal discount =
        subtotal.compareTo(DISCOUNT_ABOVE) > 0
            ? Money.cents(subtotal.multiply(DISCOUNT_RATE))
            : Money.ZERO;
    BigDecimal taxable = subtotal.subtract(discount);
    BigDecimal tax = Money.cents(taxable.multiply(taxRate));
    return new InvoiceTotals(subtotal, discount, taxRate, tax, taxable.add(tax));
  }
}
