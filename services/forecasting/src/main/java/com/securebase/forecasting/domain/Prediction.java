package com.securebase.forecasting.domain;

/**
 * A series' forecast: the mean per step and the bounds per level of {@link ForecastEngine#LEVELS}
 * ({@code lower[level][step]}), from the chosen model, with its backtest.
 *
 * @param sigma the standard deviation of the model's one-step errors on the history
 */
public record Prediction(
    ModelKind model,
    double[] mean,
    double[][] lower,
    double[][] upper,
    Backtest backtest,
    double sigma) {}
