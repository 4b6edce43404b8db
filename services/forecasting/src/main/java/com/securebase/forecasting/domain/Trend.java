package com.securebase.forecasting.domain;

import java.util.Arrays;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The Mann-Kendall trend test (Mann 1945, Kendall 1975) with the tie correction of the variance and
 * a continuity-corrected z, and Sen's (1968) slope: the median of all pairwise slopes. A series is
 * increasing or decreasing when the two-sided p-value is below 5 %, else stable. Non-parametric, so
 * a seasonal swing or one outlier does not make a trend the way a regression slope would.
 */
public record Trend(String label, String test, double z, double pValue, double slopePerPeriod) {
  public static final String TEST = "mann_kendall";
  static final double SIGNIFICANCE = 0.05;

  /** The pairwise work is quadratic: a daily history is tested on its last year and a month. */
  static final int MAX_POINTS = 400;

  private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

  public static Trend of(double[] series) {
    double[] x =
        series.length > MAX_POINTS
            ? Arrays.copyOfRange(series, series.length - MAX_POINTS, series.length)
            : series;
    int n = x.length;
    if (n < 3) {
      return new Trend("stable", TEST, 0, 1, 0);
    }
    long s = 0;
    double[] slopes = new double[n * (n - 1) / 2];
    int k = 0;
    for (int i = 0; i < n - 1; i++) {
      for (int j = i + 1; j < n; j++) {
        double d = x[j] - x[i];
        s += d > 0 ? 1 : d < 0 ? -1 : 0;
        slopes[k++] = d / (j - i);
      }
    }
    double variance = n * (n - 1.0) * (2 * n + 5);
    double[] sorted = x.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < n; ) {
      int j = i;
      while (j < n && sorted[j] == sorted[i]) {
        j++;
      }
      int t = j - i;
      variance -= t * (t - 1.0) * (2 * t + 5);
      i = j;
    }
    variance /= 18;
    double z =
        variance <= 0
            ? 0
            : s > 0 ? (s - 1) / Math.sqrt(variance) : s < 0 ? (s + 1) / Math.sqrt(variance) : 0;
    double p = 2 * (1 - NORMAL.cumulativeProbability(Math.abs(z)));
    Arrays.sort(slopes);
    int m = slopes.length;
    double slope = m % 2 == 1 ? slopes[m / 2] : (slopes[m / 2 - 1] + slopes[m / 2]) / 2;
    String label = p < SIGNIFICANCE ? (s > 0 ? "increasing" : "decreasing") : "stable";
    return new Trend(label, TEST, z, p, slope);
  }
}
