package io.kallisto.notebook;

import java.util.Arrays;

/**
 * A named line of points for {@link Charts}: x values and y values of the same length.
 *
 * <pre>{@code
 * Series p99 = Series.of("p99 µs", new double[] {1, 2}, new double[] {230, 310});
 * Series fromTable = Series.of("req/s", table.column("workers"), table.column("req/s"));
 * }</pre>
 *
 * @param name the legend's name for it
 * @param x the x values
 * @param y the y values, one per x
 */
public record Series(String name, double[] x, double[] y) {
  /**
   * Checks the lengths and copies the arrays.
   *
   * @throws IllegalArgumentException if the lengths differ
   */
  public Series {
    if (x.length != y.length) {
      throw new IllegalArgumentException("series '" + name + "' has " + x.length
          + " x values and " + y.length + " y values; they must match");
    }
    x = x.clone();
    y = y.clone();
  }

  /**
   * A series from two arrays.
   *
   * <pre>{@code Series s = Series.of("throughput", workers, rates);}</pre>
   */
  public static Series of(String name, double[] x, double[] y) {
    return new Series(name, x, y);
  }

  /**
   * A series whose x values are 0, 1, 2...
   *
   * <pre>{@code Series s = Series.of("lateness µs", samples);}</pre>
   */
  public static Series of(String name, double[] y) {
    double[] x = new double[y.length];
    Arrays.setAll(x, i -> i);
    return new Series(name, x, y);
  }

  @Override
  public double[] x() {
    return x.clone();
  }

  @Override
  public double[] y() {
    return y.clone();
  }

  @Override
  public String toString() {
    return name + " " + Arrays.toString(x) + " -> " + Arrays.toString(y);
  }
}
