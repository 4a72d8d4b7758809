package io.kallisto.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * {@code StandardRun --tracing}: runs the benchmarks in {@code io.kallisto.bench.trace} and
 * {@link EchoBenchmark}'s {@code kallistoTracing} with the settings their annotations give (one
 * fork, three for the on/off pairs; 3 warmup and 5 measurement iterations of 1 s, or 1 + 5
 * single shots for trace loading) and prints what tracing costs against the targets.
 * Rows are medians over the measurement iterations; a loss compares the medians of tracing on
 * and off.
 */
final class TracingTable {
  private static final String PKG = "io.kallisto.bench.trace.";
  /** Measurement iterations the annotations ask for; fewer results mean a benchmark failed. */
  private static final int ITERATIONS = 5;

  private final StringBuilder sb = new StringBuilder();

  private TracingTable() {
    sb.append("## Tracing (Kallisto only)\n\n");
    sb.append("| figure | unit | median | min | max | target | met? |\n");
    sb.append("|---|---|---|---|---|---|---|\n");
  }

  /** Runs the tracing benchmarks and writes {@code OUT/standard-tracing.md} and its JSON. */
  static void run(Path out) throws RunnerException {
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + out, e);
    }
    Collection<RunResult> results = new Runner(new OptionsBuilder()
        .include(PKG.replace(".", "\\.") + ".*")
        .include("io\\.kallisto\\.bench\\.EchoBenchmark\\.kallistoTracing")
        .result(out.resolve("jmh-tracing.json").toString())
        .resultFormat(org.openjdk.jmh.results.format.ResultFormatType.JSON)
        .build()).run();
    Map<String, Map<String, List<Double>>> jmh = StandardRun.primaryScores(results);

    TracingTable t = new TracingTable();
    t.row("record one event (ThreadTrace.record)", "ns",
        single(jmh, "TraceEventCostBenchmark.record"), 30);
    t.row("recording site, tracing on", "ns",
        single(jmh, "TraceEventCostBenchmark.recordingSite"), 30);
    t.row("recording site, tracing off", "ns",
        single(jmh, "TraceEventCostBenchmark.disabledSite"), Double.NaN);
    Map<String, List<Double>> ping = jmh.get("TracingOverheadBenchmark.pingPong");
    t.onOff("ping-pong mean", "us", ping, 1, false, 5);
    Map<String, List<Double>> post = jmh.get("TracingOverheadBenchmark.post");
    t.onOff("post throughput", "M tasks/s", post, 1e-6, true, Double.NaN);
    t.onOff("echo round trips", "k/s", jmh.get("EchoBenchmark.kallistoTracing"), 1e-3, true, 5);
    t.row("load a 10M-event trace (open + forEach)", "s",
        single(jmh, "TraceLoadBenchmark.load"), 2);
    StandardRun.write(out, "tracing", t.sb.toString());
  }

  /**
   * Rows for tracing off, on, and the loss in percent: {@code on / off - 1} for times,
   * {@code 1 - on / off} for rates, so that a positive loss is always worse.
   */
  private void onOff(String figure, String unit, Map<String, List<Double>> byTracing,
      double scale, boolean higherBetter, double maxLossPercent) {
    Stats off = stats(byTracing, "off", scale);
    Stats on = stats(byTracing, "on", scale);
    row(figure + ", tracing off", unit, off, Double.NaN);
    row(figure + ", tracing on", unit, on, Double.NaN);
    String loss = "";
    String met = "";
    if (off != null && on != null) {
      double percent = 100 * (higherBetter ? 1 - on.median / off.median
          : on.median / off.median - 1);
      loss = String.format(Locale.ROOT, "%.1f", percent);
      met = Double.isNaN(maxLossPercent) ? "" : percent <= maxLossPercent ? "yes" : "**no**";
      met = complete(off, complete(on, met));
    }
    sb.append(String.format(Locale.ROOT, "| %s loss from tracing | %% | %s |  |  | %s | %s |\n",
        figure, loss, Double.isNaN(maxLossPercent) ? "none (recorded)"
            : String.format(Locale.ROOT, "at most %.0f %%", maxLossPercent), met));
  }

  /** {@code met}, or a warning if {@code s} has fewer values than a full run. */
  private static String complete(Stats s, String met) {
    return s.count >= ITERATIONS ? met
        : "**failed** after " + s.count + " of " + ITERATIONS + " iterations";
  }

  private static Stats stats(Map<String, List<Double>> byTracing, String tracing, double scale) {
    List<Double> v = byTracing == null ? null : byTracing.get(tracing);
    return v == null || v.isEmpty() ? null : Stats.of(v).scaled(scale);
  }

  /** A benchmark without parameters, or null if it has no results. */
  private static Stats single(Map<String, Map<String, List<Double>>> jmh, String benchmark) {
    return stats(jmh.get(benchmark), "-", 1);
  }

  /** One figure; {@code max} is its target (at most), or NaN for none. */
  private void row(String figure, String unit, Stats v, double max) {
    String target = Double.isNaN(max) ? ""
        : String.format(Locale.ROOT, "at most %.0f %s", max, unit);
    String met = v == null || Double.isNaN(max) ? "" : v.median <= max ? "yes" : "**no**";
    met = v == null ? met : complete(v, met);
    sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |\n", figure, unit,
        v == null ? "(no data)" : StandardRun.Table.fmt(v.median),
        v == null ? "" : StandardRun.Table.fmt(v.min), v == null ? "" : StandardRun.Table.fmt(v.max),
        target, met));
  }
}
