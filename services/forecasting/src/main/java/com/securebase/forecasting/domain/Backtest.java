package com.securebase.forecasting.domain;

import java.util.Map;

/**
 * The rolling-origin backtest of the chosen model: MAPE in percent over non-zero actuals (NaN when
 * every actual was zero), MASE against the in-sample seasonal naive, the number of origins, and
 * every candidate's MASE.
 */
public record Backtest(double mape, double mase, int origins, Map<ModelKind, Double> maseByModel) {}
