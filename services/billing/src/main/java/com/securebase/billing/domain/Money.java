package com.securebase.billing.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Amounts are exact decimals; a line is rounded half-even to cents once, where it is priced. */
public final class Money {
  private Money() {}

  public static final BigDecimal ZERO = BigDecimal.ZERO.setScale(2);

  public static BigDecimal cents(BigDecimal exact) {
    return exact.setScale(2, RoundingMode.HALF_EVEN);
  }

  /** The wire form of an amount: two decimals, never exponent notation. */
  public static String text(BigDecimal amount) {
    return cents(amount).toPlainString();
  }

  /** A quantity on the wire: up to six decimals, no trailing zeros, never exponent notation. */
  public static String quantityText(BigDecimal quantity) {
    BigDecimal q = quantity.stripTrailingZeros();
    return (q.scale() < 0 ? q.setScale(0) : q).toPlainString();
  }
}
