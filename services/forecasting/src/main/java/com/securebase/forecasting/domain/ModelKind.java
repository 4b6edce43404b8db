package com.securebase.forecasting.domain;

import java.util.Locale;

/** The models a series' forecast is chosen from, in the order ties are broken (simplest first). */
public enum ModelKind {
  LINEAR_TREND(false),
  SEASONAL_NAIVE(true),
  SIMPLE_EXPONENTIAL_SMOOTHING(false),
  HOLT(false),
  HOLT_DAMPED(false),
  HOLT_WINTERS_ADDITIVE(true),
  HOLT_WINTERS_MULTIPLICATIVE(true),
  HOLT_WINTERS_DAMPED(true);

  private final boolean seasonal;

  ModelKind(boolean seasonal) {
    this.seasonal = seasonal;
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean seasonal() {
    return seasonal;
  }
}
