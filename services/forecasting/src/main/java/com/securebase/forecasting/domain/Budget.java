package com.securebase.forecasting.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A monthly spend limit of the tenant, or of one service ({@code service} non-null), with the
 * percentages at which it alerts. Each threshold is checked against actual spend (what the month
 * has cost so far) and against forecast spend (what the month is expected to cost in the end).
 */
public record Budget(
    UUID id,
    String name,
    String service,
    String currency,
    BigDecimal amount,
    List<Integer> thresholds) {

  public static final List<Integer> DEFAULT_THRESHOLDS = List.of(80, 100);

  public record Reached(int threshold, String basis, BigDecimal spend) {}

  /** The thresholds {@code actual} and {@code forecast} spend have reached, lowest first. */
  public List<Reached> reached(BigDecimal actual, BigDecimal forecast) {
    List<Reached> out = new ArrayList<>();
    for (int t : thresholds.stream().sorted().toList()) {
      BigDecimal limit = amount.multiply(BigDecimal.valueOf(t)).movePointLeft(2);
      if (actual.compareTo(limit) >= 0) {
        out.add(new Reached(t, "actual", actual));
      }
      if (forecast.compareTo(limit) >= 0) {
        out.add(new Reached(t, "forecast", forecast));
      }
    }
    return out;
  }

  public double percent(BigDecimal spend) {
    return spend
        .multiply(BigDecimal.valueOf(100))
        .divide(amount, 2, RoundingMode.HALF_EVEN)
        .doubleValue();
  }

  /**
   * What the month starting {@code month} is expected to cost: the forecast of the monthly model
   * (chosen by backtest) when the months before it are history enough, else the daily run rate of
   * the month so far; never less than what it has cost already.
   */
  public BigDecimal forecastSpend(
      CostHistory history, LocalDate month, LocalDate today, ForecastEngine engine) {
    BigDecimal actual = history.spend(service, currency, month, month.plusMonths(1));
    BigDecimal expected = BigDecimal.ZERO;
    CostSeries monthly = monthly(history, month);
    if (monthly != null && monthly.values().length >= ForecastEngine.minimumHistory(12)) {
      int ahead = Granularity.MONTH.between(monthly.next(), month) + 1;
      if (ahead >= 1) {
        Prediction p = engine.forecast(monthly.values(), 12, ahead);
        expected = CostForecast.money(p.mean()[ahead - 1]);
      }
    } else if (!today.isBefore(month)) {
      int elapsed = (int) Math.min(month.lengthOfMonth(), today.toEpochDay() - month.toEpochDay());
      if (elapsed > 0) {
        expected =
            actual
                .multiply(BigDecimal.valueOf(month.lengthOfMonth()))
                .divide(BigDecimal.valueOf(elapsed), 2, RoundingMode.HALF_EVEN);
      }
    }
    return expected.max(actual);
  }

  /** This budget's monthly series of the months over before {@code month}, or null. */
  public CostSeries monthly(CostHistory history, LocalDate month) {
    CostHistory.Series s = history.series(Granularity.MONTH, currency, month);
    if (s.isEmpty()) {
      return null;
    }
    return service == null ? s.total() : s.services().get(service);
  }
}
