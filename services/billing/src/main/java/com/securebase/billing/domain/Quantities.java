package com.securebase.billing.domain;

import com.securebase.billing.persistence.UsageStore.Aggregates;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/** A metric's billed quantity from its period aggregates, and where it is heading. */
public final class Quantities {
  private Quantities() {}

  public static BigDecimal of(Metric metric, Aggregates a) {
    if (a == null) {
      return BigDecimal.ZERO;
    }
    return switch (metric.aggregation()) {
      case COUNT -> a.count();
      case SUM -> a.sum();
      case MAX -> a.max();
      case UNIQUE_COUNT -> a.unique();
      case LATEST -> a.latest();
    };
  }

  /**
   * The quantity expected at period end: counts and sums grow at the rate seen so far; levels (max,
   * latest, distinct count) stay where they are. A past period is what it is.
   */
  public static BigDecimal projected(
      Metric metric, BigDecimal soFar, BillingPeriod period, Instant now) {
    if (!metric.aggregation().accumulates() || !now.isBefore(period.end())) {
      return soFar;
    }
    double fraction = period.elapsedFraction(now);
    return soFar.divide(BigDecimal.valueOf(fraction), 6, RoundingMode.HALF_EVEN);
  }
}
