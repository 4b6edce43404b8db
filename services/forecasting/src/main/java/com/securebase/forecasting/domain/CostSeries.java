package com.securebase.forecasting.domain;

import java.time.LocalDate;

/**
 * Consecutive periods of one service's cost (or the total's when {@code service} is null), a period
 * without a stored cost counting as zero.
 */
public record CostSeries(
    String service, Granularity granularity, String currency, LocalDate first, double[] values) {

  public LocalDate periodStart(int index) {
    return granularity.plus(first, index);
  }

  /** The start of the period after the last one. */
  public LocalDate next() {
    return granularity.plus(first, values.length);
  }
}
