package com.securebase.bench;

import com.securebase.forecasting.domain.ForecastEngine;
import com.securebase.forecasting.domain.ModelKind;
import com.securebase.forecasting.domain.Prediction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Forecasting's engine on {@code series} simulated monthly cost series of 36 months (a fifth each:
 * trend + yearly season, damped trend, local level, multiplicative season, trend alone; noise 2-8
 * %), horizon 12, with the rolling-origin backtest and model choice, on all cores; beside it the
 * baseline the old system used, one linear regression per series, in the same run. Accuracy is
 * measured on the 12 months that follow each series (simulated, not shown to the models): mean MASE
 * against the in-sample seasonal naive, for the chosen models, the linear regression and the
 * seasonal naive itself.
 *
 * <p>Args: {@code [series=10000] [runs=5]}.
 */
public final class ForecastBenchmark {
  private static final int HISTORY = 36;
  private static final int HORIZON = 12;
  private static final int SEASON = 12;

  public static void main(String[] args) {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    double[][] full = simulate(count, 42);
    double[][] history = new double[count][];
    for (int i = 0; i < count; i++) {
      history[i] = Arrays.copyOf(full[i], HISTORY);
    }
    ForecastEngine engine = new ForecastEngine();
    int threads = ForkJoinPool.commonPool().getParallelism();
    System.out.printf(
        Locale.ROOT,
        "%d series x %d months, horizon %d, %d worker threads (%d cores)%n",
        count,
        HISTORY,
        HORIZON,
        threads,
        Runtime.getRuntime().availableProcessors());
    // Warm-up: the JIT compiles the fitting loops before anything is timed.
    run(engine, Arrays.copyOf(history, Math.min(count, 2_000)));
    List<Double> engineSeconds = new ArrayList<>();
    List<Double> linearSeconds = new ArrayList<>();
    Prediction[] last = null;
    for (int r = 0; r < runs; r++) {
      long t0 = System.nanoTime();
      last = run(engine, history);
      engineSeconds.add((System.nanoTime() - t0) / 1e9);
      long t1 = System.nanoTime();
      double[][] linear = linear(history);
      linearSeconds.add((System.nanoTime() - t1) / 1e9);
      if (linear.length != count) {
        throw new IllegalStateException("baseline lost series");
      }
    }
    System.out.printf(
        Locale.ROOT,
        "engine (backtest + choice + intervals): %s s per %d series -> %s forecasts/s (target: all in under 5 s)%n",
        spread(engineSeconds, 1),
        count,
        rate(engineSeconds, count));
    System.out.printf(
        Locale.ROOT,
        "baseline (one linear regression each):  %s s per %d series -> %s forecasts/s%n",
        spread(linearSeconds, 1000),
        count,
        rate(linearSeconds, count));
    BenchFigures.add(
        "Forecasting",
        "engine forecasts per s (median run)",
        count / median(engineSeconds),
        "per s",
        "one linear regression each",
        count / median(linearSeconds));
    accuracy(full, history, last, linear(history));
  }

  private static Prediction[] run(ForecastEngine engine, double[][] history) {
    Prediction[] out = new Prediction[history.length];
    IntStream.range(0, history.length)
        .parallel()
        .forEach(i -> out[i] = engine.forecast(history[i], SEASON, HORIZON));
    return out;
  }

  private static void accuracy(
      double[][] full, double[][] history, Prediction[] chosen, double[][] linear) {
    double engineMase = 0;
    double linearMase = 0;
    double naiveMase = 0;
    double covered80 = 0;
    double covered95 = 0;
    Map<ModelKind, Integer> models = new EnumMap<>(ModelKind.class);
    for (int i = 0; i < full.length; i++) {
      double scale = naiveScale(history[i]);
      double e = 0;
      double l = 0;
      double n = 0;
      for (int h = 0; h < HORIZON; h++) {
        double actual = full[i][HISTORY + h];
        e += Math.abs(actual - chosen[i].mean()[h]);
        l += Math.abs(actual - linear[i][h]);
        n += Math.abs(actual - history[i][HISTORY - SEASON + (h % SEASON)]);
        covered80 += inside(actual, chosen[i], 1, h);
        covered95 += inside(actual, chosen[i], 2, h);
      }
      engineMase += e / HORIZON / scale;
      linearMase += l / HORIZON / scale;
      naiveMase += n / HORIZON / scale;
      models.merge(chosen[i].model(), 1, Integer::sum);
    }
    int count = full.length;
    System.out.printf(
        Locale.ROOT,
        "accuracy on the 12 held-out months: mean MASE engine %.3f, linear regression %.3f,"
            + " seasonal naive %.3f; 80 %% interval covers %.1f %%, 95 %% covers %.1f %%%n",
        engineMase / count,
        linearMase / count,
        naiveMase / count,
        covered80 * 100 / (count * HORIZON),
        covered95 * 100 / (count * HORIZON));
    System.out.println("models chosen: " + models);
  }

