package io.kallisto.notebook.kernel;

import java.util.List;

/** A cell failed: a compile error, an exception or an interrupt, already formatted for reading. */
final class CellError extends Exception {
  private final String name;
  private final List<String> lines;

  CellError(String name, String message, List<String> lines) {
    super(message);
    this.name = name;
    this.lines = List.copyOf(lines);
  }

  /** What kind of error: {@code CompilationException}, an exception class, {@code Interrupted}. */
  String name() {
    return name;
  }

  /** The report, line by line, as the notebook shows it. */
  List<String> lines() {
    return lines;
  }
}
