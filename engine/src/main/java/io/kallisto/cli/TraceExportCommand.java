package io.kallisto.cli;

import io.kallisto.scenario.Durations;
import io.kallisto.trace.TraceFile;
import io.kallisto.trace.analysis.ReadProgress;
import io.kallisto.trace.export.ChromeTraceExporter;
import io.kallisto.trace.export.ExportSummary;
import io.kallisto.trace.export.PerfettoTraceExporter;
import io.kallisto.trace.export.TraceExporter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kallisto trace export FILE --format chrome|perfetto -o OUT [--from T] [--to T]}. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Convert a trace for a viewer. perfetto: Perfetto's protobuf trace (.pftrace), which",
      "ui.perfetto.dev opens at any size. chrome: Chrome Trace Event JSON, which",
      "ui.perfetto.dev, chrome://tracing and speedscope open up to a few hundred MB.",
      "Both hold loops, callbacks, requests, post and slot-update flows and counters."
    })
public final class TraceExportCommand extends TraceFileCommand {
  private static final List<String> FORMATS = List.of("chrome", "perfetto");

  @Option(names = "--format", completionCandidates = Formats.class,
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  String format = "chrome";

  @Option(names = {"-o", "--output"}, paramLabel = "OUT",
      description = "Where to write (default: FILE with .json or .pftrace for .ktrace).")
  Path output;

  @Option(names = "--from", paramLabel = "TIME",
      description = "Export only what overlaps the window from TIME after the trace's first"
          + " event, such as 1.5s (default: its start).")
  String from;

  @Option(names = "--to", paramLabel = "TIME",
      description = "... up to TIME after the trace's first event (default: its end).")
  String to;

  /** Writes the export and says what it wrote. */
  /** A window is read, and checked, block by block: only the blocks that meet it. */
  @Override
  protected TraceFile.Verify verify() {
    return from != null || to != null ? TraceFile.Verify.ON_READ : TraceFile.Verify.ON_OPEN;
  }

  @Override
  void run(TraceFile trace, PrintWriter out) {
    Path target = target();
    long start = after(trace.firstTime(), window("--from", from, 0));
    long end = to == null ? Long.MAX_VALUE : after(trace.firstTime(), window("--to", to, 0));
    if (to != null && end <= start) {
      throw new UserError("--from=" + from + " --to=" + to
          + ": the window is empty; --to must be after --from");
    }
    ExportSummary summary = read(trace, "exporting", p -> exportTo(trace, target, start, end, p));
    out.println("wrote " + target + ": " + summary);
    long size = size(target);
    if (format.equals("chrome") && size > ChromeTraceExporter.LARGE_JSON_BYTES) {
      PrintWriter err = spec.commandLine().getErr();
      err.printf(Locale.ROOT, "warning: %s is %,d MiB of JSON, more than browser viewers load"
          + " (256 MiB); use --format perfetto, or --from/--to for a window%n", target,
          size >> 20);
      err.flush();
    }
  }

  /** Checks the options before the file is opened: a wrong option is the first thing to report. */
  @Override
  void validate() {
    if (!FORMATS.contains(format)) {
      throw new UserError("--format=" + format + " is not supported; use one of: "
          + String.join(", ", FORMATS));
    }
    window("--from", from, 0);
    window("--to", to, 0);
  }

  /** FILE, and the output: never FILE itself. */
  @Override
  FileArguments files() {
    return super.files().output(output != null ? "-o" : "the default output", target());
  }

  private Path target() {
    return output != null ? output : defaultOutput(file, format);
  }

  /** {@code offset} after {@code first}, saturating: a window may reach past any trace. */
  private static long after(long first, long offset) {
    long t = first + offset;
    return ((first ^ t) & (offset ^ t)) < 0 ? Long.MAX_VALUE : t;
  }

  private static long window(String option, String text, long otherwise) {
    if (text == null) {
      return otherwise;
    }
    try {
      return Durations.parse(text).toNanos();
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new UserError(option + ": " + e.getMessage());
    }
  }

  private ExportSummary exportTo(TraceFile trace, Path out, long start, long end,
      ReadProgress progress) {
    try {
      TraceExporter exporter = format.equals("perfetto")
          ? new PerfettoTraceExporter(trace, start, end)
          : new ChromeTraceExporter(trace, start, end);
      return exporter.export(out, progress);
    } catch (UncheckedIOException e) {
      throw new UserError(e.getMessage()); // names the file that could not be read or written
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return -1; // it was just written; a size we cannot read is not worth failing over
    }
  }

  private static Path defaultOutput(Path file, String format) {
    String name = file.getFileName().toString();
    String base = name.endsWith(".ktrace") ? name.substring(0, name.length() - 7) : name;
    return file.resolveSibling(base + (format.equals("perfetto") ? ".pftrace" : ".json"));
  }

  /** The allowed formats, for the help text. */
  static final class Formats implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return FORMATS.iterator();
    }
  }
}
