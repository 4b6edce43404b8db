package com.securebase.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.securebase.events.EventJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The headline figures of a benchmark, each beside the baseline measured in the same run, added to
 * the run's figures file (one JSON object per line, from every benchmark process) that {@link
 * BenchTable} turns into one table. Without {@code -Dsecurebase.bench.figures} (a benchmark run by
 * hand) nothing is written.
 */
final class BenchFigures {
  private BenchFigures() {}

  /** A figure without a baseline of its own (a count, a target that is absolute). */
  static void add(String area, String figure, double value, String unit) {
    add(area, figure, value, unit, null, Double.NaN);
  }

  static void add(
      String area,
      String figure,
      double value,
      String unit,
      String baseline,
      double baselineValue) {
    String file = System.getProperty("securebase.bench.figures");
    if (file == null || file.isBlank()) {
      return;
    }
    ObjectNode line = EventJson.MAPPER.createObjectNode();
    line.put("area", area);
    line.put("figure", figure);
    line.put("value", round(value));
    line.put("unit", unit);
    if (baseline != null) {
      line.put("baseline", baseline);
      line.put("baselineValue", round(baselineValue));
    }
    try {
      Files.writeString(
          Path.of(file),
          line + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
