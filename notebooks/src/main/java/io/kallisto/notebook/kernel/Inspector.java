package io.kallisto.notebook.kernel;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;

/**
 * Shift-Tab: the signature and Javadoc of what is under the cursor, from JShell's
 * {@link SourceCodeAnalysis#documentation}.
 *
 * <p><b>Where the Javadoc comes from.</b> JShell reads doc comments from sources, and on JDK 17
 * to 25 it looks for them only in the JDK's {@code lib/src.zip}: adding a source directory with
 * {@code addToClasspath}, or {@code -sourcepath} in the compiler options, changes nothing (tried).
 * So this class sets the source list of JShell's analysis (a private field,
 * {@code SourceCodeAnalysisImpl.availableSources}) to the JDK's list plus Kallisto's source roots;
 * that needs {@code --add-opens jdk.jshell/jdk.jshell=ALL-UNNAMED}, which the kernelspec passes.
 * Without it, or if a later JDK renames the field, inspection still shows signatures, and
 * {@link #sourcesNote()} says why there is no Javadoc. The source roots are found from the class
 * path ({@link #sourceRoots}).
 *
 * <p>Shell thread only, like the JShell it uses.
 */
final class Inspector {
  /** Overloads shown at most; the rest are counted. */
  static final int MAX_SHOWN = 8;
  private static final int WIDTH = 88;

  private final JShell shell;
  private final String sourcesNote;

  Inspector(JShell shell, List<Path> sourceRoots) {
    this.shell = shell;
    this.sourcesNote = wireSources(shell.sourceCodeAnalysis(), sourceRoots);
  }

  /** Why Kallisto's Javadoc cannot be shown, or null if it can. */
  String sourcesNote() {
    return sourcesNote;
  }

