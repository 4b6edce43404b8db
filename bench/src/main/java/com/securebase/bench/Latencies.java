package com.securebase.bench;

import java.util.Arrays;

/** Recorded latencies (nanoseconds) and the percentiles the benchmarks print. */
final class Latencies {
  private long[] values = new long[1024];
  private int size;
  private boolean sorted;

  synchronized void add(long nanos) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = nanos;
    sorted = false;
  }

  /** Forgets everything recorded (after a warm-up). */
  synchronized void reset() {
    size = 0;
    sorted = false;
  }

  synchronized int count() {
    return size;
  }

  /** Nearest-rank percentile in milliseconds. */
  synchronized double millis(double percentile) {
    if (size == 0) {
      return Double.NaN;
    }
    if (!sorted) {
      Arrays.sort(values, 0, size);
      sorted = true;
    }
    int rank = (int) Math.ceil(percentile * size) - 1;
    return values[Math.max(0, Math.min(size - 1, rank))] / 1e6;
  }

  /** "p50 x ms p99 y ms max z ms". */
  String summary() {
    return String.format(
        "p50 %.3f ms   p99 %.3f ms   max %.3f ms", millis(0.50), millis(0.99), millis(1.0));
  }
}
