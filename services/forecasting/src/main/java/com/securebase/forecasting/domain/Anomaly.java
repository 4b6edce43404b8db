package com.securebase.forecasting.domain;

/** A point outside its robust band: its index in the series, value, expected value and band. */
public record Anomaly(int index, double actual, double expected, double lower, double upper) {}
