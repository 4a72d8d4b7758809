package io.kallisto.notebook;

import io.kallisto.trace.TraceFile;
import io.kallisto.trace.analysis.CallbackLatency;
import io.kallisto.trace.analysis.LoopActivity;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Statistics of a {@code .ktrace} file, per thread: loop iterations and busy share, how long
 * posts waited in the queue, how late timers fired.
 *
 * <p><b>Note:</b> busy % is the loop's work over its work and poll time. It is not CPU used: a
 * thread that waited for a core in the middle of an iteration counts that wait as work, and a
 * gap between iterations (a simulated loop waiting for a simulated core) counts as neither. For
 * the CPU a thread really used, see {@link ThreadCpu}.
 *
 * <pre>{@code
 * Trace t = Trace.stats(r.trace());
 * t;                                    // a table, one row per thread
 * t.timerLateness("worker-0");          // an HdrHistogram, ns
 * }</pre>
 */
public final class Trace implements Rich {
  private final Path file;
  private final Table table;
  private final Map<String, Histogram> queueDelay = new LinkedHashMap<>();
  private final Map<String, Histogram> timerLateness = new LinkedHashMap<>();

  private Trace(Path file, Table table) {
    this.file = file;
    this.table = table;
  }

  /**
   * Reads {@code trace} (two passes) and returns its statistics.
   *
   * <pre>{@code Trace.stats(Path.of("demo.ktrace"));}</pre>
   *
   * @throws java.io.UncheckedIOException if the file cannot be read, naming it
   */
  public static Trace stats(Path trace) {
    try (TraceFile t = TraceFile.open(trace)) {
      LoopActivity activity = LoopActivity.of(t, null);
      CallbackLatency latency = CallbackLatency.of(t, null);
      Table table = Table.of("thread", "events", "iterations", "busy %", "post queue p50 µs",
          "post queue p99 µs", "timer late p50 µs", "timer late p99 µs");
      Trace stats = new Trace(trace, table);
      for (Map.Entry<Integer, String> e : t.threads().entrySet()) {
        LoopActivity.ThreadActivity a = activity.threads().get(e.getKey());
        CallbackLatency.ThreadLatency l = latency.threads().get(e.getKey());
        if (a == null) {
          continue;
        }
        Histogram q = l == null ? new Histogram(3) : l.queueDelay();
        Histogram late = l == null ? new Histogram(3) : l.timerLateness();
        stats.queueDelay.put(e.getValue(), q);
        stats.timerLateness.put(e.getValue(), late);
        table.row(e.getValue(), a.events(), a.iterations(), a.busyPercent(), micros(q, 50),
            micros(q, 99), micros(late, 50), micros(late, 99));
      }
      return stats;
    }
  }

  /** The table of threads. <pre>{@code Trace.stats(f).table().column("busy %");}</pre> */
  public Table table() {
    return table;
  }

  /**
   * How long posts to {@code thread} waited between {@code post()} and their callback, ns.
   *
   * <pre>{@code Trace.stats(f).queueDelay("worker-0").getValueAtPercentile(99);}</pre>
   *
   * @throws IllegalArgumentException naming the threads there are
   */
  public Histogram queueDelay(String thread) {
    return find(queueDelay, thread);
  }

  /**
   * How late {@code thread}'s timers fired after their deadlines, ns.
   *
   * <pre>{@code Charts.histogram("lateness", "µs", t.timerLateness("main"), 1000.0, 30);}</pre>
   *
   * @throws IllegalArgumentException naming the threads there are
   */
  public Histogram timerLateness(String thread) {
    return find(timerLateness, thread);
  }

  private Histogram find(Map<String, Histogram> byThread, String thread) {
    Histogram h = byThread.get(thread);
    if (h == null) {
      throw new IllegalArgumentException("trace " + file.getFileName() + " has no loop thread '"
          + thread + "'; it has " + byThread.keySet());
    }
    return h;
  }

  private static double micros(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
  }

  @Override
  public Map<String, String> mimeBundle() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("text/html", "<p><b>" + Table.escape(file.getFileName().toString()) + "</b></p>\n"
        + table.html());
    m.put("text/plain", toString());
    return m;
  }

  @Override
  public String toString() {
    return file.getFileName() + "\n" + table;
  }
}
