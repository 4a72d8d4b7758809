package io.kallisto.notebook.kernel;

import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.channels.JupyterSocket;
import io.github.spencerpark.jupyter.channels.ShellHandler;
import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import io.github.spencerpark.jupyter.kernel.history.HistoryManager;
import io.github.spencerpark.jupyter.messages.Message;
import io.github.spencerpark.jupyter.messages.MessageContext;
import io.github.spencerpark.jupyter.messages.MessageType;
import io.github.spencerpark.jupyter.messages.publish.PublishDisplayData;
import io.github.spencerpark.jupyter.messages.publish.PublishStream;
import io.github.spencerpark.jupyter.messages.request.ExecuteRequest;
import io.kallisto.KallistoVersion;
import io.kallisto.notebook.Notebook;
import io.kallisto.notebook.Rich;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
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
 *       {@code %%time} as the first line times the cell's execution (not its compilation).
 *   <li>Each cell runs as a {@link CellRun}, which an inheritable thread-local ties to every
 *       thread the cell starts: the loops those threads create ({@link LoopTracker}) and what
 *       they print ({@link OutputRouter}) belong to the cell.
 *   <li>{@link #interrupt} stops the running cell and the loops it created (see
 *       {@link LoopTracker}); kernel shutdown stops every loop.
 *   <li>Shift-Tab ({@link #inspect}), {@code is_complete} and {@code history} are answered.
 * </ul>
 *
 * <p>{@link #eval}, {@link #inspect}, {@link #complete} and {@link #isComplete} run on the
 * connection's shell thread, one request at a time; {@link #interrupt} and {@link #onShutdown}
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
  /** The system property that adds source roots (a path list) for Shift-Tab's Javadoc. */
  public static final String SOURCES_PROPERTY = "kallisto.sources";
  /** How long an interrupted cell waits, from the Interrupt, for the report on its loops. */
  static final long REPORT_WAIT_MILLIS = 1500;
  /** A callback held this long while a cell runs gets a warning in that cell. */
  static final long HELD_WARNING_MILLIS = 2000;
  private static final long MONITOR_TICK_MILLIS = 100;

  /** The cell each thread belongs to: set on the cell thread, inherited by the threads it starts. */
  private final InheritableThreadLocal<CellRun> owner = new InheritableThreadLocal<>();
  private final SnippetFrames frames = new SnippetFrames();
  private final CellExecutionControl control;
  private final LoopTracker loops = new LoopTracker(this::threadCell, frames::top);
  private final SessionHistory history = new SessionHistory();
  private final OutputRouter output;
  private final JShell shell;
  private final Inspector inspector;
  private final LanguageInfo languageInfo;
  private final Thread monitor;
  private final PrintStream kernelOut = System.out;
  private final PrintStream kernelErr = System.err;

  private volatile CellRun current;
  private volatile CellRun last;
  private volatile boolean closed;
  private volatile boolean routing;
  /** The execute request being handled, handed from the handler to {@link #eval}. */
  private volatile Request pending;
  private volatile JupyterSocket iopub;

  private record Request(MessageContext context, int number) {}

  /** A kernel with a fresh JShell; {@link Notebook#display} publishes through it. */
  public KallistoKernel() {
    control = new CellExecutionControl(owner, this::recordFrames);
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
    String classPath = System.getProperty("java.class.path");
    for (String entry : classPath.split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        shell.addToClasspath(entry);
      }
    }
    for (String imp : IMPORTS) {
      shell.eval(imp);
    }
    inspector = new Inspector(shell, Inspector.sourceRoots(classPath,
        System.getProperty(SOURCES_PROPERTY)));
    if (inspector.sourcesNote() != null) {
      kernelErr.println("kallisto kernel: " + inspector.sourcesNote());
    }
    languageInfo = new LanguageInfo.Builder("java")
        .version(System.getProperty("java.specification.version"))
        .mimetype("text/x-java-source").fileExtension(".jshell").pygments("java")
        .codemirror("text/x-java").build();
    output = new OutputRouter(this::threadCell, this::publishStream, kernelOut, kernelErr);
    Notebook.setDisplay(value -> publish(render(value)));
    monitor = new Thread(this::monitor, "kallisto-kernel-monitor");
    monitor.setDaemon(true);
    monitor.start();
  }

  /**
   * The cell the calling thread belongs to: the one that started it (or started the thread that
   * started it), or null. Fork-join pool threads belong to no cell: every cell shares them
   * ({@code parallelStream()}, {@code CompletableFuture.runAsync}), whichever made them first.
   */
  private CellRun threadCell() {
    return Thread.currentThread() instanceof ForkJoinWorkerThread ? null : owner.get();
  }

  /** Before each snippet runs: its frames get their cell names (see {@link SnippetFrames}). */
  private void recordFrames() {
    frames.recordNew(shell);
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

  @Override
  public HistoryManager getHistoryManager() {
    return history;
  }

  /**
   * Handles execute requests through {@link #eval} as the base library does, remembering each
   * request so that its cell's output, from any thread and at any later time, is sent with that
   * request as its parent; answers history requests in the protocol's format
   * ({@link SessionHistory#answer}); and takes over {@code System.out}/{@code err} for good
   * ({@link OutputRouter}) instead of letting the base library swap them per request.
   */
  @Override
  public void becomeHandlerForConnection(JupyterConnection connection) {
    super.becomeHandlerForConnection(connection);
    ShellHandler<ExecuteRequest> execute = connection.getHandler(MessageType.EXECUTE_REQUEST);
    connection.setHandler(MessageType.EXECUTE_REQUEST, (env, message) -> {
      // The base handler numbers the cell with executionCount.getAndIncrement().
      pending = new Request(message, executionCount.get());
      execute.handle(env, message);
    });
    connection.setHandler(MessageType.HISTORY_REQUEST, (env, message) -> {
      env.setBusyDeferIdle();
      env.reply(history.answer(message.getContent()));
    });
    iopub = connection.getIOPub();
    setShouldReplaceStdStreams(false);
    System.setIn(getIO().in);
    routeOutput();
  }

  /** Installs the routed {@code System.out} and {@code System.err} (until shutdown). */
  void routeOutput() {
    routing = true;
    System.setOut(output.out);
    System.setErr(output.err);
  }

  /**
   * Sends a display message for the cell that the calling thread belongs to (the running cell for
   * threads of none); tests capture it instead.
   */
  protected void publish(DisplayData data) {
    CellRun run = output.route();
    JupyterSocket socket = iopub;
    if (socket != null && run != null && run.parent != null) {
      socket.sendMessage(new Message<>(run.parent, MessageType.PUBLISH_DISPLAY_DATA,
          new PublishDisplayData(data)));
    } else {
      display(data);
    }
  }

  /** Sends a cell's stdout or stderr text with the cell's request as parent; tests capture it. */
  protected void publishStream(CellRun run, String stream, String text) {
    JupyterSocket socket = iopub;
    if (socket != null && run.parent != null) {
      socket.sendMessage(new Message<>(run.parent, MessageType.PUBLISH_STREAM, new PublishStream(
          stream.equals("stderr") ? PublishStream.StreamType.ERR : PublishStream.StreamType.OUT,
          text)));
    } else {
      PrintStream to = stream.equals("stderr") ? kernelErr : kernelOut;
      to.print(text);
      to.flush();
    }
  }

  @Override
  public DisplayData eval(String code) throws Exception {
    Cell cell = Cell.parse(code);
    Request request = pending;
    pending = null;
    int number = request != null ? request.number : executionCount.getAndIncrement();
    CellRun run = new CellRun(number, request == null ? null : request.context);
    history.add(number, code, cell.body().strip());
    control.beginCell(run);
    output.setCurrent(run);
    last = run;
    current = run;
    long start = System.nanoTime();
    try {
      for (String path : cell.classpath()) {
        addJars(path);
      }
      Object value = run(cell.body(), run);
      if (run.stopRequested()) {
        throw interrupted(run); // the last snippet returned once its loop was exited
      }
      DisplayData shown = value == NO_VALUE ? null : render(value);
      history.output(number, shown == null ? ""
          : String.valueOf(shown.getData(MIMEType.TEXT_PLAIN)));
      return shown;
    } catch (CellError e) {
      history.output(number, e.name());
      throw e;
    } finally {
      control.clearValues();
      if (cell.timed()) {
        long total = System.nanoTime() - start;
        System.out.printf(Locale.ROOT, "wall %.3f s, CPU %.3f s (all threads), %.3f s on the"
            + " cell thread; compile and JShell %.3f s, not counted%n",
            run.executionNanos() / 1e9, run.processCpuNanos() / 1e9, run.threadCpuNanos() / 1e9,
            Math.max(0, total - run.executionNanos()) / 1e9);
      }
      System.out.flush();
      System.err.flush();
      output.flush(run);
      current = null;
      output.setCurrent(null);
      control.endCell();
    }
  }

  private static final Object NO_VALUE = new Object();

  /** Runs every snippet of {@code body}; returns the last one's value or {@link #NO_VALUE}. */
  private Object run(String body, CellRun cellRun) throws CellError {
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
      last = runSnippet(source, body, offset, cellRun);
    }
    return last;
  }

  /** The report of an interrupted cell: what Interrupt did to its loops, and to its thread. */
  private CellError interrupted(CellRun run) {
    List<String> lines = new ArrayList<>();
    lines.add("Interrupted: the cell was stopped");
    lines.addAll(run.awaitReport(run.stopRequestedAt()
        + TimeUnit.MILLISECONDS.toNanos(REPORT_WAIT_MILLIS)));
    return new CellError("Interrupted", lines);
  }

  private Object runSnippet(String source, String body, int offset, CellRun cellRun)
      throws CellError {
    Object value = NO_VALUE;
    for (SnippetEvent event : shell.eval(source)) {
      if (event.causeSnippet() != null) {
        continue; // a dependent snippet's status change, not this one's outcome
      }
      Snippet snippet = event.snippet();
      if (event.status() == Snippet.Status.REJECTED) {
        throw CellErrors.compile(shell, snippet, source, body, offset);
      }
      if (control.takeStopped() || cellRun.stopRequested()) {
        throw interrupted(cellRun);
      }
      if (event.exception() != null) {
        throw CellErrors.runtime(event.exception());
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

  /**
   * Shift-Tab: the signature and Javadoc of what is at {@code at}; null (Jupyter's
   * {@code found: false}) when JShell knows nothing there. See {@link Inspector}.
   */
  @Override
  public DisplayData inspect(String code, int at, boolean extraDetail) {
    return inspector.inspect(code, at);
  }

  @Override
  public String isComplete(String code) {
    return Completeness.of(shell.sourceCodeAnalysis(), Cell.parse(code).body());
  }

  /**
   * Interrupt: stops the running cell, and what it created (see {@link LoopTracker}); the cell
   * ends with an "Interrupted" error that says what was stopped. With no cell running, it breaks
   * runaway callbacks and reports them under the cell that made their loop. Returns at once.
   */
  @Override
  public void interrupt() {
    CellRun run = current;
    if (run == null) {
      loops.breakRunaways((cell, line) -> {
        CellRun to = cell != null ? cell : last;
        if (to != null) {
          publishStream(to, "stderr", line + "\n");
        }
      });
      return;
    }
    boolean first = run.requestStop();
    control.stop(run);
    if (first) {
      loops.stopCell(run, control.cellThread(), () -> control.isRunning(run));
    }
  }

  /** Stops every loop every cell created (bounded), then closes JShell. */
  @Override
  public void onShutdown(boolean isRestarting) {
    if (closed) {
      return;
    }
    closed = true;
    Notebook.setDisplay(null);
    CellRun run = current;
    if (run != null) {
      control.stop(run);
    }
    loops.stopAll(2000);
    loops.close();
    monitor.interrupt();
    output.flushAll();
    if (routing) {
      System.setOut(kernelOut);
      System.setErr(kernelErr);
    }
    shell.close();
  }

  /**
   * The kernel's monitor thread: sends text that threads left without a line end, and warns the
   * running cell about a loop held by one callback (what makes a {@code stop()} hang).
   */
  private void monitor() {
    long ticks = 0;
    while (!closed) {
      try {
        Thread.sleep(MONITOR_TICK_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      try {
        output.flushAll();
        CellRun run = current;
        if (run != null && ++ticks % 5 == 0) {
          for (String line : loops.newlyHeld(TimeUnit.MILLISECONDS.toNanos(HELD_WARNING_MILLIS))) {
            publishStream(run, "stderr", line + "\n");
          }
        }
      } catch (RuntimeException e) {
        kernelErr.println("kallisto kernel monitor: " + e);
      }
    }
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

}
