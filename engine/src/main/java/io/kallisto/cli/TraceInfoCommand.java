package io.kallisto.cli;

import io.kallisto.trace.EventType;
import io.kallisto.trace.TraceFile;
import io.kallisto.trace.analysis.LoopActivity;
import io.kallisto.trace.analysis.LoopActivity.ThreadActivity;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code kallisto trace info FILE}: what a trace holds, and how busy each loop was. */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description = {
      "Summarize a trace: header facts, clock, time span, threads with their event counts,",
      "events by type, and per loop thread its iterations, busy %% (work / (poll + work))",
      "and time in poll."
    })
public final class TraceInfoCommand extends TraceFileCommand {
  /** Prints the header facts, the threads with their loop statistics, and counts by type. */
  @Override
  void run(TraceFile trace, PrintWriter out) {
    LoopActivity activity = read(trace, "reading", p -> LoopActivity.of(trace, p));
    printHeader(out, trace);
    out.println();
    printThreads(out, trace, activity);
    out.println();
    TextTable types = new TextTable("event type", "count");
    for (Map.Entry<EventType, Long> t : activity.byType().entrySet()) {
      types.row(t.getKey().label(), TextTable.count(t.getValue()));
    }
    types.print(out);
  }

  private void printHeader(PrintWriter out, TraceFile trace) {
    out.printf(Locale.ROOT, "file        %s (%s bytes, format version %d; %s)%n",
        TerminalText.safe(trace.path().toString()),
        TextTable.count(size(trace.path())), trace.version(), TraceFacts.headerCheck(trace));
    out.printf(Locale.ROOT, "recording   %s%n", TerminalText.safe(TraceFacts.ending(trace)));
    out.printf(Locale.ROOT, "clock       %s%n", trace.virtualClock() ? "virtual (simulated run)"
        : "monotonic");
    for (Map.Entry<String, String> f : trace.header().entrySet()) {
      // Keys and values come from the file: a crafted one must not drive the terminal.
      out.printf(Locale.ROOT, "header      %s = %s%n", TerminalText.safe(f.getKey()),
          TerminalText.safe(f.getValue()));
    }
    long span = trace.lastTime() - trace.firstTime();
    out.printf(Locale.ROOT, "events      %s over %.3f ms (from %d to %d ns)%n",
        TextTable.count(trace.eventCount()), span / 1e6, trace.firstTime(), trace.lastTime());
  }

  private static void printThreads(PrintWriter out, TraceFile trace, LoopActivity activity) {
    TextTable table = new TextTable("thread", "id", "events", "iterations", "busy %",
        "poll (ms)", "work (ms)");
    for (Map.Entry<Integer, String> t : trace.threads().entrySet()) {
      ThreadActivity a = activity.threads().get(t.getKey());
      String name = TerminalText.safe(t.getValue());
      if (a == null) {
        table.row(name, t.getKey().toString(), "0", "-", "-", "-", "-");
      } else if (a.iterations() == 0) {
        table.row(name, t.getKey().toString(), TextTable.count(a.events()), "-", "-", "-", "-");
      } else {
        table.row(name, t.getKey().toString(), TextTable.count(a.events()), TextTable.count(a.iterations()),
            String.format(Locale.ROOT, "%.1f", a.busyPercent()), millis(a.pollNanos()),
            millis(a.workNanos()));
      }
    }
    table.print(out);
  }

  private long size(Path path) {
    try {
      return Files.size(path);
    } catch (IOException e) {
      return -1; // it was just opened; a size we cannot read is not worth failing over
    }
  }

  private static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
  }
}
