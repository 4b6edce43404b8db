package com.securebase.forecasting.domain;

import com.securebase.problem.ProblemException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tenant's cost forecast: each service's series and the total's forecast by the engine (model
 * chosen per series by backtest). The breakdown adds up: the total's mean is the sum of the
 * services' rounded means (bottom-up), and its bands combine the services' as independent errors
 * (half-widths added in quadrature). The total's own model is still fitted for its name, backtest
 * and trend, but not trusted with the bands: a service that appears late (a new account, the first
 * invoice) is a level shift in the total that blows its own model's bands up to nonsense.
 */
public final class CostForecast {
  public static final String RECONCILIATION = "bottom_up";

  private CostForecast() {}

  public record Bounds(BigDecimal lower, BigDecimal upper) {}

  /**
   * @param changePercent change of the mean from the period before (the last actual for the first
   *     period), null when that was zero
   */
  public record Period(
      LocalDate start, BigDecimal mean, Map<Integer, Bounds> bounds, BigDecimal changePercent) {}

  public record Line(
      String service,
      ModelKind model,
      Backtest backtest,
      Trend trend,
      BigDecimal lastActual,
      List<Period> periods) {}

  public record Result(
      Granularity granularity,
      int horizonMonths,
      String currency,
      LocalDate historyStart,
      LocalDate historyEnd,
      int historyPeriods,
      CostSeries history,
      Line total,
      List<Line> services) {}

  /**
   * @throws ProblemException 422 {@code insufficient-history} naming the minimum, when the series
   *     is too short for any model
   */
  public static Result of(CostHistory.Series s, int horizonMonths, ForecastEngine engine) {
    CostSeries total = s.total();
    Granularity g = total.granularity();
    int minimum = ForecastEngine.minimumHistory(g.seasonLength());
    if (total.values().length < minimum) {
      throw new ProblemException(
          422,
          "insufficient-history",
          "Not enough cost history",
          "A "
              + g.code()
              + "ly forecast needs at least "
              + minimum
              + " "
              + g.code()
              + "s of cost history that are over; "
              + total.values().length
              + " available",
          Map.of("minimum", minimum, "available", total.values().length, "granularity", g.code()));
    }
    int steps = g.periodsIn(total.next(), horizonMonths);
    List<Line> services = new ArrayList<>();
    int levels = ForecastEngine.LEVELS.length;
    BigDecimal[] sum = new BigDecimal[steps];
    // The total's band half-widths: the services' combined as independent errors.
    double[][] below2 = new double[levels][steps];
    double[][] above2 = new double[levels][steps];
    java.util.Arrays.fill(sum, BigDecimal.ZERO);
    for (CostSeries series : s.services().values()) {
      Prediction p = engine.forecast(series.values(), g.seasonLength(), steps);
      double[][] below = new double[levels][steps];
      double[][] above = new double[levels][steps];
      for (int l = 0; l < levels; l++) {
        for (int h = 0; h < steps; h++) {
          below[l][h] = p.mean()[h] - p.lower()[l][h];
          above[l][h] = p.upper()[l][h] - p.mean()[h];
          below2[l][h] += below[l][h] * below[l][h];
          above2[l][h] += above[l][h] * above[l][h];
        }
      }
      Line line = line(series, p, p.mean(), below, above);
      services.add(line);
      for (int h = 0; h < steps; h++) {
        sum[h] = sum[h].add(line.periods().get(h).mean());
      }
    }
    Prediction whole = engine.forecast(total.values(), g.seasonLength(), steps);
    double[] mean = new double[steps];
    for (int h = 0; h < steps; h++) {
      mean[h] = sum[h].doubleValue();
      for (int l = 0; l < levels; l++) {
        below2[l][h] = Math.sqrt(below2[l][h]);
        above2[l][h] = Math.sqrt(above2[l][h]);
      }
    }
    Line line = line(total, whole, mean, below2, above2);
    return new Result(
        g,
        horizonMonths,
        total.currency(),
        total.first(),
        total.periodStart(total.values().length - 1),
        total.values().length,
        total,
        line,
        services);
  }

  /** The periods of one line: {@code mean} and, per level and step, the band's half-widths. */
  private static Line line(
      CostSeries series, Prediction p, double[] mean, double[][] below, double[][] above) {
    double[] history = series.values();
    List<Period> periods = new ArrayList<>(mean.length);
    BigDecimal previous = money(history[history.length - 1]);
    for (int h = 0; h < mean.length; h++) {
      BigDecimal m = money(mean[h]);
      Map<Integer, Bounds> bounds = new LinkedHashMap<>();
      for (int l = 0; l < ForecastEngine.LEVELS.length; l++) {
        bounds.put(
            ForecastEngine.LEVELS[l],
            new Bounds(money(Math.max(0, mean[h] - below[l][h])), money(mean[h] + above[l][h])));
      }
      periods.add(
          new Period(series.granularity().plus(series.next(), h), m, bounds, change(previous, m)));
      previous = m;
    }
    return new Line(
        series.service(),
        p.model(),
        p.backtest(),
        Trend.of(history),
        money(history[history.length - 1]),
        periods);
  }

  private static BigDecimal change(BigDecimal from, BigDecimal to) {
    if (from.signum() == 0) {
      return null;
    }
    return to.subtract(from)
        .multiply(BigDecimal.valueOf(100))
        .divide(from, 2, RoundingMode.HALF_EVEN);
  }

  /** Money as stored and shown: two decimals, half-even (costs are never negative). */
  public static BigDecimal money(double value) {
    return BigDecimal.valueOf(Math.max(0, value)).setScale(2, RoundingMode.HALF_EVEN);
  }
}
