package com.securebase.forecasting.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ForecastEngineTest {
  private final ForecastEngine engine = new ForecastEngine();

  @Test
  void aPureLinearSeriesIsForecastExactly() {
    double[] y = new double[36];
    for (int t = 0; t < y.length; t++) {
      y[t] = 10 + 3 * t;
    }
    Prediction p = engine.forecast(y, 12, 12);
    for (int h = 0; h < 12; h++) {
      assertThat(p.mean()[h])
          .isCloseTo(10 + 3 * (36 + h), org.assertj.core.data.Offset.offset(1e-6));
    }
    assertThat(p.model()).isEqualTo(ModelKind.LINEAR_TREND);
  }

  @Test
  void onSeasonalSeriesTheChosenModelBeatsTheSeasonalNaiveOutOfSample() {
    Random random = new Random(5);
    double scaled = 0;
    int series = 200;
    for (int i = 0; i < series; i++) {
      double[] full = new double[48];
      for (int t = 0; t < full.length; t++) {
        full[t] =
            1_000 + 8 * t + 200 * Math.sin(2 * Math.PI * t / 12 + i) + random.nextGaussian() * 30;
      }
      double[] history = java.util.Arrays.copyOf(full, 36);
      Prediction p = engine.forecast(history, 12, 12);
      double scale = ForecastEngine.naiveScale(history, 36, 12);
      double e = 0;
      for (int h = 0; h < 12; h++) {
        e += Math.abs(full[36 + h] - p.mean()[h]);
      }
      scaled += e / 12 / scale;
      assertThat(p.model().seasonal()).as("a seasonal model for a seasonal series").isTrue();
    }
    assertThat(scaled / series).as("mean out-of-sample MASE").isLessThan(1.0);
  }

  /** Held-out coverage of the intervals on series whose noise is known. */
  @Test
  void intervalsCoverHeldOutPointsAtTheirLevels() {
    Random random = new Random(11);
    int inside80 = 0;
    int inside95 = 0;
    int points = 0;
    for (int i = 0; i < 1_000; i++) {
      double[] full = new double[48];
      double level = 1_000;
      for (int t = 0; t < full.length; t++) {
        if (i % 2 == 0) { // trend, season and white noise
          full[t] =
              1_000 + 5 * t + 100 * Math.sin(2 * Math.PI * t / 12) + random.nextGaussian() * 40;
        } else { // a local level: a random walk observed with noise
          level += random.nextGaussian() * 20;
          full[t] = level + random.nextGaussian() * 20;
        }
      }
      Prediction p = engine.forecast(java.util.Arrays.copyOf(full, 36), 12, 12);
      for (int h = 0; h < 12; h++) {
        double y = full[36 + h];
        inside80 += y >= p.lower()[1][h] && y <= p.upper()[1][h] ? 1 : 0;
        inside95 += y >= p.lower()[2][h] && y <= p.upper()[2][h] ? 1 : 0;
        points++;
      }
    }
    assertThat(inside80 * 100.0 / points).as("80 %% interval").isBetween(75.0, 85.0);
    assertThat(inside95 * 100.0 / points).as("95 %% interval").isBetween(92.0, 98.0);
  }

  @Test
  void intervalsWidenWithTheHorizonAndNestByLevel() {
    double[] y = new double[36];
    Random random = new Random(3);
    for (int t = 0; t < y.length; t++) {
      y[t] = 500 + random.nextGaussian() * 25 + (t > 0 ? y[t - 1] - 500 : 0) * 0.5;
    }
    Prediction p = engine.forecast(y, 12, 12);
    for (int h = 0; h < 12; h++) {
      assertThat(p.upper()[2][h] - p.lower()[2][h])
          .isGreaterThan(p.upper()[1][h] - p.lower()[1][h]);
      assertThat(p.upper()[1][h] - p.lower()[1][h])
          .isGreaterThan(p.upper()[0][h] - p.lower()[0][h]);
    }
    assertThat(p.upper()[2][11] - p.lower()[2][11])
        .isGreaterThanOrEqualTo(p.upper()[2][0] - p.lower()[2][0]);
  }

  @Test
  void aConstantSeriesIsForecastFlatWithFiniteAccuracy() {
    double[] y = new double[14];
    java.util.Arrays.fill(y, 1_000);
    Prediction p = engine.forecast(y, 12, 3);
    assertThat(p.mean()).containsOnly(1_000.0);
    assertThat(p.backtest().mase()).isZero();
    assertThat(p.backtest().mape()).isZero();
  }

  @Test
  void badInputIsRefused() {
    assertThatThrownBy(() -> engine.forecast(new double[11], 12, 3))
        .isInstanceOf(IllegalArgumentException.class);
    double[] y = new double[12];
    y[3] = Double.NaN;
    assertThatThrownBy(() -> engine.forecast(y, 12, 3))
        .isInstanceOf(IllegalArgumentException.class);
    y[3] = -1;
    assertThatThrownBy(() -> engine.forecast(y, 12, 3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> engine.forecast(new double[12], 12, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
