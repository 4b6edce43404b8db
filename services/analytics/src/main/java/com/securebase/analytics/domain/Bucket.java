package com.securebase.analytics.domain;

import java.time.Duration;
import java.util.Locale;

/**
 * The time bucket of a query, truncated in the query's time zone (a day across a DST change is 23
 * or 25 hours long; weeks start on Monday, ISO 8601).
 */
public enum Bucket {
  HOUR(Duration.ofHours(1)),
  DAY(Duration.ofDays(1)),
  WEEK(Duration.ofDays(7)),
  MONTH(Duration.ofDays(28));

  /** The shortest length of one bucket, to bound how many a range holds. */
  public final Duration shortest;

  Bucket(Duration shortest) {
    this.shortest = shortest;
  }

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
