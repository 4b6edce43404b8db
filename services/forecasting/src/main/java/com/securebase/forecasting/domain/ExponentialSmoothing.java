package com.securebase.forecasting.domain;

import java.util.Random;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

/**
 * Exponential smoothing in the additive-error innovations state-space form (Hyndman, Koehler, Ord &
 * Snyder 2008, "Forecasting with Exponential Smoothing", ch. 2; fpp3 §8): level, an optional
 * additive or damped trend, an optional additive or multiplicative season. Smoothing parameters are
 * fitted by minimising the sum of squared one-step errors with Nelder-Mead over unbounded variables
 * mapped into the admissible region (0 &lt; α &lt; 1, 0 &lt; β &lt; α, 0 &lt; γ &lt; 1 − α, 0.8 ≤ φ
 * ≤ 0.98), so no evaluation is wasted outside it; initial states come from the first two seasons
 * (classical decomposition) or the first points, as the fpp3 heuristic does.
 */
final class ExponentialSmoothing {
  enum TrendKind {
    NONE,
    ADDITIVE,
    DAMPED
  }

  enum SeasonKind {
    NONE,
    ADDITIVE,
    MULTIPLICATIVE
  }

  /** Nelder-Mead evaluations per fit: enough for four parameters, and the bound on the cost. */
  static final int MAX_EVALUATIONS = 250;

  final TrendKind trend;
  final SeasonKind season;
  final int m;

  ExponentialSmoothing(ModelKind kind, int seasonLength) {
    this.m = seasonLength;
    switch (kind) {
      case SIMPLE_EXPONENTIAL_SMOOTHING -> {
        trend = TrendKind.NONE;
        season = SeasonKind.NONE;
      }
      case HOLT -> {
        trend = TrendKind.ADDITIVE;
        season = SeasonKind.NONE;
      }
      case HOLT_DAMPED -> {
        trend = TrendKind.DAMPED;
        season = SeasonKind.NONE;
      }
      case HOLT_WINTERS_ADDITIVE -> {
        trend = TrendKind.ADDITIVE;
        season = SeasonKind.ADDITIVE;
      }
      case HOLT_WINTERS_MULTIPLICATIVE -> {
        trend = TrendKind.ADDITIVE;
        season = SeasonKind.MULTIPLICATIVE;
      }
      case HOLT_WINTERS_DAMPED -> {
        trend = TrendKind.DAMPED;
        season = SeasonKind.ADDITIVE;
      }
      default -> throw new IllegalArgumentException(kind + " is not exponential smoothing");
    }
  }

  int parameterCount() {
    return 1
        + (trend == TrendKind.NONE ? 0 : 1)
        + (season == SeasonKind.NONE ? 0 : 1)
        + (trend == TrendKind.DAMPED ? 1 : 0);
  }

  /** Smoothing parameters (α, β, γ, φ; unused ones 0, φ 1 when undamped). */
  record Parameters(double alpha, double beta, double gamma, double phi) {}

  /** The states after the last observation; {@code season[t % m]} is the latest of position t. */
  static final class State {
    double level;
    double slope;
    final double[] season;

    State(double level, double slope, double[] season) {
      this.level = level;
      this.slope = slope;
      this.season = season;
    }

    State copy() {
      return new State(level, slope, season.clone());
    }
  }

  Parameters parameters(double[] u) {
    double alpha = 0.0001 + 0.9998 * sigmoid(u[0]);
    int i = 1;
    double beta = trend == TrendKind.NONE ? 0 : alpha * (0.0001 + 0.9998 * sigmoid(u[i++]));
    double gamma =
        season == SeasonKind.NONE ? 0 : (1 - alpha) * (0.0001 + 0.9998 * sigmoid(u[i++]));
    double phi = trend == TrendKind.DAMPED ? 0.8 + 0.18 * sigmoid(u[i]) : 1;
    return new Parameters(alpha, beta, gamma, phi);
  }

  private static double sigmoid(double v) {
    return 1 / (1 + Math.exp(-v));
  }

  /**
   * Initial states before y[0]. Seasonal: a least-squares line through the whole seasons of y[0..n)
   * and each position's mean deviation from it (ratio for the multiplicative season), normalised;
   * every season seen makes the states less noisy, and the smoothing parameters cannot repair a
   * noisy initial season once γ is small. Otherwise the first points' level and slope.
   */
  State initial(double[] y, int n) {
    double[] s = new double[m];
    if (season != SeasonKind.NONE) {
      int seasons = n / m;
      LinearTrend line = LinearTrend.fit(y, seasons * m);
      double slope = trend == TrendKind.NONE ? 0 : line.slope();
      double mean = mean(y, 0, seasons * m);
      double sum = 0;
      for (int i = 0; i < m; i++) {
        double d = 0;
        for (int k = 0; k < seasons; k++) {
          int t = i + k * m;
          double fitted = trend == TrendKind.NONE ? mean : line.intercept() + line.slope() * t;
          d += season == SeasonKind.ADDITIVE ? y[t] - fitted : y[t] / fitted;
        }
        s[i] = d / seasons;
        sum += s[i];
      }
      for (int i = 0; i < m; i++) { // normalised: the season neither adds nor scales on average
        s[i] = season == SeasonKind.ADDITIVE ? s[i] - sum / m : s[i] * m / sum;
      }
      double level = trend == TrendKind.NONE ? mean : line.intercept() - slope;
      return new State(level, slope, s);
    }
    int k = Math.min(4, n - 1);
    double slope = trend == TrendKind.NONE || k < 1 ? 0 : (y[k] - y[0]) / k;
    return new State(y[0] - slope, slope, s);
  }

