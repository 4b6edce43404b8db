package com.securebase.forecasting.domain;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Findings a cost owner should act on, each explained with the figures behind it: a service whose
 * monthly cost rises significantly (Mann-Kendall over the last twelve months), a budget the
 * forecast exceeds (and the first month it does), and a service with recurring anomalies.
 */
public final class Recommendations {
  /** Months of history the trend rule reads: long enough for the test, recent enough to matter. */
  static final int TREND_MONTHS = 12;

  /** Anomalies within a year from which a service's anomalies count as recurring. */
  static final int RECURRING = 3;

  /** Months ahead the budget rule looks. */
  static final int BUDGET_MONTHS = 12;

  private Recommendations() {}

  public record Finding(
      String kind,
      String service,
      UUID budgetId,
      String title,
      String explanation,
      Map<String, Object> figures) {}

  public record AnomalyPoint(String service, Granularity granularity, LocalDate periodStart) {}

  public static List<Finding> of(
      CostHistory history,
      List<Budget> budgets,
      List<AnomalyPoint> anomalies,
      LocalDate today,
      ForecastEngine engine) {
    List<Finding> out = new ArrayList<>();
    for (String currency : history.currencies()) {
      CostHistory.Series s = history.series(Granularity.MONTH, currency, today);
      s.services().values().forEach(series -> rising(series).ifPresent(out::add));
    }
    for (Budget b : budgets) {
      atRisk(history, b, today, engine).ifPresent(out::add);
    }
    out.addAll(recurring(anomalies, today));
    return out;
  }

  static java.util.Optional<Finding> rising(CostSeries series) {
    double[] v = series.values();
    if (v.length < TREND_MONTHS) {
      return java.util.Optional.empty();
    }
    double[] recent = Arrays.copyOfRange(v, v.length - TREND_MONTHS, v.length);
    Trend t = Trend.of(recent);
    if (!t.label().equals("increasing")) {
      return java.util.Optional.empty();
    }
    double first = recent[0];
    double last = recent[recent.length - 1];
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("months", TREND_MONTHS);
    figures.put("firstMonth", series.periodStart(v.length - TREND_MONTHS).toString());
    figures.put("firstCost", CostForecast.money(first));
    figures.put("lastCost", CostForecast.money(last));
    figures.put("slopePerMonth", CostForecast.money(t.slopePerPeriod()));
    figures.put("test", t.test());
    figures.put("z", round(t.z()));
    figures.put("pValue", round(t.pValue()));
    String growth =
        first > 0
            ? String.format(java.util.Locale.ROOT, " (%+.1f %%)", (last - first) * 100 / first)
            : "";
    return java.util.Optional.of(
        new Finding(
            "rising_trend",
            series.service(),
            null,
            series.service() + " cost is rising",
            String.format(
                java.util.Locale.ROOT,
                "%s went from %s to %s %s a month over the last %d months%s, about %s more each"
                    + " month (Sen's slope); the Mann-Kendall test finds the rise significant"
                    + " (z = %.2f, p = %.4f).",
                series.service(),
                CostForecast.money(first).toPlainString(),
                CostForecast.money(last).toPlainString(),
                series.currency(),
                TREND_MONTHS,
                growth,
                CostForecast.money(t.slopePerPeriod()).toPlainString(),
                t.z(),
                t.pValue()),
            figures));
  }

  static java.util.Optional<Finding> atRisk(
      CostHistory history, Budget b, LocalDate today, ForecastEngine engine) {
    LocalDate month = today.withDayOfMonth(1);
    CostSeries monthly = b.monthly(history, month);
    if (monthly == null || monthly.values().length < ForecastEngine.minimumHistory(12)) {
      return java.util.Optional.empty();
    }
    int ahead = Granularity.MONTH.between(monthly.next(), month) + BUDGET_MONTHS;
    Prediction p = engine.forecast(monthly.values(), 12, ahead);
    for (int h = 0; h < ahead; h++) {
      LocalDate period = monthly.periodStart(monthly.values().length + h);
      BigDecimal expected = CostForecast.money(p.mean()[h]);
      if (period.isBefore(month) || expected.compareTo(b.amount()) < 0) {
        continue;
      }
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("month", period.toString().substring(0, 7));
      figures.put("forecast", expected);
      figures.put("budget", b.amount());
      figures.put("percentOfBudget", b.percent(expected));
      figures.put("model", p.model().id());
      figures.put("upper80", CostForecast.money(p.upper()[1][h]));
      return java.util.Optional.of(
          new Finding(
              "budget_at_risk",
              b.service(),
              b.id(),
              "Budget \"" + b.name() + "\" is likely to be exceeded in " + figures.get("month"),
              String.format(
                  java.util.Locale.ROOT,
                  "The %s forecast for %s is %s %s, %.1f %% of the budget's %s.",
                  p.model().id(),
                  figures.get("month"),
                  expected.toPlainString(),
                  b.currency(),
                  b.percent(expected),
                  b.amount().toPlainString()),
              figures));
    }
    return java.util.Optional.empty();
  }

  static List<Finding> recurring(List<AnomalyPoint> anomalies, LocalDate today) {
    LocalDate since = today.minusYears(1);
    Map<String, List<LocalDate>> byService = new TreeMap<>();
    for (AnomalyPoint a : anomalies) {
      if (!a.periodStart().isBefore(since)) {
        byService
            .computeIfAbsent(a.service() == null ? "" : a.service(), s -> new ArrayList<>())
            .add(a.periodStart());
      }
    }
    List<Finding> out = new ArrayList<>();
    for (var e : byService.entrySet()) {
      if (e.getValue().size() < RECURRING) {
        continue;
      }
      List<String> periods = e.getValue().stream().sorted().map(LocalDate::toString).toList();
      String who = e.getKey().isEmpty() ? "The total cost" : e.getKey();
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("anomalies", periods.size());
      figures.put("since", since.toString());
      figures.put("periods", periods);
      out.add(
          new Finding(
              "recurring_anomalies",
              e.getKey().isEmpty() ? null : e.getKey(),
              null,
              who + " has recurring anomalies",
              who
                  + " fell outside its expected band "
                  + periods.size()
                  + " times since "
                  + since
                  + " ("
                  + String.join(", ", periods)
                  + "): look for a recurring job or a"
                  + " pricing change.",
              figures));
    }
    return out;
  }

  private static double round(double v) {
    return Double.isFinite(v) ? Math.round(v * 10_000) / 10_000.0 : 0;
  }
}
