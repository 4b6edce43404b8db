package com.securebase.analytics.domain;

import java.util.Locale;

/**
 * What a query computes per group and bucket. {@link #P95} is exact: {@code percentile_cont(0.95)},
 * linear interpolation between the two nearest points, so it reads the points themselves.
 */
public enum Aggregation {
  SUM,
  AVG,
  MIN,
  MAX,
  COUNT,
  P95;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** A computed value as answers show it: a count as an integer, nothing for no value. */
  public Number number(double v) {
    if (Double.isNaN(v)) {
      return null;
    }
    return this == COUNT ? (Number) Math.round(v) : (Number) v;
  }

  /** Whether the hourly rollup (count, sum, min, max) can answer it. */
  public boolean fromRollup() {
    return this != P95;
  }
}
