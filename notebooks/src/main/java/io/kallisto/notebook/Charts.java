package io.kallisto.notebook;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;

/**
 * Charts as PNG images (drawn by XChart, headless), shown inline. Every axis is labelled plainly
 * (thousands separators, never scientific notation), and an axis whose data are whole numbers
 * (workers, counts) is labelled only at whole numbers.
 *
 * <pre>{@code
 * Charts.line("Throughput by workers", "workers", "req/s",
 *     Series.of("closed loop", table.column("workers"), table.column("req/s")));
 * Charts.percentiles("Latency", "µs", 1000.0, Map.of("inline", inline, "offload", offload));
 * Charts.histogramLogX("Loop duration", "µs", stats.loopDuration(), 1000.0);
 * Charts.barLogY("Wait p99", "fix", "µs", fixes.labels("fix"), Series.of("p99", p99));
 * }</pre>
 *
 * <p>For latencies, prefer {@link #percentiles} (the whole distribution, tail included) or
 * {@link #histogramLogX}: a linear histogram puts nearly all of a latency distribution into its
 * first bin. A chart of no data is a picture saying so, not an exception. Every chart is
 * {@value #WIDTH} by {@value #HEIGHT} pixels unless {@link #size} says otherwise.
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
    return xy(title, xLabel, yLabel, false, series);
  }

  /**
   * The same as {@link #line}, with a logarithmic y axis: for figures that span decades.
   * Values of 0 or less cannot sit on a log axis; they are drawn at the axis' floor, a tenth of
   * the smallest positive value, and the title says so. When the positive values span less
   * than a decade the axis stays linear (a log axis would label a single tick).
   *
   * <pre>{@code Charts.lineLogY("p99 by blocking share", "% blocking", "µs", p50, p99);}</pre>
   */
  public static io.kallisto.notebook.Chart lineLogY(String title, String xLabel, String yLabel,
      Series... series) {
    return xy(title, xLabel, yLabel, true, series);
  }

  private static io.kallisto.notebook.Chart xy(String title, String xLabel, String yLabel,
      boolean logY, Series... series) {
    if (series.length == 0 || allEmpty(series)) {
      return empty(title, "no points to draw");
    }
    // Within one decade a log axis gets a single labelled tick: a linear one reads better.
    logY &= spansADecade(series);
    double floor = logY ? logFloor(series) : 0;
    boolean clipped = false;
    XYChart c = new XYChartBuilder().width(width).height(height).title(title)
        .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
    style(c.getStyler());
    c.getStyler().setLegendVisible(series.length > 1);
    c.getStyler().setYAxisLogarithmic(logY);
    boolean wholeX = true;
    boolean wholeY = !logY;
    for (Series s : series) {
      double[] y = s.y();
      for (int i = 0; i < y.length; i++) {
        if (logY && !(y[i] > 0)) {
          y[i] = floor;
          clipped = true;
        }
      }
      wholeX &= whole(s.x());
      wholeY &= whole(y);
      c.addSeries(s.name(), s.x(), y);
    }
    c.getStyler().setxAxisTickLabelsFormattingFunction(labels(wholeX));
    yLabels(c.getStyler(), logY, wholeY, floor);
    if (clipped) {
      c.setTitle(title + " (values ≤ 0 drawn at the floor)");
    }
    return render(title, c);
  }

  /**
   * Bars per category, one colour per series, each bar labelled with its value; each series' y
   * values follow {@code categories} (its x values are ignored).
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
    return bars(title, xLabel, yLabel, categories, false, series);
  }

  /**
   * The same as {@link #bar}, with a logarithmic y axis, so that a bar a thousand times shorter
   * than its neighbour still shows. A value of 0 or less gets no bar (a log axis has no place for
   * it), and the title says so.
   *
   * <pre>{@code Charts.barLogY("Small tasks' wait", "fix", "µs", fixes.labels("fix"), p99, max);}</pre>
   */
  public static io.kallisto.notebook.Chart barLogY(String title, String xLabel, String yLabel,
      List<String> categories, Series... series) {
    return bars(title, xLabel, yLabel, categories, true, series);
  }

  private static io.kallisto.notebook.Chart bars(String title, String xLabel, String yLabel,
      List<String> categories, boolean logY, Series... series) {
    if (categories.isEmpty() || series.length == 0) {
      return empty(title, "no bars to draw");
    }
    CategoryChart c = new CategoryChartBuilder().width(width).height(height).title(title)
        .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
    style(c.getStyler());
    c.getStyler().setLegendVisible(series.length > 1);
    c.getStyler().setLabelsVisible(true);
    c.getStyler().setLabelsFontColorAutomaticEnabled(false);
    c.getStyler().setLabelsFontColor(Color.DARK_GRAY);
    c.getStyler().setLabelsPosition(1.0);
    c.getStyler().setYAxisLogarithmic(logY);
    double floor = logY ? logFloor(series) : 0;
    if (logY) {
      c.getStyler().setYAxisMin(floor); // bars start at 0 otherwise, which no log axis can show
    }
    boolean wholeY = !logY;
    boolean zeros = false;
    for (Series s : series) {
      if (s.y().length != categories.size()) {
        throw new IllegalArgumentException("series '" + s.name() + "' has " + s.y().length
            + " values for " + categories.size() + " categories " + categories);
      }
      List<Double> ys = new ArrayList<>();
      for (double v : s.y()) {
        if (logY && !(v > 0)) {
          zeros = true;
          ys.add(null); // no bar: a log axis has no place for 0
        } else {
          ys.add(shown(v)); // XChart labels a bar with its raw value: give it the plain one
        }
      }
      wholeY &= whole(s.y());
      c.addSeries(s.name(), categories, ys);
    }
    yLabels(c.getStyler(), logY, wholeY, floor);
    if (zeros) {
      c.setTitle(title + " (no bar: 0)");
    }
    return render(title, c);
  }

  /**
   * Latency distributions as percentile curves, one per histogram, the way HdrHistogram plots
   * them: the x axis is the number of nines, log10(1 / (1 - percentile)), so 90 %, 99 %, 99.9 %
   * and 99.99 % sit equally far apart and the tail gets as much room as the median. The y axis is logarithmic
   * too. Values are divided by {@code unit} (1000.0 turns ns into µs). The curve of a histogram
   * stops at the percentile its sample size can support (one value in the tail).
   *
   * <pre>{@code
   * Map<String, Histogram> m = new LinkedHashMap<>();
   * m.put("inline", inline); m.put("offload", offload);
   * Charts.percentiles("How long small tasks waited", "µs", 1000.0, m);
   * }</pre>
   */
  public static io.kallisto.notebook.Chart percentiles(String title, String yLabel, double unit,
      Map<String, Histogram> histograms) {
    XYChart c = new XYChartBuilder().width(width).height(height).title(title)
        .xAxisTitle("percentile").yAxisTitle(yLabel).build();
    style(c.getStyler());
    // x is log10(1 / (1 - p)) on a linear axis: XChart cannot label a logarithmic axis through a
    // formatting function, and this puts 90 %, 99 %, 99.9 % at 1, 2, 3 all the same.
    c.getStyler().setYAxisLogarithmic(true);
    yLabels(c.getStyler(), true, false, 1e-3);
    c.getStyler().setLegendVisible(histograms.size() > 1);
    c.getStyler().setMarkerSize(0);
    c.getStyler().setxAxisTickLabelsFormattingFunction(Charts::percentileLabel);
    int drawn = 0;
    for (Map.Entry<String, Histogram> e : histograms.entrySet()) {
      Histogram h = e.getValue();
      if (h.getTotalCount() == 0) {
        continue;
      }
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      // Beyond 1 - 1/n a percentile says nothing more than the maximum.
      double lastX = Math.max(2, h.getTotalCount());
      for (HistogramIterationValue v : h.percentiles(5)) {
        double p = v.getPercentileLevelIteratedTo() / 100.0;
        double x = p >= 1 ? lastX : Math.min(lastX, 1 / (1 - p));
        xs.add(Math.log10(x));
        ys.add(Math.max(1e-3, h.highestEquivalentValue(v.getValueIteratedTo()) / unit));
        if (x >= lastX) {
          break;
        }
      }
      XYSeries s = c.addSeries(e.getKey() + " (" + Numbers.count(h.getTotalCount()) + ")", xs,
          ys);
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
      drawn++;
    }
    if (drawn == 0) {
      return empty(title, "no values recorded");
    }
    return render(title, c);
  }

  /**
   * One distribution as a percentile curve; see {@link #percentiles(String, String, double, Map)}.
   *
   * <pre>{@code Charts.percentiles("Timer lateness", "µs late", 1000.0, "1 ms timer", lateness);}</pre>
   */
  public static io.kallisto.notebook.Chart percentiles(String title, String yLabel, double unit,
      String name, Histogram histogram) {
    Map<String, Histogram> one = new LinkedHashMap<>();
    one.put(name, histogram);
    return percentiles(title, yLabel, unit, one);
  }

  /**
   * log10(1 / (1 - p)) back to "99.9 %", at whole decades only (0 → 0 %, 1 → 90 %, 2 → 99 %):
   * the label of a percentile axis tick.
   */
  static String percentileLabel(double x) {
    if (Math.abs(x - Math.rint(x)) > 1e-9 || x < 0) {
      return "";
    }
    int nines = (int) Math.rint(x);
    if (nines == 0) {
      return "0 %";
    }
    double p = 100 * (1 - Math.pow(10, -nines));
    return String.format(java.util.Locale.ROOT, "%." + Math.max(0, nines - 2) + "f %%", p);
  }

  /**
   * An HdrHistogram's values counted in bins that grow by 1, 2, 5 per decade (10–20, 20–50,
   * 50–100 µs ...), so a distribution that spans decades shows its shape and its tail. The count
   * axis is logarithmic too and each bar is labelled with its count, so that a bin of 3 beside a
   * bin of 30,000 still reads; an empty bin has no bar. Values are divided by {@code unit}.
   *
   * <pre>{@code Charts.histogramLogX("loop_duration", "µs", stats.loopDuration(), 1000.0);}</pre>
   */
  public static io.kallisto.notebook.Chart histogramLogX(String title, String xLabel,
      Histogram histogram, double unit) {
    if (histogram.getTotalCount() == 0) {
      return empty(title, "no values recorded");
    }
    double lo = Math.max(histogram.getMinValue() / unit, 1e-3);
    double hi = Math.max(histogram.getMaxValue() / unit, lo);
    List<Double> edges = oneTwoFive(lo, hi);
    double[] counts = new double[edges.size() - 1];
    for (HistogramIterationValue v : histogram.recordedValues()) {
      double x = histogram.medianEquivalentValue(v.getValueIteratedTo()) / unit;
      int bin = 0;
      while (bin < counts.length - 1 && x >= edges.get(bin + 1)) {
        bin++;
      }
      counts[bin] += v.getCountAtValueIteratedTo();
    }
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < counts.length; i++) {
      labels.add(Numbers.plain(edges.get(i)) + "–" + Numbers.plain(edges.get(i + 1)));
    }
    CategoryChart c = new CategoryChartBuilder().width(width).height(height).title(title)
        .xAxisTitle(xLabel).yAxisTitle("count").build();
    style(c.getStyler());
    c.getStyler().setLegendVisible(false);
    c.getStyler().setAvailableSpaceFill(0.9);
    c.getStyler().setXAxisLabelRotation(counts.length > 8 ? 45 : 0);
    c.getStyler().setLabelsVisible(true);
    c.getStyler().setLabelsFontColorAutomaticEnabled(false);
    c.getStyler().setLabelsFontColor(Color.DARK_GRAY);
    c.getStyler().setLabelsPosition(1.0);
    // Counts span decades too (the tail is a thousandth of the peak): a log count axis, on which
    // an empty bin has no bar, and a bin of one still shows.
    c.getStyler().setYAxisLogarithmic(true);
    c.getStyler().setYAxisMin(0.5);
    yLabels(c.getStyler(), true, true, 1);
    List<Double> ys = new ArrayList<>();
    for (double n : counts) {
      ys.add(n > 0 ? n : null);
    }
    c.addSeries(title, labels, ys);
    return render(title, c);
  }

  /**
   * A histogram of raw values in {@code bins} equal bins between their minimum and maximum: for
   * values that do not span decades (for those, see {@link #histogramLogX}).
   *
   * <pre>{@code Charts.histogram("Connections per worker", "connections", counts, 10);}</pre>
   *
   * @throws IllegalArgumentException if {@code bins < 1}
   */
  public static io.kallisto.notebook.Chart histogram(String title, String xLabel,
      double[] values, int bins) {
    if (bins < 1) {
      throw new IllegalArgumentException("histogram '" + title + "' needs bins >= 1, got "
          + bins);
    }
    if (values.length == 0) {
      return empty(title, "no values recorded");
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
    return linearBins(title, xLabel, min, w, counts);
  }

  /**
   * A histogram of an HdrHistogram in {@code bins} equal bins up to its 99.9th percentile; the
   * rare slower values land in the last bin. Values are divided by {@code unit}. Latencies
   * usually read better in {@link #percentiles} or {@link #histogramLogX}.
   *
   * <pre>{@code Charts.histogram("Timer lateness", "µs", lateness, 1000.0, 40);}</pre>
   *
   * @throws IllegalArgumentException if {@code bins < 1}
   */
  public static io.kallisto.notebook.Chart histogram(String title, String xLabel,
      Histogram histogram, double unit, int bins) {
    if (bins < 1) {
      throw new IllegalArgumentException("histogram '" + title + "' needs bins >= 1, got "
          + bins);
    }
    if (histogram.getTotalCount() == 0) {
      return empty(title, "no values recorded");
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
    return linearBins(title, xLabel, min, w, counts);
  }

  private static io.kallisto.notebook.Chart linearBins(String title, String xLabel, double min,
      double w, double[] counts) {
    List<String> labels = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (int i = 0; i < counts.length; i++) {
      labels.add(Numbers.plain(min + (i + 0.5) * w));
      ys.add(counts[i]);
    }
    CategoryChart c = new CategoryChartBuilder().width(width).height(height).title(title)
        .xAxisTitle(xLabel).yAxisTitle("count").build();
    style(c.getStyler());
    c.getStyler().setLegendVisible(false);
    c.getStyler().setAvailableSpaceFill(0.98);
    c.getStyler().setXAxisLabelRotation(45);
    c.getStyler().setyAxisTickLabelsFormattingFunction(labels(true));
    c.addSeries(title, labels, ys);
    return render(title, c);
  }

  /**
   * A picture of a chart with nothing to draw: its title and why, instead of an exception that
   * would end the cell (an empty histogram is a finding, such as "no poll ever overran").
   */
  static io.kallisto.notebook.Chart empty(String title, String why) {
    BufferedImage img = new BufferedImage(width, Math.min(height, 160),
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = Pictures.whiteCanvas(img);
    try {
      g.setColor(Color.LIGHT_GRAY);
      g.setStroke(new BasicStroke(1));
      g.drawRect(0, 0, img.getWidth() - 1, img.getHeight() - 1);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
      g.drawString(title, 16, 40);
      g.setColor(Color.DARK_GRAY);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
      g.drawString("Nothing to draw: " + why + ".", 16, 80);
    } finally {
      g.dispose();
    }
    return new io.kallisto.notebook.Chart(title + " (empty: " + why + ")",
        Pictures.png(img, "chart '" + title + "'"));
  }

  /**
   * Bin edges on the 1-2-5 sequence: the largest one at or below {@code lo}, then each next one
   * up to the first above {@code hi}.
   */
  static List<Double> oneTwoFive(double lo, double hi) {
    List<Double> edges = new ArrayList<>();
    double decade = Math.pow(10, Math.floor(Math.log10(lo)));
    double[] steps = {1, 2, 5};
    for (int i = 0; ; i++) {
      double edge = steps[i % 3] * decade * Math.pow(10, i / 3);
      if (edge <= lo) {
        edges.clear(); // a later edge at or below lo is a better first one
      }
      edges.add(edge);
      if (edge > hi) {
        return edges;
      }
    }
  }

  /**
   * Plain y tick labels. A logarithmic axis takes a decimal pattern (XChart's formatting function
   * assumes a linear axis, and loops over a log range tick by tick); a linear one, the function.
   */
  private static void yLabels(AxesChartStyler s, boolean log, boolean wholeOnly, double floor) {
    if (log) {
      // As many decimals as the axis' floor needs, so that no tick above 0 reads "0".
      int decimals = floor >= 1 ? 0 : Math.min(9, (int) Math.ceil(-Math.log10(floor)));
      s.setYAxisDecimalPattern(decimals == 0 ? "#,##0" : "#,##0." + "#".repeat(decimals));
    } else {
      s.setyAxisTickLabelsFormattingFunction(labels(wholeOnly));
    }
  }

  /** {@code v} rounded as {@link Numbers#plain} prints it: 121.419 becomes 121. */
  static double shown(double v) {
    String plain = Numbers.plain(v).replace(",", "");
    try {
      return Double.parseDouble(plain);
    } catch (NumberFormatException e) {
      return v; // n/a, infinities
    }
  }

  /** Plain tick labels; only at whole numbers when the data are whole numbers. */
  private static Function<Double, String> labels(boolean wholeOnly) {
    return v -> wholeOnly && Math.abs(v - Math.rint(v)) > 1e-9 ? ""
        : Numbers.plain(Math.abs(v) < 1e-12 ? 0 : v);
  }

  private static boolean whole(double[] values) {
    for (double v : values) {
      if (Math.abs(v - Math.rint(v)) > 1e-9) {
        return false;
      }
    }
    return true;
  }

  private static boolean spansADecade(Series[] series) {
    double min = Double.MAX_VALUE;
    double max = 0;
    for (Series s : series) {
      for (double v : s.y()) {
        if (v > 0) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
    }
    return max >= 10 * min;
  }

  private static boolean allEmpty(Series[] series) {
    for (Series s : series) {
      if (s.x().length > 0) {
        return false;
      }
    }
    return true;
  }

  private static double logFloor(Series[] series) {
    double min = Double.MAX_VALUE;
    for (Series s : series) {
      for (double v : s.y()) {
        if (v > 0) {
          min = Math.min(min, v);
        }
      }
    }
    return min == Double.MAX_VALUE ? 1 : min / 10; // the smallest value gets a decade of height
  }

  private static void style(AxesChartStyler s) {
    s.setChartBackgroundColor(Color.WHITE);
    s.setLegendPosition(Styler.LegendPosition.OutsideE); // never over a point or a bar's label
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