  private static double mean(double[] y, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += y[i];
    }
    return sum / (to - from);
  }

  /** The one-step forecast from {@code st} for time {@code t}. */
  double oneStep(State st, Parameters p, int t) {
    double base = st.level + p.phi() * st.slope;
    return seasoned(base, st.season[t % m]);
  }

  /** The level-and-trend part with the season's position applied. */
  private double seasoned(double base, double s) {
    return switch (season) {
      case NONE -> base;
      case ADDITIVE -> base + s;
      case MULTIPLICATIVE -> base * s;
    };
  }

  /** Takes in y[t], returns its one-step error. */
  double update(State st, Parameters p, int t, double y) {
    double damped = p.phi() * st.slope;
    double base = st.level + damped;
    double e;
    switch (season) {
      case NONE -> {
        e = y - base;
        st.level = base + p.alpha() * e;
        st.slope = damped + p.beta() * e;
      }
      case ADDITIVE -> {
        int i = t % m;
        e = y - base - st.season[i];
        st.level = base + p.alpha() * e;
        st.slope = damped + p.beta() * e;
        st.season[i] += p.gamma() * e;
      }
      default -> {
        int i = t % m;
        double s = st.season[i];
        e = y - base * s;
        st.level = base + p.alpha() * e / s;
        st.slope = damped + p.beta() * e / s;
        st.season[i] = s + p.gamma() * e / base;
      }
    }
    return e;
  }

  /** Sum of squared one-step errors over y[0..n), or infinity if the states blow up. */
  double sse(double[] y, int n, Parameters p, State start) {
    State st = start.copy();
    double sse = 0;
    for (int t = 0; t < n; t++) {
      double e = update(st, p, t, y[t]);
      sse += e * e;
      if (season == SeasonKind.MULTIPLICATIVE && (st.level + p.phi() * st.slope) <= 0) {
        return Double.POSITIVE_INFINITY;
      }
    }
    return Double.isFinite(sse) ? sse : Double.POSITIVE_INFINITY;
  }

  /** Fits the smoothing parameters on y[0..n). */
  Parameters fit(double[] y, int n, State start) {
    int dims = parameterCount();
    double[] guess = new double[dims];
    guess[0] = -1; // α ≈ 0.27
    for (int i = 1; i < dims; i++) {
      guess[i] = -2; // β, γ small; φ ≈ 0.82
    }
    if (trend == TrendKind.DAMPED) {
      guess[dims - 1] = 1; // φ ≈ 0.93
    }
    // The best point seen is kept: when the budget runs out before the simplex converges, the
    // optimiser throws and that point is the fit.
    double[] best = guess.clone();
    double[] bestSse = {Double.POSITIVE_INFINITY};
    SimplexOptimizer optimizer = new SimplexOptimizer(1e-7, 1e-9);
    try {
      optimizer.optimize(
          new MaxEval(MAX_EVALUATIONS),
          new ObjectiveFunction(
              u -> {
                double v = sse(y, n, parameters(u), start);
                if (v < bestSse[0]) {
                  bestSse[0] = v;
                  System.arraycopy(u, 0, best, 0, dims);
                }
                return v;
              }),
          GoalType.MINIMIZE,
          new InitialGuess(guess),
          new NelderMeadSimplex(dims, 1.5));
    } catch (org.apache.commons.math3.exception.TooManyEvaluationsException e) {
      // best holds the lowest SSE within the budget
    }
    return parameters(best);
  }

  /** h-step means from {@code st} (the state after time {@code last}). */
  double[] forecast(State st, Parameters p, int last, int h) {
    double[] out = new double[h];
    double phiSum = 0;
    double phiPower = 1;
    for (int j = 1; j <= h; j++) {
      phiPower *= p.phi();
      phiSum += phiPower;
      double base = st.level + phiSum * st.slope;
      out[j - 1] = seasoned(base, st.season[(last + j) % m]);
    }
    return out;
  }

  /**
   * The forecast variance factor per step, 1 + Σ c_j² (Hyndman et al. 2008, Table 6.1, class 1):
   * c_j = α + β(φ + … + φ^j) + γ·[j ≡ 0 mod m].
   */
  double[] varianceFactors(Parameters p, int h) {
    double[] out = new double[h];
    double sum = 1;
    double phiSum = 0;
    double phiPower = 1;
    for (int j = 1; j <= h; j++) {
      out[j - 1] = sum;
      phiPower *= p.phi();
      phiSum += phiPower;
      double c =
          p.alpha()
              + (trend == TrendKind.NONE ? 0 : p.beta() * phiSum)
              + (season != SeasonKind.NONE && j % m == 0 ? p.gamma() : 0);
      sum += c * c;
    }
    return out;
  }

  /**
   * Sample paths of the model (for the multiplicative season, whose variance has no simple closed
   * form): {@code paths[k][step]}, from a fixed seed so the same history gives the same bounds.
   */
  double[][] simulate(State st, Parameters p, int last, int h, double sigma, int count) {
    Random random = new Random(1_234_567L);
    double[][] paths = new double[count][h];
    for (int k = 0; k < count; k++) {
      State s = st.copy();
      for (int j = 1; j <= h; j++) {
        int t = last + j;
        double mean = oneStep(s, p, t);
        double y = mean + sigma * random.nextGaussian();
        update(s, p, t, y);
        paths[k][j - 1] = y;
      }
    }
    return paths;
  }
}
