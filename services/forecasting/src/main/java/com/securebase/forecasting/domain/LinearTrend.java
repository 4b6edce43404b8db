package com.securebase.forecasting.domain;

/**
 * Ordinary least squares on time, y = a + b·t (what the old system forecast with), with the
 * regression's prediction interval σ²(1 + 1/n + (t − t̄)²/Sxx).
 */
record LinearTrend(double intercept, double slope, int n, double sigma, double sxx) {

  /** Fitted on y[0..n). */
  static LinearTrend fit(double[] y, int n) {
    double tMean = (n - 1) / 2.0;
    double yMean = 0;
    for (int t = 0; t < n; t++) {
      yMean += y[t];
    }
    yMean /= n;
    double sxy = 0;
    double sxx = 0;
    for (int t = 0; t < n; t++) {
      sxy += (t - tMean) * (y[t] - yMean);
      sxx += (t - tMean) * (t - tMean);
    }
    double slope = sxx == 0 ? 0 : sxy / sxx;
    double intercept = yMean - slope * tMean;
    double sse = 0;
    for (int t = 0; t < n; t++) {
      double e = y[t] - intercept - slope * t;
      sse += e * e;
    }
    return new LinearTrend(intercept, slope, n, n > 2 ? Math.sqrt(sse / (n - 2)) : 0, sxx);
  }

  /** The line at t = n, n + 1, …, n + steps − 1. */
  double[] mean(int steps) {
    double[] out = new double[steps];
    for (int h = 0; h < steps; h++) {
      out[h] = intercept + slope * (n + h);
    }
    return out;
  }

  double predictionSd(int t) {
    double tMean = (n - 1) / 2.0;
    return sigma * Math.sqrt(1 + 1.0 / n + (sxx == 0 ? 0 : (t - tMean) * (t - tMean) / sxx));
  }
}
