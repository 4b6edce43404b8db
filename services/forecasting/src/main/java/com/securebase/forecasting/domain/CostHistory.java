package com.securebase.forecasting.domain;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A tenant's stored costs read as series. A monthly series adds the month rows (imports by month,
 * SecureBase's invoices) and the day rows of each month; a daily series has day rows only. A series
 * covers the periods from the tenant's first cost in that currency to its last one that is over by
 * {@code today}: the period still running is not history yet (it would read as a drop). Every
 * service's series covers the same periods as the total, zero where it had no cost, so their
 * forecasts add up to the total's.
 */
public final class CostHistory {
  /** Daily history beyond two years adds fitting time and no information about a weekly season. */
  public static final int MAX_DAILY_POINTS = 730;

  private final List<CostPoint> points;

  public CostHistory(List<CostPoint> points) {
    this.points = List.copyOf(points);
  }

  public Set<String> currencies() {
    Set<String> out = new TreeSet<>();
    points.forEach(p -> out.add(p.currency()));
    return out;
  }

  /** The total's series and each service's, over the same periods; empty when nothing is over. */
  public Series series(Granularity g, String currency, LocalDate today) {
    LocalDate running = g.periodOf(today);
    Map<String, TreeMap<LocalDate, Double>> byService = new TreeMap<>();
    LocalDate first = null;
    LocalDate last = null;
    for (CostPoint p : points) {
      if (!p.currency().equals(currency) || (g == Granularity.DAY && p.granularity() != g)) {
        continue;
      }
      LocalDate period = g.periodOf(p.periodStart());
      if (!period.isBefore(running)) {
        continue;
      }
      byService
          .computeIfAbsent(p.service(), s -> new TreeMap<>())
          .merge(period, p.amount().doubleValue(), Double::sum);
      first = first == null || period.isBefore(first) ? period : first;
      last = last == null || period.isAfter(last) ? period : last;
    }
    if (first == null) {
      return new Series(new CostSeries(null, g, currency, running, new double[0]), Map.of());
    }
    if (g == Granularity.DAY && g.between(first, last) >= MAX_DAILY_POINTS) {
      first = g.plus(last, -(MAX_DAILY_POINTS - 1));
    }
    int n = g.between(first, last) + 1;
    double[] total = new double[n];
    Map<String, CostSeries> services = new TreeMap<>();
    for (var e : byService.entrySet()) {
      double[] values = new double[n];
      for (var v : e.getValue().entrySet()) {
        int i = g.between(first, v.getKey());
        if (i >= 0) {
          values[i] = v.getValue();
          total[i] += v.getValue();
        }
      }
      services.put(e.getKey(), new CostSeries(e.getKey(), g, currency, first, values));
    }
    return new Series(new CostSeries(null, g, currency, first, total), services);
  }

  /**
   * Spend in {@code [from, to)} in {@code currency}, of one service or (null) all: month rows count
   * when their month starts in the range, day rows when their day is in it.
   */
  public BigDecimal spend(String service, String currency, LocalDate from, LocalDate to) {
    BigDecimal sum = BigDecimal.ZERO;
    for (CostPoint p : points) {
      if (p.currency().equals(currency)
          && (service == null || service.equals(p.service()))
          && !p.periodStart().isBefore(from)
          && p.periodStart().isBefore(to)) {
        sum = sum.add(p.amount());
      }
    }
    return sum;
  }

  /** The total and the per-service series over the same periods. */
  public record Series(CostSeries total, Map<String, CostSeries> services) {
    public boolean isEmpty() {
      return total.values().length == 0;
    }
  }
}
