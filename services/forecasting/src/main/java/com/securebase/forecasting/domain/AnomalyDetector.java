package com.securebase.forecasting.domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Robust anomalies: each point's expected value is a running median of the season's length around
 * it (the trend) plus the median of its season position's detrended values (the season), so a spike
 * moves neither; the residuals' scale is 1.4826 × their median absolute deviation (the standard
 * deviation's robust equivalent for Gaussian noise), floored at half a percent of the series'
 * median so a flat series does not flag rounding. A point whose residual is more than {@code
 * sigmas} of that scale from the residuals' median is an anomaly.
 */
public final class AnomalyDetector {
  private AnomalyDetector() {}

  public static List<Anomaly> detect(double[] y, int seasonLength, double sigmas) {
    int n = y.length;
    List<Anomaly> out = new ArrayList<>();
    if (n < Math.max(7, seasonLength)) {
      return out;
    }
    int half = seasonLength / 2;
    double[] trend = new double[n];
    for (int t = 0; t < n; t++) {
      int from = Math.max(0, t - half);
      int to = Math.min(n, t + half + 1);
      trend[t] = median(Arrays.copyOfRange(y, from, to));
    }
    double[] season = new double[seasonLength];
    if (n >= 2 * seasonLength) {
      for (int p = 0; p < seasonLength; p++) {
        double[] d = new double[(n - p + seasonLength - 1) / seasonLength];
        int k = 0;
        for (int t = p; t < n; t += seasonLength) {
          d[k++] = y[t] - trend[t];
        }
        season[p] = median(Arrays.copyOf(d, k));
      }
    }
    double[] residual = new double[n];
    for (int t = 0; t < n; t++) {
      residual[t] = y[t] - trend[t] - season[t % seasonLength];
    }
    double centre = median(residual.clone());
    double[] deviation = new double[n];
    for (int t = 0; t < n; t++) {
      deviation[t] = Math.abs(residual[t] - centre);
    }
    double floor = Math.max(0.01, 0.005 * Math.abs(median(y.clone())));
    double scale = Math.max(1.4826 * median(deviation), floor);
    for (int t = 0; t < n; t++) {
      double expected = trend[t] + season[t % seasonLength] + centre;
      double lower = expected - sigmas * scale;
      double upper = expected + sigmas * scale;
      if (y[t] < lower || y[t] > upper) {
        out.add(new Anomaly(t, y[t], expected, lower, upper));
      }
    }
    return out;
  }

  private static double median(double[] v) {
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
}
