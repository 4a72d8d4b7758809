package io.kallisto.notebook.kernel;

import jdk.jshell.SourceCodeAnalysis;

/**
 * Jupyter's {@code is_complete} for a cell's code: whether pressing Enter in a console should run
 * it or continue it. Stateless.
 */
final class Completeness {
  /** Jupyter's statuses, as {@code BaseKernel.IS_COMPLETE_YES} and {@code IS_COMPLETE_BAD}. */
  static final String YES = "complete";
  static final String BAD = "invalid";

  private Completeness() {}

  /**
   * {@code complete}, an indent (incomplete: an open block, a dangling operator), or
   * {@code invalid}, from {@link SourceCodeAnalysis#analyzeCompletion} on each snippet in turn.
   */
  static String of(SourceCodeAnalysis analysis, String body) {
    String remaining = body;
    while (!remaining.isBlank()) {
      SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
      switch (info.completeness()) {
        case COMPLETE:
        case COMPLETE_WITH_SEMI:
          remaining = info.remaining();
          break;
        case EMPTY:
          return YES;
        case DEFINITELY_INCOMPLETE:
        case CONSIDERED_INCOMPLETE:
          return "    ".repeat(openBrackets(remaining));
        default:
          return BAD;
      }
    }
    return YES;
  }

  /** How many brackets are open at the end of {@code code}, outside literals and comments. */
  static int openBrackets(String code) {
    int depth = 0;
    for (int i = 0; i < code.length(); i++) {
      char c = code.charAt(i);
      if (c == '"' || c == '\'') {
        for (i++; i < code.length() && code.charAt(i) != c && code.charAt(i) != '\n'; i++) {
          if (code.charAt(i) == '\\') {
            i++;
          }
        }
      } else if (c == '/' && code.startsWith("//", i)) {
        int end = code.indexOf('\n', i);
        i = end < 0 ? code.length() : end;
      } else if (c == '/' && code.startsWith("/*", i)) {
        int end = code.indexOf("*/", i + 2);
        i = end < 0 ? code.length() : end + 1;
      } else if (c == '{' || c == '(' || c == '[') {
        depth++;
      } else if (c == '}' || c == ')' || c == ']') {
        depth = Math.max(0, depth - 1);
      }
    }
    return depth;
  }
}
