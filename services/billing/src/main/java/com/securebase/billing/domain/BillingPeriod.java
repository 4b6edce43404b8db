package com.securebase.billing.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** A calendar month in UTC, start inclusive and end exclusive. */
public record BillingPeriod(YearMonth month) {
  public static BillingPeriod containing(Instant at) {
    return new BillingPeriod(YearMonth.from(at.atOffset(ZoneOffset.UTC)));
  }

  public static BillingPeriod of(String yearMonth) {
    return new BillingPeriod(YearMonth.parse(yearMonth));
  }

  public Instant start() {
    return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  public Instant end() {
    return month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  public LocalDate firstDay() {
    return month.atDay(1);
  }

  public int days() {
    return month.lengthOfMonth();
  }

  public BillingPeriod previous() {
    return new BillingPeriod(month.minusMonths(1));
  }

  public boolean contains(Instant at) {
    return !at.isBefore(start()) && at.isBefore(end());
  }

  /** How much of the period has passed at {@code now}, in (0, 1]. */
  public double elapsedFraction(Instant now) {
    long total = ChronoUnit.MILLIS.between(start(), end());
    long gone = Math.max(1, Math.min(total, ChronoUnit.MILLIS.between(start(), now)));
    return (double) gone / total;
  }

  @Override
  public String toString() {
    return month.toString();
  }
}
