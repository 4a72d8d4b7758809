package io.kallisto.notebook.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.UnresolvedReferenceException;

/**
 * Turns what JShell reports about a cell into the lines a student reads: compile errors pointing
 * at the cell's own line, exceptions with the cell's frames only ({@code explode(#12:3)}), not
 * the reflection and kernel frames below them. Stateless.
 */
final class CellErrors {
  private CellErrors() {}

  /**
   * A rejected snippet as the student should read it: each error with the cell line it is on,
   * the line itself and a caret under the mistake.
   */
  static CellError compile(JShell shell, Snippet snippet, String source, String body,
      int offset) {
    List<String> lines = new ArrayList<>();
    List<Diag> diags = shell.diagnostics(snippet).filter(Diag::isError)
        .collect(Collectors.toList());
    String first = diags.isEmpty() ? "the snippet was rejected" : diags.get(0)
        .getMessage(Locale.ROOT).lines().findFirst().orElse("");
    for (Diag d : diags) {
      int pos = (int) Math.max(0, Math.min(d.getPosition(), source.length()));
      int lineStart = source.lastIndexOf('\n', pos - 1) + 1;
      int lineEnd = source.indexOf('\n', pos);
      String line = source.substring(lineStart, lineEnd < 0 ? source.length() : lineEnd);
      int cellLine = 1 + (int) body.substring(0, Math.min(body.length(), offset + lineStart))
          .chars().filter(c -> c == '\n').count();
      d.getMessage(Locale.ROOT).lines().map(l -> l.replace("location: class ", "").stripTrailing())
          .filter(l -> !l.isBlank())
          .forEach(new Consumer<String>() {
            private boolean first = true;

            @Override
            public void accept(String l) {
              lines.add(first ? "error at line " + cellLine + ": " + l : "  " + l.strip());
              first = false;
            }
          });
      lines.add("    " + line);
      lines.add("    " + " ".repeat(Math.max(0, pos - lineStart)) + "^");
    }
    if (lines.isEmpty()) {
      lines.add("error: " + first + ": " + source.strip());
    }
    return new CellError("CompilationException", lines);
  }

  /**
   * What a snippet threw: its class and message, the causes, and only the cell's own frames
   * (and what they called).
   */
  static CellError runtime(Exception e) {
    List<String> lines = new ArrayList<>();
    if (e instanceof UnresolvedReferenceException) {
      Snippet s = ((UnresolvedReferenceException) e).getSnippet();
      String msg = "'" + s.source().strip().lines().findFirst().orElse("")
          + "' uses something not yet declared; declare it, then run again";
      lines.add("UnresolvedReferenceException: " + msg);
      return new CellError("UnresolvedReferenceException", lines);
    }
    Throwable t = e;
    String name = className(e);
    boolean first = true;
    while (t != null) {
      lines.add((first ? "" : "Caused by: ") + className(t)
          + (t.getMessage() == null ? "" : ": " + t.getMessage()));
      for (StackTraceElement f : cellFrames(t.getStackTrace())) {
        lines.add("    at " + frame(f));
      }
      first = false;
      t = t.getCause();
    }
    return new CellError(name, lines);
  }

  private static String className(Throwable t) {
    return t instanceof EvalException ? ((EvalException) t).getExceptionClassName()
        : t.getClass().getName();
  }

  /**
   * The frames down to the cell's own (JShell names their file {@code #<snippet id>}); the
   * reflection and kernel frames below them say nothing about the student's code.
   */
  static List<StackTraceElement> cellFrames(StackTraceElement[] frames) {
    int lastCell = -1;
    for (int i = 0; i < frames.length; i++) {
      if (isCellFrame(frames[i])) {
        lastCell = i;
      }
    }
    return List.of(frames).subList(0, lastCell >= 0 ? lastCell + 1 : frames.length);
  }

  private static boolean isCellFrame(StackTraceElement f) {
    return SnippetFrames.isCellFrame(f);
  }

  /** Cell code has no class (and its top level no method): {@code explode(#12:3)}, {@code (#13:1)}. */
  static String frame(StackTraceElement f) {
    if (isCellFrame(f) && f.getClassName().isEmpty()) {
      return f.getMethodName() + "(" + f.getFileName() + ":" + f.getLineNumber() + ")";
    }
    return f.toString();
  }
}
