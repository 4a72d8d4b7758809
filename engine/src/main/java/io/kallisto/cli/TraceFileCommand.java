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
      int warned = warn(trace.damages(), 0);
      run(trace, out);
      warn(trace.damages(), warned); // blocks found damaged on read (Verify.ON_READ)
    }
    out.flush();
  }

  /**
   * When the events blocks' checksums are checked: at open by default, so that every damage is
   * reported before the command prints anything; a command that reads only a window of the file
   * checks on read instead, and reads only the blocks that meet it.
   */
  protected TraceFile.Verify verify() {
    return TraceFile.Verify.ON_OPEN;
  }

  private TraceFile open() {
    try {
      return TraceFile.open(file, verify());
    } catch (TraceFormatException | UncheckedIOException e) {
      throw new UserError(e.getMessage()); // names the file and the byte offset
    }
  }

  /**
   * Warns about {@code damages} after the first {@code done}: every range skipped, so that none
   * goes unnoticed; past a screenful, a count. Returns how many have now been dealt with.
   */
  private int warn(List<TraceFile.Damage> damages, int done) {
    if (damages.size() <= done) {
      return done;
    }
    PrintWriter err = spec.commandLine().getErr();
    for (int i = done; i < Math.min(damages.size(), MAX_DAMAGE_LINES); i++) {
      err.println("warning: " + file + ": " + TerminalText.safe(damages.get(i).toString()));
    }
    if (damages.size() > MAX_DAMAGE_LINES) {
      err.println("warning: " + file + ": and " + (damages.size() - Math.max(done,
          MAX_DAMAGE_LINES)) + " more damaged ranges, each skipped the same way");
    }
    err.flush();
    return damages.size();
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
