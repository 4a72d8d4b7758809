package io.kallisto.cli;

import io.kallisto.trace.TraceFile;
import io.kallisto.trace.TraceFormatException;
import io.kallisto.trace.analysis.ReadProgress;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Parameters;

/**
 * A {@code kallisto trace} subcommand that reads one trace file. A file that cannot be read as
 * a trace is the user's mistake (one line, exit 2); a damaged one is read as far as it goes,
 * with one warning line on stderr, and the command still succeeds.
 */
abstract class TraceFileCommand implements Runnable {
  /** Events from which a pass over the file shows progress on stderr. */
  static final long PROGRESS_FROM = 1 << 20;
  /** Damaged ranges warned of one by one; the rest are counted. */
  static final int MAX_DAMAGE_LINES = 10;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The .ktrace file.")
  Path file;

  /** Does the command's work on the opened trace, printing to {@code out}. */
  abstract void run(TraceFile trace, PrintWriter out);

  /** Checks the options before the file is opened; throws {@link UserError}. Default: none. */
  void validate() {}

  /** The files the command reads and writes: FILE, and the outputs a subcommand adds. */
  FileArguments files() {
    return new FileArguments().input("FILE", file);
  }

  /**
   * Checks the options and the file arguments, opens the file, warns if it is damaged, runs the
   * command, closes.
   */
  @Override
  public final void run() {
    validate();
    files().check();
    PrintWriter out = spec.commandLine().getOut();
    try (TraceFile trace = open()) {
      run(trace, out);
    }
    out.flush();
  }

  private TraceFile open() {
    TraceFile trace;
    try {
      trace = TraceFile.open(file);
    } catch (TraceFormatException | UncheckedIOException e) {
      throw new UserError(e.getMessage()); // names the file and the byte offset
    }
    List<TraceFile.Damage> damages = trace.damages();
    if (!damages.isEmpty()) {
      // Every range skipped, so that none goes unnoticed; past a screenful, a count.
      PrintWriter err = spec.commandLine().getErr();
      for (int i = 0; i < Math.min(damages.size(), MAX_DAMAGE_LINES); i++) {
        err.println("warning: " + file + ": " + TerminalText.safe(damages.get(i).toString()));
      }
      if (damages.size() > MAX_DAMAGE_LINES) {
        err.println("warning: " + file + ": and " + (damages.size() - MAX_DAMAGE_LINES)
            + " more damaged ranges, each skipped the same way");
      }
      err.flush();
    }
    return trace;
  }

  /**
   * Runs {@code pass} over {@code trace}, with a progress bar on stderr if the trace is big,
   * and returns its result.
   */
  static <T> T read(TraceFile trace, String label, Function<ReadProgress, T> pass) {
    if (trace.eventCount() < PROGRESS_FROM) {
      return pass.apply(null);
    }
    Progress bar = new Progress(System.err, label, trace.eventCount());
    T result = pass.apply(bar::update);
    bar.finish(trace.eventCount());
    return result;
  }
}
