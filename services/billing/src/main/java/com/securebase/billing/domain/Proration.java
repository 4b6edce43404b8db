package com.securebase.billing.domain;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.function.Function;

/**
 * The base fee of a period in which the tier changed: each tier is charged for the days it was in
 * force (a change takes effect from the UTC day it happened), as {@code fee × days / days in
 * month}, each segment a line rounded to cents. A period without a change is one full line.
 */
public final class Proration {
  private Proration() {}

  public record Segment(
      String tier, LocalDate from, LocalDate until, int days, BigDecimal amount) {}

  /**
   * @param tierFrom the tier in force from each day on (the entry at or before the period's first
   *     day gives the starting tier; a tenant billing never heard of starts as {@code fallback})
   * @param baseFee the monthly base fee of a tier
   */
  public static List<Segment> baseFee(
      BillingPeriod period,
      NavigableMap<LocalDate, String> tierFrom,
      String fallback,
      Function<String, BigDecimal> baseFee) {
    LocalDate first = period.firstDay();
    LocalDate end = first.plusDays(period.days());
    var start = tierFrom.floorEntry(first);
    String tier = start == null ? fallback : start.getValue();
    List<Segment> raw = new ArrayList<>();
    LocalDate from = first;
    for (var change : tierFrom.subMap(first, false, end, false).entrySet()) {
      if (!change.getValue().equals(tier)) {
        raw.add(segment(period, tier, from, change.getKey(), baseFee));
        tier = change.getValue();
        from = change.getKey();
      }
    }
    raw.add(segment(period, tier, from, end, baseFee));
    return raw;
  }

  private static Segment segment(
      BillingPeriod period,
      String tier,
      LocalDate from,
      LocalDate until,
      Function<String, BigDecimal> baseFee) {
    int days = (int) java.time.temporal.ChronoUnit.DAYS.between(from, until);
    BigDecimal fee = baseFee.apply(tier);
    BigDecimal amount =
        days == period.days()
            ? fee
            : fee.multiply(BigDecimal.valueOf(days))
                .divide(BigDecimal.valueOf(period.days()), MathContext.DECIMAL128);
    return new Segment(tier, from, until, days, Money.cents(amount));
  }
}
