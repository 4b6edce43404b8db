package com.securebase.billing.domain;

import java.util.Locale;

/** How a metric's aggregated quantity becomes an amount (Lago's charge models). */
public enum ChargeModel {
  /** Every unit at one price. */
  STANDARD,
  /** Each unit at the price of the tier it falls in; a tier's flat fee once it is reached. */
  GRADUATED,
  /** Every unit at the price of the tier the whole quantity falls in, plus that tier's flat fee. */
  VOLUME,
  /** Whole packages of units after the free units; a started package is a full package. */
  PACKAGE;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ChargeModel of(String code) {
    return valueOf(code.toUpperCase(Locale.ROOT));
  }
}
