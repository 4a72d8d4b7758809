package io.kallisto.notebook;

import io.kallisto.load.LoadResult;
import io.kallisto.run.RunSummary;
import io.kallisto.run.SummaryJson;
import io.kallisto.run.WorkerSummary;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What an {@link Experiment} measured: throughput and latency from the load generator, a row per
 * server worker, and the trace if the run was traced. Shown in a notebook as a headline and an
 * HTML table of workers.
 *
 * <pre>{@code
 * Result r = Experiment.of("baseline-echo").duration(Duration.ofSeconds(1)).run();
 * r.throughput();      // responses per second after warm-up
 * r.p(99);             // p99 latency in µs
 * r.workers();         // a Table, one row per worker
 * r.summary();         // the engine's full RunSummary
 * }</pre>
 */
public final class Result implements Rich {
  private final RunSummary summary;
  private final Path trace;

  Result(RunSummary summary, Path trace) {
    this.summary = summary;
    this.trace = trace;
  }

  /** Everything the engine measured. <pre>{@code r.summary().configPushes();}</pre> */
  public RunSummary summary() {
    return summary;
  }

  /** The load generator's measurements. <pre>{@code r.load().unanswered();}</pre> */
  public LoadResult load() {
    return summary.load();
  }

  /** Responses per second over the measured window. <pre>{@code r.throughput();}</pre> */
  public double throughput() {
    return summary.load().throughput();
  }

  /**
   * The latency at {@code percentile} (0 to 100), in microseconds.
   *
   * <pre>{@code double p999 = r.p(99.9);}</pre>
   */
  public double p(double percentile) {
    return summary.load().latencyMicros(percentile);
  }

  /**
   * The measured latencies in nanoseconds, for {@link Charts#histogram(String, String,
   * Histogram, double, int)}.
   *
   * <pre>{@code Charts.histogram("latency", "µs", r.latency(), 1000.0, 40);}</pre>
   */
  public Histogram latency() {
    return summary.load().latency();
  }

  /**
   * The trace file of a {@link Experiment#traced()} run.
   *
   * <pre>{@code Trace.stats(r.trace());}</pre>
   *
   * @throws IllegalStateException if the run was not traced
   */
  public Path trace() {
    if (trace == null) {
      throw new IllegalStateException("experiment '" + summary.scenario().name()
          + "' was not traced; run it with .traced() to get a trace");
    }
    return trace;
  }

  /**
   * One row per server worker: requests, connections, busy %, loop and poll-delay percentiles,
   * wakeups, timers and watchdog misses.
   *
   * <pre>{@code double[] perWorker = r.workers().column("requests");}</pre>
   */
  public Table workers() {
    Table t = Table.of("worker", "requests", "conns", "busy %", "loop p50 µs", "loop p99 µs",
        "loop max µs", "poll delay p99 µs", "wakeups", "avoided", "timers", "misses");
    for (WorkerSummary w : summary.workers()) {
      t.row(w.name(), w.requests(), w.connections(), w.busyPercent(), w.loopP50Micros(),
          w.loopP99Micros(), w.loopMaxMicros(), w.pollDelayP99Micros(), w.wakeupsWritten(),
          w.wakeupsAvoided(), w.timersFired(), w.watchdogMisses());
    }
    return t;
  }

  /**
   * Writes what was measured to {@code file}, replacing it: the whole summary as JSON (the same
   * document as {@code kallisto run --json}) when the name ends in {@code .json}, else the table
   * of workers as CSV. Returns the file.
   *
   * <pre>{@code r.save(Path.of("hol.json")); r.save(Path.of("hol-workers.csv"));}</pre>
   *
   * @throws java.io.UncheckedIOException naming the file if it cannot be written
   */
  public Path save(Path file) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString();
    if (name.toLowerCase(Locale.ROOT).endsWith(".json")) {
      SummaryJson.write(summary, file);
      return file;
    }
    return workers().save(file);
  }

  /** The one-line headline: throughput and latency percentiles. <pre>{@code r.headline();}</pre> */
  public String headline() {
    return String.format(Locale.ROOT,
        "%s: %d workers, %,.0f req/s, p50 %,.1f µs, p99 %,.1f µs, p99.9 %,.1f µs, max %,.1f µs",
        summary.scenario().name(), summary.workers().size(), throughput(), p(50), p(99), p(99.9),
        p(100));
  }

  @Override
  public Map<String, String> mimeBundle() {
    StringBuilder html = new StringBuilder("<p><b>")
        .append(Table.escape(headline())).append("</b></p>\n");
    for (String problem : summary.problems()) {
      html.append("<p style=\"color:#a00\">").append(Table.escape(problem)).append("</p>\n");
    }
    html.append(workers().html());
    Map<String, String> m = new LinkedHashMap<>();
    m.put("text/html", html.toString());
    m.put("text/plain", toString());
    return m;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(headline());
    for (String problem : summary.problems()) {
      b.append("\n! ").append(problem);
    }
    return b.append('\n').append(workers()).toString();
  }
}
