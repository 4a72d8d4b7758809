package io.kallisto.cli;

import io.kallisto.trace.CallbackKind;
import io.kallisto.trace.TraceFile;
import io.kallisto.trace.analysis.CallbackLatency;
import io.kallisto.trace.analysis.CallbackLatency.ThreadLatency;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;

/** {@code kallisto trace stats FILE}: latency percentiles per loop thread. */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = {
      "Latency percentiles per loop thread: queueing delay (post() to the callback's start,",
      "joined by flow id), timer lateness (deadline to the callback's start) and callback",
      "run time by kind. Times in microseconds."
    })
public final class TraceStatsCommand extends TraceFileCommand {
  /** Prints the three tables. */
  @Override
  void run(TraceFile trace, PrintWriter out) {
    CallbackLatency latency = read(trace, "reading", p -> CallbackLatency.of(trace, p));
    Map<Integer, String> names = trace.threads();
    out.println("queueing delay: post() to callback start (us)");
    perThread(latency, names, ThreadLatency::queueDelay).print(out);
    // Slot updates are posts too, but their callbacks carry the slot's flow, not the post's.
    out.printf(Locale.ROOT, "%s posts joined to their callbacks; %s posts or callbacks not"
        + " joined (slot updates, or the other end is not in the trace)%n%n",
        TextTable.count(latency.postsJoined()), TextTable.count(latency.postsUnmatched()));
    out.println("timer lateness: deadline to callback start (us)");
    perThread(latency, names, ThreadLatency::timerLateness).print(out);
    out.println();
    out.println("callback run time by kind (us)");
    TextTable durations = new TextTable(columns("thread", "kind"));
    latency.threads().forEach((id, t) -> {
      for (Map.Entry<CallbackKind, Histogram> k : t.durations().entrySet()) {
        durations.row(cells(name(names, id), k.getKey().label(), k.getValue()));
      }
    });
    durations.print(out);
  }

  private static TextTable perThread(CallbackLatency latency, Map<Integer, String> names,
      Function<ThreadLatency, Histogram> which) {
    TextTable table = new TextTable(columns("thread"));
    latency.threads().forEach((id, t) -> {
      Histogram h = which.apply(t);
      if (h.getTotalCount() > 0) {
        table.row(cells(name(names, id), null, h));
      }
    });
    return table;
  }

  private static String[] columns(String... keys) {
    String[] c = new String[keys.length + 5];
    System.arraycopy(keys, 0, c, 0, keys.length);
    System.arraycopy(new String[] {"count", "p50", "p90", "p99", "max"}, 0, c, keys.length, 5);
    return c;
  }

  /** A row: the thread, the kind if there is one, then the count and percentiles. */
  private static String[] cells(String thread, String kind, Histogram h) {
    String[] stats = {
      TextTable.count(h.getTotalCount()), micros(h.getValueAtPercentile(50)),
      micros(h.getValueAtPercentile(90)), micros(h.getValueAtPercentile(99)),
      micros(h.getMaxValue())
    };
    String[] keys = kind == null ? new String[] {thread} : new String[] {thread, kind};
    String[] c = new String[keys.length + stats.length];
    System.arraycopy(keys, 0, c, 0, keys.length);
    System.arraycopy(stats, 0, c, keys.length, stats.length);
    return c;
  }

  private static String name(Map<Integer, String> names, int id) {
    String n = names.get(id);
    return n != null ? TerminalText.safe(n) : "thread " + id; // names come from the file
  }

  private static String micros(long nanos) {
    return String.format(Locale.ROOT, "%.1f", nanos / 1000.0);
  }
}
