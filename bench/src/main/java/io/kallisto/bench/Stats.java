package io.kallisto.bench;

import java.util.Arrays;
import java.util.List;

/** Median, minimum and maximum of one figure's per-iteration values. */
final class Stats {
  final double median;
  final double min;
  final double max;
  final int count;

  private Stats(double median, double min, double max, int count) {
    this.median = median;
    this.min = min;
    this.max = max;
    this.count = count;
  }

  /** The statistics of {@code values}, which must not be empty. */
  static Stats of(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("values is empty; need at least one iteration");
    }
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(v);
    int n = v.length;
    double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    return new Stats(median, v[0], v[n - 1], n);
  }

  /** These statistics with every value multiplied by {@code factor} (for unit changes). */
  Stats scaled(double factor) {
    return new Stats(median * factor, min * factor, max * factor, count);
  }
}