  /**
   * Source roots for the class path entries: {@code X/src/main/java} for a Maven module's
   * {@code X/target/classes} or {@code X/target/x.jar}, {@code foo-sources.jar} beside
   * {@code foo.jar}; then the entries of
   * {@code extra} (a path list, e.g. the {@code kallisto.sources} property) that exist.
   */
  static List<Path> sourceRoots(String classPath, String extra) {
    Set<Path> roots = new LinkedHashSet<>();
    for (String entry : classPath.split(File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      Path p = Path.of(entry).toAbsolutePath().normalize();
      Path name = p.getFileName();
      if (name == null) {
        continue;
      }
      if (Files.isDirectory(p) && p.endsWith(Path.of("target", "classes"))) {
        Path src = p.getParent().getParent().resolve("src/main/java");
        if (Files.isDirectory(src)) {
          roots.add(src);
        }
      } else if (name.toString().endsWith(".jar")) {
        String n = name.toString();
        Path sources = p.resolveSibling(n.substring(0, n.length() - 4) + "-sources.jar");
        Path module = p.getParent() != null && p.getParent().endsWith("target")
            ? p.getParent().getParent().resolve("src/main/java") : null;
        if (Files.isRegularFile(sources)) {
          roots.add(sources);
        } else if (module != null && Files.isDirectory(module)) {
          roots.add(module); // a module's own jar, X/target/x.jar, as 'mvn verify' tests with
        }
      }
    }
    if (extra != null) {
      for (String entry : extra.split(File.pathSeparator)) {
        if (!entry.isBlank() && Files.exists(Path.of(entry))) {
          roots.add(Path.of(entry).toAbsolutePath().normalize());
        }
      }
    }
    return List.copyOf(roots);
  }

  @SuppressWarnings("unchecked")
  private static String wireSources(SourceCodeAnalysis analysis, List<Path> roots) {
    try {
      Class<?> impl = analysis.getClass();
      Method find = impl.getDeclaredMethod("findSources");
      find.setAccessible(true);
      List<Path> all = new ArrayList<>((List<Path>) find.invoke(analysis)); // the JDK's src.zip
      all.addAll(roots);
      Field sources = impl.getDeclaredField("availableSources");
      sources.setAccessible(true);
      sources.set(analysis, all);
      return null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      // InaccessibleObjectException without --add-opens; NoSuch* on a JDK that changed.
      return "no Javadoc for Kallisto's classes: JShell's source list cannot be set (" + e
          + "); start the kernel with --add-opens jdk.jshell/jdk.jshell=ALL-UNNAMED";
    }
  }

  /**
   * The documentation of what is at {@code at} in the cell {@code code}: signatures, and Javadoc
   * where sources are found; null if JShell knows nothing there.
   */
  DisplayData inspect(String code, int at) {
    String text = blankMagics(code);
    int cursor = Math.max(0, Math.min(at, text.length()));
    SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
    int[] span = snippetAt(analysis, text, cursor);
    String snippet = text.substring(span[0], span[1]);
    List<SourceCodeAnalysis.Documentation> docs = List.of();
    for (Candidate c : candidates(snippet, cursor - span[0])) {
      docs = analysis.documentation(c.code, c.cursor, true);
      if (!docs.isEmpty()) {
        break;
      }
    }
    if (docs.isEmpty()) {
      return null;
    }
    StringBuilder plain = new StringBuilder();
    StringBuilder html = new StringBuilder();
    int shown = 0;
    for (SourceCodeAnalysis.Documentation d : docs) {
      if (shown == MAX_SHOWN) {
        String more = "... and " + (docs.size() - shown) + " more overloads";
        plain.append("\n\n").append(more);
        html.append("<p>").append(more).append("</p>");
        break;
      }
      if (shown++ > 0) {
        plain.append("\n\n");
        html.append("<hr>");
      }
      plain.append(d.signature());
      html.append("<pre>").append(JavadocText.escape(d.signature())).append("</pre>");
      if (d.javadoc() != null && !d.javadoc().isBlank()) {
        JavadocText doc = JavadocText.parse(d.javadoc());
        plain.append("\n\n").append(doc.plain(WIDTH));
        html.append(doc.html());
      }
    }
    DisplayData data = new DisplayData(plain.toString());
    data.putHTML(html.toString());
    return data;
  }

  /** The code with its leading magic lines turned to spaces, so that offsets still match. */
  static String blankMagics(String code) {
    StringBuilder out = new StringBuilder(code);
    int lineStart = 0;
    while (lineStart < code.length()) {
      int end = code.indexOf('\n', lineStart);
      end = end < 0 ? code.length() : end;
      String line = code.substring(lineStart, end).strip();
      if (line.startsWith("%")) {
        for (int i = lineStart; i < end; i++) {
          out.setCharAt(i, ' ');
        }
      } else if (!line.isEmpty()) {
        break;
      }
      lineStart = end + 1;
    }
    return out.toString();
  }

  /** The [start, end) of the snippet holding {@code cursor}, split as the kernel runs them. */
  private static int[] snippetAt(SourceCodeAnalysis analysis, String text, int cursor) {
    int offset = 0;
    String remaining = text;
    while (!remaining.isBlank()) {
      SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
      int consumed = remaining.length();
      switch (info.completeness()) {
        case COMPLETE:
        case COMPLETE_WITH_SEMI:
          consumed = remaining.length() - info.remaining().length();
          break;
        default:
          break;
      }
      if (consumed <= 0) {
        consumed = remaining.length();
      }
      if (cursor <= offset + consumed) {
        return new int[] {offset, offset + consumed};
      }
      offset += consumed;
      remaining = remaining.substring(consumed);
    }
    return new int[] {offset, text.length()};
  }

  private record Candidate(String code, int cursor) {}

  /**
   * Where to ask JShell, in order. It documents a name only with the cursor at the name's end,
   * and a method after its {@code (}; a user presses Shift-Tab anywhere on a name, or inside an
   * argument list.
   */
  private static List<Candidate> candidates(String code, int cursor) {
    List<Candidate> out = new ArrayList<>();
    out.add(new Candidate(code, cursor));
    int end = cursor;
    while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) {
      end++;
    }
    boolean onName = end > 0 && Character.isJavaIdentifierPart(code.charAt(end - 1));
    if (onName) {
      if (end != cursor) {
        out.add(new Candidate(code, end));
      }
      int next = end;
      while (next < code.length() && code.charAt(next) == ' ') {
        next++;
      }
      if (next < code.length() && code.charAt(next) == '(') {
        out.add(new Candidate(code, next + 1));
      } else {
        out.add(new Candidate(code.substring(0, end) + "(", end + 1)); // a method named bare
      }
    }
    // Inside an argument list: the method's own docs, from the innermost list outwards.
    int depth = 0;
    for (int i = Math.min(cursor, code.length()) - 1; i >= 0; i--) {
      char c = code.charAt(i);
      if (c == ')') {
        depth++;
      } else if (c == '(') {
        if (depth == 0) {
          out.add(new Candidate(code, i + 1));
        } else {
          depth--;
        }
      }
    }
    return out;
  }
}
