package io.kallisto.notebook.kernel;

import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.kallisto.KallistoVersion;
import io.kallisto.notebook.Notebook;
import io.kallisto.notebook.Rich;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * Kallisto's Jupyter kernel: Java through JShell, run in this JVM with Kallisto on the class path.
 *
 * <ul>
 *   <li>A cell is split into snippets with {@link SourceCodeAnalysis#analyzeCompletion}; they run
 *       in order and the first error ends the cell.
 *   <li>The value of the last snippet, if it is an expression, is the cell's result: a
 *       {@link Rich} value or an image shows richly, anything else as text.
 *   <li>{@code %classpath a.jar b/*.jar} (or {@code %jars}) lines at the top add jars;
 *       {@code %%time} as the first line times the cell (wall and CPU).
 * </ul>
 *
 * <p>{@link #eval} runs on the connection's shell thread, one cell at a time; {@link #interrupt}
 * may come from any thread.
 */
public class KallistoKernel extends BaseKernel {
  /** What every cell sees without importing it. */
  static final List<String> IMPORTS = List.of(
      "import java.util.*;",
      "import java.util.concurrent.*;",
      "import java.util.concurrent.atomic.*;",
      "import java.util.function.*;",
      "import java.util.stream.*;",
      "import java.time.*;",
      "import java.nio.file.*;",
      "import org.HdrHistogram.Histogram;",
      "import io.kallisto.event.*;",
      "import io.kallisto.event.Timer;",
      "import io.kallisto.threadlocal.*;",
      "import io.kallisto.scenario.*;",
      "import io.kallisto.run.*;",
      "import io.kallisto.trace.*;",
      "import io.kallisto.notebook.*;",
      "import static io.kallisto.notebook.Notebook.*;");

  private final CellExecutionControl control = new CellExecutionControl();
  private final JShell shell;
  private final LanguageInfo languageInfo;

  /** A kernel with a fresh JShell; {@link Notebook#display} publishes through it. */
  public KallistoKernel() {
    ExecutionControlProvider provider = new ExecutionControlProvider() {
      @Override
      public String name() {
        return "kallisto-cell";
      }

      @Override
      public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
        return control;
      }
    };
    shell = JShell.builder().executionEngine(provider, Map.of()).build();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        shell.addToClasspath(entry);
      }
    }
    for (String imp : IMPORTS) {
      shell.eval(imp);
    }
    languageInfo = new LanguageInfo.Builder("java")
        .version(System.getProperty("java.specification.version"))
        .mimetype("text/x-java-source").fileExtension(".jshell").pygments("java")
        .codemirror("text/x-java").build();
    Notebook.setDisplay(value -> publish(render(value)));
  }

  @Override
  public LanguageInfo getLanguageInfo() {
    return languageInfo;
  }

  @Override
  public String getBanner() {
    return "Kallisto " + KallistoVersion.get() + " on Java "
        + System.getProperty("java.version") + " (JShell)";
  }

  /** Sends a display message for the running cell; tests capture it instead. */
  protected void publish(DisplayData data) {
    display(data);
  }

  @Override
  public DisplayData eval(String code) throws Exception {
    Cell cell = Cell.parse(code);
    control.beginCell();
    for (String path : cell.classpath()) {
      addJars(path);
    }
    long wall = System.nanoTime();
    long cpu = processCpuNanos();
    long cellCpu = cellCpuNanos();
    try {
      Object value = run(cell.body());
      return value == NO_VALUE ? null : render(value);
    } finally {
      control.clearValues();
      if (cell.timed()) {
        System.out.printf(Locale.ROOT, "wall %.3f s, CPU %.3f s (all threads), %.3f s on the"
            + " cell thread%n", (System.nanoTime() - wall) / 1e9,
            (processCpuNanos() - cpu) / 1e9, (cellCpuNanos() - cellCpu) / 1e9);
        System.out.flush();
      }
    }
  }

  private static final Object NO_VALUE = new Object();

  /** Runs every snippet of {@code body}; returns the last one's value or {@link #NO_VALUE}. */
  private Object run(String body) throws CellError {
    SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
    String remaining = body;
    Object last = NO_VALUE;
    while (!remaining.isBlank()) {
      int offset = body.length() - remaining.length();
      SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
      String source;
      switch (info.completeness()) {
        case EMPTY:
          return last;
        case COMPLETE:
        case COMPLETE_WITH_SEMI:
          source = info.source();
          remaining = info.remaining();
          break;
        default: // incomplete or unknown: let the compiler say what is wrong
          source = remaining;
          remaining = "";
      }
      last = runSnippet(source, body, offset);
    }
    return last;
  }

  private Object runSnippet(String source, String body, int offset) throws CellError {
    Object value = NO_VALUE;
    for (SnippetEvent event : shell.eval(source)) {
      if (event.causeSnippet() != null) {
        continue; // a dependent snippet's status change, not this one's outcome
      }
      Snippet snippet = event.snippet();
      if (event.status() == Snippet.Status.REJECTED) {
        throw compileError(snippet, source, body, offset);
      }
      if (control.takeStopped()) {
        throw new CellError("Interrupted", List.of("Interrupted: the cell was stopped"));
      }
      if (event.exception() != null) {
        throw runtimeError(event.exception());
      }
      if (event.value() != null && showsValue(snippet)) {
        value = control.value(event.value());
      }
    }
    return value;
  }

  private static boolean showsValue(Snippet s) {
    if (s instanceof ExpressionSnippet) {
      return !"void".equals(((ExpressionSnippet) s).typeName());
    }
    return s instanceof VarSnippet
        && s.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND
        && !"void".equals(((VarSnippet) s).typeName());
  }

  private CellError compileError(Snippet snippet, String source, String body, int offset) {
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

  private static CellError runtimeError(Exception e) {
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
    return (f.getFileName() != null && f.getFileName().startsWith("#"))
        || f.getClassName().startsWith("REPL.");
  }

  /** Cell code has no class (and its top level no method): {@code explode(#12:3)}, {@code (#13:1)}. */
  private static String frame(StackTraceElement f) {
    if (isCellFrame(f) && f.getClassName().isEmpty()) {
      return f.getMethodName() + "(" + f.getFileName() + ":" + f.getLineNumber() + ")";
    }
    return f.toString();
  }

  @Override
  public List<String> formatError(Exception e) {
    if (e instanceof CellError) {
      List<String> lines = new ArrayList<>();
      for (String line : ((CellError) e).lines()) {
        lines.add(errorStyler == null ? line : errorStyler.primary(line));
      }
      return lines;
    }
    return super.formatError(e);
  }

  @Override
  public ReplacementOptions complete(String code, int at) {
    int[] anchor = new int[1];
    List<String> options = shell.sourceCodeAnalysis().completionSuggestions(code, at, anchor)
        .stream().map(SourceCodeAnalysis.Suggestion::continuation).distinct()
        .collect(Collectors.toList());
    return options.isEmpty() ? null : new ReplacementOptions(options, anchor[0], at);
  }

  @Override
  public void interrupt() {
    control.stop();
  }

  @Override
  public void onShutdown(boolean isRestarting) {
    Notebook.setDisplay(null);
    shell.close();
  }

  /** How a value shows: {@link Rich} as its bundle, images as PNG, anything else as text. */
  static DisplayData render(Object value) {
    DisplayData data = new DisplayData();
    if (value instanceof DisplayData) {
      return (DisplayData) value;
    }
    if (value instanceof Rich) {
      for (Map.Entry<String, String> e : ((Rich) value).mimeBundle().entrySet()) {
        data.putData(e.getKey(), e.getValue());
      }
      // The output's metadata in the notebook file: where a Claim records its verdict.
      ((Rich) value).metadata().forEach(data::putMetaData);
      return data;
    }
    if (value instanceof RenderedImage) {
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      try {
        ImageIO.write((RenderedImage) value, "png", png);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot encode the image as PNG", e);
      }
      data.putData("image/png", Base64.getEncoder().encodeToString(png.toByteArray()));
      data.putText("[image]");
      return data;
    }
    data.putText(String.valueOf(value));
    return data;
  }

  /** Adds a jar, a directory of classes, or every jar a glob ({@code lib/*.jar}) matches. */
  private void addJars(String path) throws CellError {
    Path p = Path.of(path);
    String name = p.getFileName() == null ? "" : p.getFileName().toString();
    List<String> added = new ArrayList<>();
    if ((name.contains("*") || name.contains("?")) && p.getParent() != null
        && !Files.isDirectory(p.getParent())) {
      added.clear(); // a glob in a missing directory matches nothing
    } else if (name.contains("*") || name.contains("?")) {
      Path dir = p.getParent() == null ? Path.of(".") : p.getParent();
      try (DirectoryStream<Path> matches = Files.newDirectoryStream(dir, name)) {
        matches.forEach(m -> added.add(m.toAbsolutePath().toString()));
      } catch (IOException e) {
        throw new CellError("ClasspathException",
            List.of("%classpath: cannot list " + dir + ": " + e.getMessage()));
      }
    } else if (Files.exists(p)) {
      added.add(p.toAbsolutePath().toString());
    }
    if (added.isEmpty()) {
      throw new CellError("ClasspathException", List.of("%classpath: " + path
          + " matches no file (relative paths start at " + Path.of("").toAbsolutePath() + ")"));
    }
    added.forEach(shell::addToClasspath);
    System.out.println("added to the class path: " + String.join(", ", added));
  }

  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean
        ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() : 0;
  }

  private long cellCpuNanos() throws InterruptedException {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long id = control.cellThreadId();
    return id < 0 ? 0 : Math.max(0, threads.getThreadCpuTime(id));
  }
}
