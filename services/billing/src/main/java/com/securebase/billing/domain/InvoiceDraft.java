package com.securebase.billing.domain;

import com.securebase.billing.persistence.UsageStore.Aggregates;
import java.math.BigDecimal;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The lines and totals of one tenant's invoice for a period, from its usage aggregates and the
 * price book of the tier in force at period end: the base fee (one line per tier segment when the
 * tier changed, see {@link Proration}), then one line per charge of the book, in metric order, zero
 * lines included so the customer sees every metric. Deterministic: the same inputs give the same
 * lines, so a re-run reproduces an invoice exactly.
 */
public record InvoiceDraft(String tier, PriceBook book, List<Line> lines, InvoiceTotals totals) {
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH);

  public record Line(
      String kind,
      String description,
      String metricCode,
      ChargeModel model,
      BigDecimal quantity,
      BigDecimal amount) {}

  public static InvoiceDraft of(
      BillingPeriod period,
      NavigableMap<java.time.LocalDate, String> tierHistory,
      String currentTier,
      Function<String, PriceBook> bookOfTier,
      Map<String, Metric> metrics,
      Map<String, Aggregates> aggregates,
      BigDecimal taxRate) {
    // Before the first tier billing heard of, that first tier applies (no proration of a start).
    String earliest = tierHistory.isEmpty() ? currentTier : tierHistory.firstEntry().getValue();
    var lastDay = tierHistory.floorEntry(period.firstDay().plusDays(period.days() - 1L));
    String tier = lastDay == null ? earliest : lastDay.getValue();
    PriceBook book = bookOfTier.apply(tier);
    List<Line> lines = new ArrayList<>();
    for (Proration.Segment s :
        Proration.baseFee(period, tierHistory, earliest, t -> bookOfTier.apply(t).baseFee())) {
      String description =
          s.days() == period.days()
              ? "Base fee, " + s.tier() + " tier, " + period
              : String.format(
                  Locale.ENGLISH,
                  "Base fee, %s tier, %s to %s (%d of %d days)",
                  s.tier(),
                  DAY.format(s.from()),
                  DAY.format(s.until().minusDays(1)),
                  s.days(),
                  period.days());
      lines.add(new Line("base_fee", description, null, null, null, s.amount()));
    }
    for (Charge charge : new TreeMap<>(book.charges()).values()) {
      Metric metric = metrics.get(charge.metricCode());
      BigDecimal quantity = Quantities.of(metric, aggregates.get(charge.metricCode()));
      lines.add(
          new Line(
              "usage",
              metric.name() + " (" + metric.aggregation().code() + " of " + metric.unit() + ")",
              charge.metricCode(),
              charge.model(),
              quantity,
              Money.cents(charge.amount(quantity))));
    }
    return new InvoiceDraft(
        tier, book, lines, InvoiceTotals.of(lines.stream().map(Line::amount).toList(), taxRate));
  }
}
