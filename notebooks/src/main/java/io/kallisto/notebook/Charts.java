package io.kallisto.notebook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/**
 * Line, bar and histogram charts as PNG images (drawn by XChart, headless), shown inline.
 *
 * <pre>{@code
 * Charts.line("Throughput by workers", "workers", "req/s",
 *     Series.of("closed loop", table.column("workers"), table.column("req/s")));
 * Charts.bar("Requests per worker", "worker", "requests", table.labels("worker"),
 *     Series.of("reuse-port", table.column("requests")));
 * Charts.histogram("Loop duration", "µs", stats.loopDuration(), 1000.0, 40);
 * }</pre>
 *
 * <p>Every chart is {@value #WIDTH} by {@value #HEIGHT} pixels unless {@link #size} says
 * otherwise.
 */
public final class Charts {
  /** Default width in pixels. */
  public static final int WIDTH = 720;
  /** Default height in pixels. */
  public static final int HEIGHT = 360;

  private static volatile int width = WIDTH;
  private static volatile int height = HEIGHT;

  static {
    // Charts are drawn offscreen; a notebook's JVM may have no display.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private Charts() {}

  /**
   * Sets the size of the charts drawn from now on, in pixels.
   *
   * <pre>{@code Charts.size(900, 300);}</pre>
   *
   * @throws IllegalArgumentException if either is under 100 or over 4000
   */
  public static void size(int widthPixels, int heightPixels) {
    if (widthPixels < 100 || heightPixels < 100 || widthPixels > 4000 || heightPixels > 4000) {
      throw new IllegalArgumentException("chart size " + widthPixels + "x" + heightPixels
          + " is out of range; each side must be 100 to 4000 pixels");
    }
    width = widthPixels;
    height = heightPixels;
  }

  /**
   * Lines through points, one per series, with markers.
   *
   * <pre>{@code
   * Charts.line("p99 by workers", "workers", "p99 µs",
   *     Series.of("echo", new double[] {1, 2}, new double[] {210, 260}));
   * }</pre>
   */
  public static io.kallisto.notebook.Chart line(String title, String xLabel, String yLabel,
      Series... series) {
    XYChart c = new XYChartBuilder().width(width).height(height).title(title)
        .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
    style(c.getStyler());
    c.getStyler().setLegendVisible(series.length > 1);
    for (Series s : series) {
      c.addSeries(s.name(), s.x(), s.y());
    }
    return render(title, c);
  }

  /**
   * The same as {@link #line}, with a logarithmic y axis: for latencies that span decades.
   *
   * <pre>{@code Charts.lineLogY("p99 by blocking share", "% blocking", "µs", p50, p99);}</pre>
   */
  public static io.kallisto.notebook.Chart lineLogY(String title, String xLabel, String yLabel,
      Series... series) {
    XYChart c = new XYChartBuilder().width(width).height(height).title(title)
        .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
    style(c.getStyler());
    c.getStyler().setYAxisLogarithmic(true);
    c.getStyler().setLegendVisible(series.length > 1);
    for (Series s : series) {
      double[] y = s.y();
      for (int i = 0; i < y.length; i++) {
        y[i] = Math.max(y[i], 1e-3); // a log axis cannot show 0
      }
      c.addSeries(s.name(), s.x(), y);
    }
    return render(title, c);
  }

  /**
   * Bars per category, one colour per series; each series' y values follow {@code categories}
   * (its x values are ignored).
   *
   * <pre>{@code
   * Charts.bar("Connections per worker", "worker", "connections",
   *     List.of("worker-0", "worker-1"), Series.of("reuse-port", new double[] {5, 3}));
   * }</pre>
   *
   * @throws IllegalArgumentException if a series has a different number of values
   */
  public static io.kallisto.notebook.Chart bar(String title, String xLabel, String yLabel,
      List<String> categories, Series... series) {
    CategoryChart c = new CategoryChartBuilder().width(width).height(height).title(title)
        .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
    style(c.getStyler());
    c.getStyler().setLegendVisible(series.length > 1);
    for (Series s : series) {
      if (s.y().length != categories.size()) {
        throw new IllegalArgumentException("series '" + s.name() + "' has " + s.y().length
            + " values for " + categories.size() + " categories " + categories);
      }
      List<Double> ys = new ArrayList<>();
      for (double v : s.y()) {
        ys.add(v);
      }
      c.addSeries(s.name(), categories, ys);
    }
    return render(title, c);
  }

  /**
   * A histogram of raw values in {@code bins} equal bins between their minimum and maximum.
   *
   * <pre>{@code Charts.histogram("Timer lateness", "µs", latenessMicros, 30);}</pre>
   *
   * @throws IllegalArgumentException if {@code values} is empty or {@code bins < 1}
   */
  public static io.kallisto.notebook.Chart histogram(String title, String xLabel,
      double[] values, int bins) {
    if (values.length == 0 || bins < 1) {
      throw new IllegalArgumentException("histogram '" + title + "' needs values and bins >= 1; got "
          + values.length + " values, bins=" + bins);
    }
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (double v : values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    double w = max > min ? (max - min) / bins : 1;
    double[] counts = new double[bins];
    for (double v : values) {
      counts[(int) Math.min(bins - 1, Math.floor((v - min) / w))]++;
    }
    return bars(title, xLabel, min, w, counts);
  }

  /**
   * A histogram of an HdrHistogram (as the engine's statistics keep them) in {@code bins} equal
   * bins up to its 99.9th percentile; the rare slower values land in the last bin. Values are
   * divided by {@code unit}: 1000.0 turns nanoseconds into microseconds.
   *
   * <pre>{@code
   * DispatcherStats s = dispatcher.stats();
   * Charts.histogram("loop_duration", "µs", s.loopDuration(), 1000.0, 40);
   * }</pre>
   *
   * @throws IllegalArgumentException if the histogram is empty or {@code bins < 1}
   */
  public static io.kallisto.notebook.Chart histogram(String title, String xLabel,
      Histogram histogram, double unit, int bins) {
    if (histogram.getTotalCount() == 0 || bins < 1) {
      throw new IllegalArgumentException("histogram '" + title + "' is empty or bins=" + bins
          + "; it needs recorded values and bins >= 1");
    }
    double min = histogram.getMinValue() / unit;
    double top = histogram.getValueAtPercentile(99.9) / unit;
    double w = top > min ? (top - min) / bins : 1;
    double[] counts = new double[bins];
    for (HistogramIterationValue v : histogram.recordedValues()) {
      double x = histogram.medianEquivalentValue(v.getValueIteratedTo()) / unit;
      counts[(int) Math.max(0, Math.min(bins - 1, Math.floor((x - min) / w)))]
          += v.getCountAtValueIteratedTo();
    }
    return bars(title, xLabel, min, w, counts);
  }

  private static io.kallisto.notebook.Chart bars(String title, String xLabel, double min,
      double w, double[] counts) {
    CategoryChart c = new CategoryChartBuilder().width(width).height(height).title(title)
        .xAxisTitle(xLabel).yAxisTitle("count").build();
    style(c.getStyler());
    c.getStyler().setLegendVisible(false);
    c.getStyler().setAvailableSpaceFill(0.98);
    c.getStyler().setXAxisLabelRotation(45);
    c.getStyler().setXAxisDecimalPattern(w >= 10 ? "#,##0" : w >= 1 ? "#,##0.#" : "0.###");
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (int i = 0; i < counts.length; i++) {
      xs.add(min + (i + 0.5) * w);
      ys.add(counts[i]);
    }
    c.addSeries(title, xs, ys);
    return render(title, c);
  }

  private static void style(Styler s) {
    s.setChartBackgroundColor(java.awt.Color.WHITE);
    s.setLegendPosition(Styler.LegendPosition.InsideNW);
    s.setAntiAlias(true);
  }

  private static io.kallisto.notebook.Chart render(String title, Chart<?, ?> chart) {
    try {
      return new io.kallisto.notebook.Chart(title,
          BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot render chart '" + title + "' as PNG", e);
    }
  }
}
