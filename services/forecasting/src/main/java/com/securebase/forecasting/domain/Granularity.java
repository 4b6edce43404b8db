package com.securebase.forecasting.domain;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The length of one cost period and the season the models look for in it: a year of months, or a
 * week of days (weekday and weekend spend differ more than days of the year).
 */
public enum Granularity {
  DAY(7),
  MONTH(12);

  private final int seasonLength;

  Granularity(int seasonLength) {
    this.seasonLength = seasonLength;
  }

  public int seasonLength() {
    return seasonLength;
  }

  @JsonValue
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Granularity fromCode(String code) {
    return valueOf(code.toUpperCase(Locale.ROOT));
  }

  /** The start of the period that contains {@code day}. */
  public LocalDate periodOf(LocalDate day) {
    return this == MONTH ? day.withDayOfMonth(1) : day;
  }

  public LocalDate plus(LocalDate periodStart, long periods) {
    return this == MONTH ? periodStart.plusMonths(periods) : periodStart.plusDays(periods);
  }

  /** Whole periods from {@code from} to {@code to} (both period starts). */
  public int between(LocalDate from, LocalDate to) {
    return (int)
        (this == MONTH ? ChronoUnit.MONTHS.between(from, to) : ChronoUnit.DAYS.between(from, to));
  }

  /** How many periods of this granularity a horizon of whole months after {@code first} spans. */
  public int periodsIn(LocalDate first, int months) {
    return between(first, first.plusMonths(months));
  }
}
