package io.kallisto.cli;

import io.kallisto.trace.TraceFile;
import io.kallisto.trace.analysis.ReadProgress;
import io.kallisto.trace.export.ChromeTraceExporter;
import io.kallisto.trace.export.ExportSummary;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kallisto trace export FILE --format chrome -o out.json}. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Convert a trace for a viewer. chrome: Chrome Trace Event JSON, which ui.perfetto.dev",
      "and chrome://tracing open (loops, callbacks, post and slot-update flows, counters)."
    })
public final class TraceExportCommand extends TraceFileCommand {
  private static final List<String> FORMATS = List.of("chrome");

  @Option(names = "--format", completionCandidates = Formats.class,
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  String format = "chrome";

  @Option(names = {"-o", "--output"}, paramLabel = "OUT",
      description = "Where to write (default: FILE with .json in place of .ktrace).")
  Path output;

  /** Writes the export and says what it wrote. */
  @Override
  void run(TraceFile trace, PrintWriter out) {
    Path target = target();
    ExportSummary summary = read(trace, "exporting", p -> exportTo(trace, target, p));
    out.println("wrote " + target + ": " + summary);
  }

  /** Checks the format before the file is opened: a wrong option is the first thing to report. */
  @Override
  void validate() {
    if (!FORMATS.contains(format)) {
      throw new UserError("--format=" + format + " is not supported; use one of: "
          + String.join(", ", FORMATS));
    }
  }

  /** FILE, and the output: never FILE itself. */
  @Override
  FileArguments files() {
    return super.files().output(output != null ? "-o" : "the default output", target());
  }

  private Path target() {
    return output != null ? output : defaultOutput(file);
  }

  private static ExportSummary exportTo(TraceFile trace, Path out, ReadProgress progress) {
    try {
      return new ChromeTraceExporter(trace).export(out, progress);
    } catch (UncheckedIOException e) {
      throw new UserError(e.getMessage()); // names the file that could not be read or written
    }
  }

  private static Path defaultOutput(Path file) {
    String name = file.getFileName().toString();
    String base = name.endsWith(".ktrace") ? name.substring(0, name.length() - 7) : name;
    return file.resolveSibling(base + ".json");
  }

  /** The allowed formats, for the help text. */
  static final class Formats implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return FORMATS.iterator();
    }
  }
}
