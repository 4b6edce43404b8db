package com.securebase.billing.domain;

import java.util.Locale;

/** How a metric's records in one period become one quantity. */
public enum Aggregation {
  COUNT,
  SUM,
  MAX,
  /** Distinct values of one record property. */
  UNIQUE_COUNT,
  /** The quantity of the record with the latest timestamp. */
  LATEST;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Aggregation of(String code) {
    return valueOf(code.toUpperCase(Locale.ROOT));
  }

  /**
   * Whether the quantity grows with time through the period, so the projection at period end
   * extrapolates it; a max, a latest value or a distinct count is a level, projected as it is.
   */
  public boolean accumulates() {
    return this == COUNT || this == SUM;
  }
}
