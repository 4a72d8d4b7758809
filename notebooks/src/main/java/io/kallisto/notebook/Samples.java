package io.kallisto.notebook;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;
import java.util.List;

/**
 * One figure measured several times: its runs, median and range, printed the way a lesson
 * quotes a measurement ("20,283 µs (19,904–21,007 over 3 runs)").
 *
 * <pre>{@code
 * Samples p99 = Samples.of("µs", 20_283, 19_904, 21_007);
 * p99.median();                    // 20283.0
 * p99.below(other);                // every run of this one under every run of the other
 * Claim.environment("inline p99 is {}", p99).holds(p99.median() > 10_000);
 * }</pre>
 *
 * @see Trials for running several setups interleaved
 */
public final class Samples {
  private final String unit;
  private final double[] values;
  private final double[] sorted;

  private Samples(String unit, double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("samples need at least one value, got none");
    }
    this.unit = unit == null ? "" : unit;
    this.values = values.clone();
    this.sorted = values.clone();
    Arrays.sort(sorted);
  }

  /**
   * Samples in {@code unit} (printed after each figure; "" for none).
   *
   * @throws IllegalArgumentException if there are no values
   */
  public static Samples of(String unit, double... values) {
    return new Samples(unit, values);
  }

  /** One figure of each of {@code runs}. <pre>{@code Samples.of("req/s", runs, Result::throughput)}</pre> */
  public static <T> Samples of(String unit, List<T> runs, ToDoubleFunction<T> figure) {
    return new Samples(unit, runs.stream().mapToDouble(figure).toArray());
  }

  /** The median: the middle run, or the mean of the two middle runs. */
  public double median() {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** The smallest run. */
  public double min() {
    return sorted[0];
  }

  /** The largest run. */
  public double max() {
    return sorted[sorted.length - 1];
  }

  /** The number of runs. */
  public int size() {
    return values.length;
  }

  /** The runs in the order they were measured. */
  public double[] values() {
    return values.clone();
  }

  /** The unit. */
  public String unit() {
    return unit;
  }

  /** True when every run of this one is below every run of {@code other}: ranges apart. */
  public boolean below(Samples other) {
    return max() < other.min();
  }

  /** True when every run of this one is above every run of {@code other}. */
  public boolean above(Samples other) {
    return min() > other.max();
  }

  /** The median of this divided by the median of {@code other}. */
  public double ratio(Samples other) {
    return median() / other.median();
  }

  /** "20,283 µs (19,904–21,007 over 3 runs)", or "20,283 µs (1 run)". */
  @Override
  public String toString() {
    String u = unit.isEmpty() ? "" : " " + unit;
    if (values.length == 1) {
      return Numbers.plain(median()) + u + " (1 run)";
    }
    return Numbers.plain(median()) + u + " (" + Numbers.plain(min()) + "–"
        + Numbers.plain(max()) + " over " + values.length + " runs)";
  }
}
