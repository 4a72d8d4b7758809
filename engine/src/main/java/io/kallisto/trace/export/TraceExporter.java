package io.kallisto.trace.export;

import io.kallisto.trace.TraceFile;
import io.kallisto.trace.analysis.ReadProgress;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Converts a trace, or the window of it given at construction, for a viewer. The caller owns
 * the {@link TraceFile} and closes it. One export at a time per instance, on the caller's
 * thread.
 */
public abstract class TraceExporter {
  /** The trace being exported. */
  protected final TraceFile trace;
  /** The trace's first event: exported times are relative to it, or on its clock. */
  protected final long origin;
  /** The window, in trace nanoseconds; the whole trace is [MIN_VALUE, MAX_VALUE]. */
  protected final long from;
  /** The window's end. */
  protected final long to;

  /**
   * An exporter of the events of {@code trace} that overlap [{@code from}, {@code to}] (trace
   * nanoseconds); only the blocks that meet the window are read.
   */
  protected TraceExporter(TraceFile trace, long from, long to) {
    this.trace = trace;
    this.origin = trace.firstTime();
    this.from = from;
    this.to = to;
  }

  /**
   * Writes the export to {@code file}, replacing it whole or not at all: a failed export leaves
   * the file as it was (see {@link io.kallisto.files.AtomicOutput}).
   *
   * @param progress hears the number of events read now and then (each is read twice); may be
   *     null
   * @throws UncheckedIOException if the file cannot be written, naming it
   */
  public final ExportSummary export(Path file, ReadProgress progress) {
    return ExportOutput.toFile(file, (out, target) -> write(out, progress, target));
  }

  /**
   * Writes the export to {@code out}, which stays open.
   *
   * @param progress hears the number of events read now and then; may be null
   */
  public final ExportSummary export(OutputStream out, ReadProgress progress) {
    return write(out, progress, "the output");
  }

  /** True if a window was given. */
  protected final boolean windowed() {
    return from != Long.MIN_VALUE || to != Long.MAX_VALUE;
  }

  /** Writes everything to {@code out}; failures name {@code target}. */
  abstract ExportSummary write(OutputStream out, ReadProgress progress, String target);
}
