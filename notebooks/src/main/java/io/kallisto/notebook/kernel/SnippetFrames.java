package io.kallisto.notebook.kernel;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SourceCodeAnalysis;

/**
 * Names a frame of cell code on a live thread's stack as JShell names it in an exception:
 * {@code lambda$do_it$$0(#12:3)}, snippet 12, line 3 of it. A live stack shows JShell's wrapper
 * class ({@code REPL.$JShell$12}, file {@code $JShell$12.java}, a line of the wrapped source);
 * the wrappers are recorded on the shell thread as snippets are about to run, because JShell may
 * not be called from the threads that read stacks.
 *
 * <p>{@link #recordNew} is for the shell thread; the rest is safe from any thread.
 */
final class SnippetFrames {
  private record Wrapped(String id, SourceCodeAnalysis.SnippetWrapper wrapper) {}

  private final Map<String, Wrapped> byClass = new ConcurrentHashMap<>();
  private final Set<String> recorded = new HashSet<>(); // shell thread

  /**
   * Remembers the wrapper classes of {@code shell}'s snippets not seen yet. Shell thread: the
   * kernel calls it as each snippet is about to run, so that the snippet's own frames are named
   * while it runs (a loop it spins in, a callback it declared).
   */
  void recordNew(JShell shell) {
    try {
      SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
      shell.snippets().filter(s -> !recorded.contains(s.id())).forEach(s -> {
        recorded.add(s.id());
        if (s.kind() != Snippet.Kind.IMPORT && s.kind() != Snippet.Kind.ERRONEOUS) {
          SourceCodeAnalysis.SnippetWrapper w = analysis.wrapper(s);
          byClass.put(w.fullClassName(), new Wrapped(s.id(), w));
        }
      });
    } catch (RuntimeException e) {
      // JShell would not say: frames of these snippets keep JShell's own names
    }
  }

  /** Whether {@code f} is the code of a cell (a snippet's wrapper, or a translated frame). */
  static boolean isCellFrame(StackTraceElement f) {
    return (f.getFileName() != null && f.getFileName().startsWith("#"))
        || f.getClassName().startsWith("REPL.");
  }

  /** {@code f} as a reader of the cell knows it. */
  String describe(StackTraceElement f) {
    Wrapped w = byClass.get(f.getClassName());
    if (w == null) {
      return CellErrors.frame(f);
    }
    int line = snippetLine(w.wrapper, f.getLineNumber());
    return f.getMethodName() + "(#" + w.id + (line > 0 ? ":" + line : "") + ")";
  }

  /** The top cell frame of {@code stack}, with the top frame too when that is not the cell's. */
  String top(StackTraceElement[] stack) {
    if (stack.length == 0) {
      return "(no stack)";
    }
    for (StackTraceElement f : stack) {
      if (isCellFrame(f)) {
        String cell = describe(f);
        return f == stack[0] ? cell : cell + ", in " + stack[0];
      }
    }
    return stack[0].toString();
  }

  /** The line of the snippet's own source that line {@code wrappedLine} of its wrapper holds. */
  private static int snippetLine(SourceCodeAnalysis.SnippetWrapper w, int wrappedLine) {
    String wrapped = w.wrapped();
    int at = 0;
    for (int line = 1; line < wrappedLine; line++) {
      at = wrapped.indexOf('\n', at) + 1;
      if (at == 0) {
        return -1;
      }
    }
    while (at < wrapped.length() && (wrapped.charAt(at) == ' ' || wrapped.charAt(at) == '\t')) {
      at++; // the line's first character of code
    }
    int pos = w.wrappedToSourcePosition(at);
    if (pos < 0) {
      return -1;
    }
    String source = w.source();
    int line = 1;
    for (int i = 0; i < Math.min(pos, source.length()); i++) {
      if (source.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }
}
