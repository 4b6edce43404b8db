package com.securebase.forecasting.domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Forecasts one series: every candidate model is backtested on rolling origins over the last
 * points, the lowest MASE (against the in-sample seasonal naive, Hyndman & Koehler 2006) wins, and
 * the winner is refitted on the whole history for the forecast and its 65/80/95 % intervals.
 *
 * <p>The backtest fits each candidate once, on the points before the first origin, then rolls the
 * origins forward with those parameters by running the filter (statsforecast's cross-validation
 * with {@code refit=False}): a refit per origin would cost a dozen fits per candidate and change
 * the ranking little. Stateless and thread-safe.
 */
public final class ForecastEngine {
  public static final int[] LEVELS = {65, 80, 95};

  /**
   * The most a backtest widens an interval: beyond it the model is wrong rather than unsure (a
   * level shift in the window), and bands hundreds of times the cost would say nothing.
   */
  static final double MAX_WIDENING = 4;

  /** Paths simulated for the multiplicative season's intervals. */
  static final int PATHS = 400;

  private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);
  private static final double[] Z = new double[LEVELS.length];

  static {
    for (int l = 0; l < LEVELS.length; l++) {
      Z[l] = NORMAL.inverseCumulativeProbability(0.5 + LEVELS[l] / 200.0);
    }
  }

  /**
   * A year of months (12) or two weeks of days (14): fewer points cannot show a trend apart from
   * noise, and two seasons are needed before a seasonal model is even a candidate.
   */
  public static int minimumHistory(int seasonLength) {
    return seasonLength >= 12 ? seasonLength : 2 * seasonLength;
  }

  public Prediction forecast(double[] history, int seasonLength, int horizon) {
    return forecast(history, seasonLength, horizon, null);
  }

  /** With {@code model} null the backtest chooses; otherwise that model is used. */
  public Prediction forecast(double[] history, int seasonLength, int horizon, ModelKind model) {
    check(history, seasonLength, horizon);
    int n = history.length;
    int window = Math.max(3, Math.min(seasonLength, n / 3));
    int train = n - window;
    double scale = naiveScale(history, train, seasonLength);
    List<ModelKind> candidates =
        model == null ? candidates(history, train, seasonLength) : List.of(model);
    Map<ModelKind, Double> maseByModel = new EnumMap<>(ModelKind.class);
    ModelKind best = null;
    double bestMase = Double.POSITIVE_INFINITY;
    double bestMape = Double.NaN;
    for (ModelKind kind : candidates) {
      double[] errors = backtest(kind, history, train, seasonLength, horizon, null);
      double mase = errors[0] / scale;
      maseByModel.put(kind, mase);
      if (best == null || mase < bestMase - 1e-12) {
        best = kind;
        bestMase = mase;
        bestMape = errors[1];
      }
    }
    Backtest backtest = new Backtest(bestMape, bestMase, window, maseByModel);
    // Intervals from the model's formula assume its parameters and initial states are exact; a
    // backtest shows how much larger its errors are out of sample, and widens each level's
    // interval until it would have held that level's share of them (never narrows it): errors out
    // of sample have heavier tails than the model's normal ones. It runs from earlier origins than
    // the choice did (a third of the history),
    // so the errors that made this model win are not the only ones that judge its intervals.
    int from =
        model != null || (best.seasonal() && best != ModelKind.SEASONAL_NAIVE)
            ? train
            : Math.min(train, Math.max(6, n / 3));
    List<double[]> standardised = new ArrayList<>();
    backtest(best, history, from, seasonLength, horizon, standardised);
    double[][] widen = widening(standardised, horizon);
    return fitted(best, history, seasonLength, horizon, backtest, widen);
  }

  private static void check(double[] y, int m, int horizon) {
    if (horizon < 1) {
      throw new IllegalArgumentException("horizon must be at least 1");
    }
    if (y.length < minimumHistory(m)) {
      throw new IllegalArgumentException(
          "at least " + minimumHistory(m) + " points are needed, " + y.length + " given");
    }
    for (double v : y) {
      if (!Double.isFinite(v) || v < 0) {
        throw new IllegalArgumentException("costs are finite and not negative: " + v);
      }
    }
  }

  /**
   * Seasonal models need two full seasons before the first origin; a multiplicative one, no zero.
   */
  private static List<ModelKind> candidates(double[] y, int train, int m) {
    boolean seasonal = train >= 2 * m;
    boolean positive = Arrays.stream(y).allMatch(v -> v > 0);
    List<ModelKind> out = new ArrayList<>();
    for (ModelKind k : ModelKind.values()) {
      if (k == ModelKind.SEASONAL_NAIVE ? train > m : !k.seasonal() || seasonal) {
        if (k != ModelKind.HOLT_WINTERS_MULTIPLICATIVE || positive) {
          out.add(k);
        }
      }
    }
    return out;
  }

  /** The in-sample MAE of the seasonal naive on y[0..train) (lag 1 when a season does not fit). */
  static double naiveScale(double[] y, int train, int m) {
    int lag = train > m ? m : 1;
    double sum = 0;
    for (int t = lag; t < train; t++) {
      sum += Math.abs(y[t] - y[t - lag]);
    }
    double mae = sum / (train - lag);
    double level = Arrays.stream(y, 0, train).map(Math::abs).average().orElse(0);
    // A constant history has no naive error; a scale far below its level keeps MASE finite.
    return Math.max(mae, Math.max(level * 1e-6, 1e-9));
  }

  /**
   * {MAE, MAPE} of {@code kind} over every (origin, step) of the window; when {@code standardised}
   * is given, each |error| over the standard deviation the model claimed for its step is added.
   */
  private static double[] backtest(
      ModelKind kind, double[] y, int train, int m, int horizon, List<double[]> standardised) {
    int n = y.length;
    double absSum = 0;
    double pctSum = 0;
    int count = 0;
    int pctCount = 0;
    if (kind == ModelKind.LINEAR_TREND || kind == ModelKind.SEASONAL_NAIVE) {
      double naiveSigma = seasonalNaiveSigma(y, train, m);
      for (int origin = train; origin < n; origin++) {
        int steps = Math.min(horizon, n - origin);
        LinearTrend line = kind == ModelKind.LINEAR_TREND ? LinearTrend.fit(y, origin) : null;
        double[] f = line != null ? line.mean(steps) : seasonalNaive(y, origin, m, steps);
        for (int h = 0; h < steps; h++) {
          double e = Math.abs(y[origin + h] - f[h]);
          double sd =
              line != null ? line.predictionSd(origin + h) : naiveSigma * Math.sqrt(h / m + 1);
          if (standardised != null && sd > 0) {
            standardised.add(new double[] {h + 1, e / sd});
          }
          absSum += e;
          count++;
          if (y[origin + h] != 0) {
            pctSum += e / Math.abs(y[origin + h]);
            pctCount++;
          }
        }
      }
    } else {
      ExponentialSmoothing model = new ExponentialSmoothing(kind, m);
      ExponentialSmoothing.State start = model.initial(y, train);
      ExponentialSmoothing.Parameters p = model.fit(y, train, start);
      double sigma2 =
          model.sse(y, train, p, start) / Math.max(1, train - model.parameterCount() - 2);
      double[] factors = model.varianceFactors(p, horizon);
      ExponentialSmoothing.State st = start.copy();
      for (int t = 0; t < n; t++) {
        if (t >= train) {
          int steps = Math.min(horizon, n - t);
          double[] f = model.forecast(st, p, t - 1, steps);
          for (int h = 0; h < steps; h++) {
            double e = Math.abs(y[t + h] - Math.max(0, f[h]));
            double variance = sigma2 * factors[h];
            if (standardised != null && variance > 0) {
              standardised.add(new double[] {h + 1, e / Math.sqrt(variance)});
            }
            absSum += e;
            count++;
            if (y[t + h] != 0) {
              pctSum += e / Math.abs(y[t + h]);
              pctCount++;
            }
          }
        }
        model.update(st, p, t, y[t]);
      }
    }
    double mae = absSum / count;
    return new double[] {
      Double.isFinite(mae) ? mae : Double.POSITIVE_INFINITY,
      pctCount == 0 ? Double.NaN : pctSum * 100 / pctCount
    };
  }

  /** y(origin - 1 + h) = y(origin - 1 + h - m(k + 1)), k = ⌊(h − 1)/m⌋: the last season again. */
  static double[] seasonalNaive(double[] y, int origin, int m, int steps) {
    double[] f = new double[steps];
    for (int h = 1; h <= steps; h++) {
      int k = (h - 1) / m;
      f[h - 1] = y[Math.max(0, origin - 1 + h - m * (k + 1))];
    }
    return f;
  }

  /**
   * How much wider than the model's formula each level's interval must be at each step: the
   * backtest's squared standardised errors regressed on the step (a model that misses a random walk
   * errs more the further it looks), then, per level, the quantile of what is left over the normal
   * quantile. Never below 1.
   */
  private static double[][] widening(List<double[]> standardised, int horizon) {
    double[][] out = new double[LEVELS.length][horizon];
    for (double[] row : out) {
      Arrays.fill(row, 1);
    }
    int k = standardised.size();
    if (k < 5) {
      return out;
    }
    double hMean = 0;
    double z2Mean = 0;
    for (double[] p : standardised) {
      hMean += p[0];
      z2Mean += p[1] * p[1];
    }
    hMean /= k;
    z2Mean /= k;
    double shh = 0;
    double shz = 0;
    for (double[] p : standardised) {
      shh += (p[0] - hMean) * (p[0] - hMean);
      shz += (p[0] - hMean) * (p[1] * p[1] - z2Mean);
    }
    double slope = shh > 0 ? Math.max(0, shz / shh) : 0;
    double intercept = z2Mean - slope * hMean;
    double[] u = new double[k];
    for (int i = 0; i < k; i++) {
      double[] p = standardised.get(i);
      u[i] = p[1] / Math.sqrt(Math.max(1, intercept + slope * p[0]));
    }
    Arrays.sort(u);
    for (int l = 0; l < LEVELS.length; l++) {
      double q = u[(int) Math.min(k - 1, Math.ceil(LEVELS[l] / 100.0 * k) - 1)];
      double level = Double.isFinite(q) ? Math.min(MAX_WIDENING, Math.max(1, q / Z[l])) : 1;
      for (int h = 0; h < horizon; h++) {
        out[l][h] =
            Math.min(MAX_WIDENING, level * Math.sqrt(Math.max(1, intercept + slope * (h + 1))));
      }
    }
    return out;
  }

  /** The residual standard deviation of the seasonal naive on y[0..n). */
  private static double seasonalNaiveSigma(double[] y, int n, int m) {
    double sum = 0;
    for (int t = m; t < n; t++) {
      sum += (y[t] - y[t - m]) * (y[t] - y[t - m]);
    }
    return n > m ? Math.sqrt(sum / (n - m)) : 0;
  }

  /** The chosen model refitted on the whole history, with its intervals. */
  private static Prediction fitted(
      ModelKind kind, double[] y, int m, int horizon, Backtest backtest, double[][] widen) {
    int n = y.length;
    double[] mean;
    double[][] lower = new double[LEVELS.length][horizon];
    double[][] upper = new double[LEVELS.length][horizon];
    double sigma;
    switch (kind) {
      case LINEAR_TREND -> {
        LinearTrend line = LinearTrend.fit(y, n);
        mean = line.mean(horizon);
        sigma = line.sigma();
        for (int l = 0; l < LEVELS.length; l++) {
          double q =
              n > 2
                  ? new TDistribution(null, n - 2)
                      .inverseCumulativeProbability(0.5 + LEVELS[l] / 200.0)
                  : Z[l];
          for (int h = 0; h < horizon; h++) {
            double sd = line.predictionSd(n + h);
            lower[l][h] = mean[h] - q * sd;
            upper[l][h] = mean[h] + q * sd;
          }
        }
      }
      case SEASONAL_NAIVE -> {
        mean = seasonalNaive(y, n, m, horizon);
        sigma = seasonalNaiveSigma(y, n, m);
        for (int h = 0; h < horizon; h++) {
          double sd = sigma * Math.sqrt(h / m + 1); // fpp3 §5.5: σ√(k+1), k whole seasons ahead
          for (int l = 0; l < LEVELS.length; l++) {
            lower[l][h] = mean[h] - Z[l] * sd;
            upper[l][h] = mean[h] + Z[l] * sd;
          }
        }
      }
      default -> {
        ExponentialSmoothing model = new ExponentialSmoothing(kind, m);
        ExponentialSmoothing.State st = model.initial(y, n);
        ExponentialSmoothing.Parameters p = model.fit(y, n, st);
        double sse = 0;
        for (int t = 0; t < n; t++) {
          double e = model.update(st, p, t, y[t]);
          sse += e * e;
        }
        // Degrees of freedom: the smoothing parameters and the initial level and slope.
        int dof = Math.max(1, n - model.parameterCount() - 2);
        sigma = Math.sqrt(sse / dof);
        mean = model.forecast(st, p, n - 1, horizon);
        if (kind == ModelKind.HOLT_WINTERS_MULTIPLICATIVE) {
          intervalsBySimulation(model.simulate(st, p, n - 1, horizon, sigma, PATHS), lower, upper);
        } else {
          double[] factors = model.varianceFactors(p, horizon);
          for (int h = 0; h < horizon; h++) {
            double sd = sigma * Math.sqrt(factors[h]);
            for (int l = 0; l < LEVELS.length; l++) {
              lower[l][h] = mean[h] - Z[l] * sd;
              upper[l][h] = mean[h] + Z[l] * sd;
            }
          }
        }
      }
    }
    // Costs are never negative: the mean and the bounds are floored at zero.
    for (int h = 0; h < horizon; h++) {
      for (int l = 0; l < LEVELS.length; l++) {
        lower[l][h] = mean[h] - widen[l][h] * (mean[h] - lower[l][h]);
        upper[l][h] = mean[h] + widen[l][h] * (upper[l][h] - mean[h]);
      }
      mean[h] = Math.max(0, mean[h]);
      for (int l = 0; l < LEVELS.length; l++) {
        lower[l][h] = Math.max(0, Math.min(lower[l][h], mean[h]));
        upper[l][h] = Math.max(upper[l][h], mean[h]);
      }
    }
    return new Prediction(kind, mean, lower, upper, backtest, sigma);
  }

  private static void intervalsBySimulation(double[][] paths, double[][] lower, double[][] upper) {
    int h = paths[0].length;
    double[] column = new double[paths.length];
    for (int j = 0; j < h; j++) {
      for (int k = 0; k < paths.length; k++) {
        column[k] = paths[k][j];
      }
      Arrays.sort(column);
      for (int l = 0; l < LEVELS.length; l++) {
        double tail = (1 - LEVELS[l] / 100.0) / 2;
        lower[l][j] = column[(int) Math.floor(tail * (paths.length - 1))];
        upper[l][j] = column[(int) Math.ceil((1 - tail) * (paths.length - 1))];
      }
    }
  }
}
