package io.kallisto.notebook.kernel;

import java.util.List;

/**
 * A cell failed: a compile error, an exception or an interrupt, already formatted for reading.
 * The message is the whole report and there is no Java stack trace: the base library sends the
 * stack trace as the execute reply's traceback, which {@code nbconvert} prints, and the kernel's
 * own frames would say nothing to a student.
 */
final class CellError extends Exception {
  private final String name;
  private final List<String> lines;

  CellError(String name, List<String> lines) {
    super(String.join("\n", lines), null, false, false);
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
