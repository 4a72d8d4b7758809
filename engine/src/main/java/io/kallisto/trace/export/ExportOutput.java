package io.kallisto.trace.export;

import io.kallisto.files.AtomicOutput;
import io.kallisto.files.FileProblem;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Where both exporters write: a file replaced whole or not at all, and the unchecked carrier
 * of write failures out of the visitor callbacks that cannot throw checked exceptions.
 */
final class ExportOutput {
  private ExportOutput() {}

  /** The body of an export: writes to {@code out}, naming {@code target} in failures. */
  @FunctionalInterface
  interface Body {
    ExportSummary write(OutputStream out, String target);
  }

  /** A write that may fail. */
  @FunctionalInterface
  interface Write {
    void run() throws IOException;
  }

  /** A write that may fail and returns a value. */
  @FunctionalInterface
  interface Make<T> {
    T run() throws IOException;
  }

  /** A failed write, carried out of visitor callbacks. */
  static final class WriteFailure extends UncheckedIOException {
    WriteFailure(IOException cause) {
      super(cause);
    }
  }

  /**
   * Runs {@code body} into {@code file} through a buffer, replacing the file only if it
   * succeeds (see {@link AtomicOutput}).
   *
   * @throws UncheckedIOException if the file cannot be written, naming it
   */
  static ExportSummary toFile(Path file, Body body) {
    try (AtomicOutput target = AtomicOutput.create(file)) {
      OutputStream out = new BufferedOutputStream(target.stream(), 1 << 16);
      ExportSummary summary = body.write(out, file.toString());
      try {
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(file + ": cannot write: " + FileProblem.of(e), e);
      }
      target.commit();
      return summary;
    }
  }

  /** Runs {@code w}, turning its failure into a {@link WriteFailure}. */
  static void orThrow(Write w) {
    try {
      w.run();
    } catch (IOException e) {
      throw new WriteFailure(e);
    }
  }

  /** Runs {@code w}, turning its failure into a {@link WriteFailure}. */
  static <T> T orThrow(Make<T> w) {
    try {
      return w.run();
    } catch (IOException e) {
      throw new WriteFailure(e);
    }
  }

  /**
   * The failure to report for an export to {@code target} that threw {@code e} (an
   * {@link IOException} or a {@link WriteFailure}); read failures keep their own message, which
   * names the trace file.
   */
  static UncheckedIOException failure(String target, RuntimeException e) {
    IOException cause = ((UncheckedIOException) e).getCause();
    return new UncheckedIOException(target + ": cannot write: " + cause.getMessage(), cause);
  }

  /** As {@link #failure(String, RuntimeException)}, for a checked failure. */
  static UncheckedIOException failure(String target, IOException cause) {
    return new UncheckedIOException(target + ": cannot write: " + cause.getMessage(), cause);
  }
}