  private static double inside(double actual, Prediction p, int level, int h) {
    return actual >= p.lower()[level][h] && actual <= p.upper()[level][h] ? 1 : 0;
  }

  private static double naiveScale(double[] y) {
    double sum = 0;
    for (int t = SEASON; t < y.length; t++) {
      sum += Math.abs(y[t] - y[t - SEASON]);
    }
    return Math.max(sum / (y.length - SEASON), 1e-9);
  }

  /** The old system: least squares on time, extrapolated. */
  private static double[][] linear(double[][] history) {
    double[][] out = new double[history.length][HORIZON];
    for (int i = 0; i < history.length; i++) {
      double[] y = history[i];
      int n = y.length;
      double tMean = (n - 1) / 2.0;
      double yMean = Arrays.stream(y).average().orElse(0);
      double sxy = 0;
      double sxx = 0;
      for (int t = 0; t < n; t++) {
        sxy += (t - tMean) * (y[t] - yMean);
        sxx += (t - tMean) * (t - tMean);
      }
      double slope = sxy / sxx;
      for (int h = 0; h < HORIZON; h++) {
        out[i][h] = yMean + slope * (n + h - tMean);
      }
    }
    return out;
  }

  /** 48 months per series: 36 shown to the models, 12 held out. */
  static double[][] simulate(int count, long seed) {
    Random random = new Random(seed);
    int months = HISTORY + HORIZON;
    double[][] out = new double[count][months];
    for (int i = 0; i < count; i++) {
      double base = 500 + random.nextDouble() * 20_000;
      double noise = 0.02 + random.nextDouble() * 0.06;
      double amplitude = 0.05 + random.nextDouble() * 0.25;
      double growth = (random.nextDouble() - 0.3) * 0.02;
      double phase = random.nextDouble() * 2 * Math.PI;
      double level = base;
      double slope = base * growth;
      for (int t = 0; t < months; t++) {
        double season = Math.sin(2 * Math.PI * t / SEASON + phase);
        double eps = random.nextGaussian() * noise * base;
        double v =
            switch (i % 5) {
              case 0 -> base * (1 + growth * t) + amplitude * base * season + eps;
              case 1 -> {
                slope *= 0.9;
                level += slope;
                yield level + amplitude * base * season + eps;
              }
              case 2 -> {
                level += random.nextGaussian() * noise * base * 0.5;
                yield level + eps;
              }
              case 3 -> base * (1 + growth * t) * (1 + amplitude * season) + eps;
              default -> base * (1 + growth * t) + eps;
            };
        out[i][t] = Math.max(0, v);
      }
    }
    return out;
  }

  private static String spread(List<Double> seconds, int scale) {
    double min = seconds.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    double max = seconds.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    double median = median(seconds);
    return scale == 1
        ? String.format(
            Locale.ROOT, "median %.2f (%.2f-%.2f over %d runs)", median, min, max, seconds.size())
        : String.format(
            Locale.ROOT, "median %.4f (%.4f-%.4f over %d runs)", median, min, max, seconds.size());
  }

  private static double median(List<Double> seconds) {
    return seconds.stream().sorted().toList().get(seconds.size() / 2);
  }

  private static String rate(List<Double> seconds, int count) {
    double min = seconds.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    double max = seconds.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    return String.format(Locale.ROOT, "%,.0f-%,.0f", count / max, count / min);
  }
}
