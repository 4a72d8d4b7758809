package io.kallisto.exercises.grader;

import io.kallisto.cli.UserError;
import io.kallisto.exercises.support.GradingTraces;
import io.kallisto.exercises.support.OptimizingCompiler;
import io.kallisto.exercises.support.Seeds;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Grades a student's sources against one exercise's tests. The sources are compiled against the
 * engine, then the tests against them; each test class runs in a JVM of its own (the same
 * {@code java}, a heap cap, a time limit) with {@link ForkMain}, contained as far as the machine
 * allows ({@link TestJvm}, {@link Sandbox}; the report says how). A JVM that hangs is killed; one
 * that exits or runs out of memory is noticed; either way only the tests of that class that had
 * not finished lose their points, and grading goes on. If the grader is stopped (SIGINT,
 * SIGTERM), its test JVMs are killed and its work directory removed ({@link GradingShutdown}).
 *
 * <pre>{@code
 * GradeReport r = new Grader(Grader.Limits.DEFAULT).grade(Exercise.bundled("ex1"), srcDir);
 * }</pre>
 */
public final class Grader {
  /**
   * How to grade.
   *
   * @param timeoutPerClass the time limit of each forked test JVM
   * @param maxHeap its {@code -Xmx}
   * @param traces where failing tests leave their traces
   * @param seed 0 to run every seed of the simulated tests, else only this one (a replay)
   * @param visibleOnly grade the visible tests only, as a student sees them
   * @param testClasses the simple names of the test classes to run; empty: all of them
   */
  public record Options(Duration timeoutPerClass, String maxHeap, Path traces, long seed,
      boolean visibleOnly, Set<String> testClasses) {
    /** 60 s per test class, 256 MB heap, traces in {@code kallisto-grade-traces}, all tests. */
    public static final Options DEFAULT = new Options(Duration.ofSeconds(60), "256m",
        Path.of("kallisto-grade-traces"), 0, false, Set.of());

    /** These options with the limits of each test JVM replaced. */
    public Options withLimits(Duration timeout, String heap) {
      return new Options(timeout, heap, traces, seed, visibleOnly, testClasses);
    }

    /** These options with the trace directory replaced. */
    public Options withTraces(Path dir) {
      return new Options(timeoutPerClass, maxHeap, dir, seed, visibleOnly, testClasses);
    }

    /** These options replaying only {@code replaySeed} (0: every seed). */
    public Options withSeed(long replaySeed) {
      return new Options(timeoutPerClass, maxHeap, traces, replaySeed, visibleOnly, testClasses);
    }

    /** These options grading the visible tests only, or all. */
    public Options withVisibleOnly(boolean visible) {
      return new Options(timeoutPerClass, maxHeap, traces, seed, visible, testClasses);
    }

    /** These options running only the test classes named (simple names); none: all. */
    public Options withTestClasses(Set<String> simpleNames) {
      return new Options(timeoutPerClass, maxHeap, traces, seed, visibleOnly,
          Set.copyOf(simpleNames));
    }
  }

  private static final int COMPILER_LINES = 12;
  /** The smallest heap a test JVM gets: below it the JUnit launcher alone does not fit. */
  static final long MIN_HEAP = 16L << 20;

  /**
   * A system property for proving the containment on its own, in the grader's tests: set to
   * {@code true}, a breach of the grader's own rules (processes, files, reflection...) costs the
   * score like an exercise's rule but no longer stops the tests from running, so that what the
   * test JVM's containment does with the same code can be observed. Never set it for grading.
   */
  static final String CONTAINMENT_ONLY_PROPERTY = "kallisto.grade.containmentOnly";

  private final Options options;
  private final Sandbox sandbox;
  private final boolean containmentOnly;

  /**
   * @param options the limits for every forked test JVM, where traces go, what to run
   * @throws UserError if the options cannot work (a heap size the JVM would refuse)
   */
  public Grader(Options options) {
    this(options, Sandbox.detect());
  }

  /** A grader containing its test JVMs only as far as {@code sandbox} allows (tests). */
  Grader(Options options, Sandbox sandbox) {
    this(options, sandbox, Boolean.getBoolean(CONTAINMENT_ONLY_PROPERTY));
  }

  /**
   * A grader whose own rules, when {@code containmentOnly}, cost the score without refusing the
   * submission (see {@link #CONTAINMENT_ONLY_PROPERTY}; tests of the containment).
   */
  Grader(Options options, Sandbox sandbox, boolean containmentOnly) {
    this.options = options;
    this.sandbox = sandbox;
    this.containmentOnly = containmentOnly;
    if (Sandbox.parseSize(options.maxHeap()) < MIN_HEAP) {
      throw new UserError("max heap " + options.maxHeap() + ": use a -Xmx size of at least 16m"
          + " such as 256m");
    }
  }

  /**
   * Grades the sources under {@code src} (a package tree). Hidden tests are included when the
   * exercise has them, unless the options ask for the visible tests only. The traces of the
   * exercise's earlier gradings are removed from the trace directory first.
   *
   * @throws UserError if {@code src} is missing or holds no Java file, or the sources (or the
   *     tests against them) do not compile
   */
  public GradeReport grade(Exercise exercise, Path src) {
    return grade(exercise, src, (index, total, testClass) -> { });
  }

  /** Hears which test class is running, for a progress display. */
  @FunctionalInterface
  public interface ClassListener {
    /**
     * Test class {@code index} of {@code total} ({@code testClass}, a simple name) starts; after
     * the last, {@code index == total} and {@code testClass} is empty.
     */
    void running(int index, int total, String testClass);
  }

  /** {@link #grade(Exercise, Path)}, telling {@code listener} as each test class starts. */
  public GradeReport grade(Exercise bundled, Path src, ClassListener listener) {
    Path work;
    try {
      work = Files.createTempDirectory("kallisto-grade-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ExerciseSnapshot snapshot = null;
    // A SIGTERM mid-grading kills the test JVMs and removes the compiled hidden tests too.
    GradingShutdown.track(work, Grader::deleteTree);
    try {
      // What is graded is read once, into the work directory: the student's sources checked
      // (no links, no special files, capped), the exercise's files copied read-only.
      List<Path> studentSources = new ArrayList<>(
          SubmissionFiles.copy(src, bundled, work.resolve("src")));
      snapshot = ExerciseSnapshot.take(bundled, work.resolve("exercise"));
      Exercise exercise = snapshot.exercise();
      // Given files are compiled from the exercise, whatever the student's copy says.
      List<String> restored = new ArrayList<>();
      for (Path given : exercise.givenFiles()) {
        Path mine = work.resolve("src").resolve(given.toString());
        Path theirs = exercise.given().resolve(given.toString());
        if (Files.isRegularFile(mine) && Files.mismatch(mine, theirs) != -1) {
          restored.add(given.getFileName().toString());
        }
        studentSources.remove(mine);
        studentSources.add(theirs);
      }
      Path classes = work.resolve("classes");
      Path testClasses = work.resolve("test-classes");
      GradingClassPath path = GradingClassPath.prepare(work);
      compile(studentSources, classes, path.forStudent(), "your code in " + src);
      List<Path> testSources = new ArrayList<>(javaFiles(exercise.visibleTests()));
      List<Path> hiddenSources = Files.isDirectory(exercise.hiddenTests())
          && !options.visibleOnly() ? javaFiles(exercise.hiddenTests()) : List.of();
      Path traces = options.traces().toAbsolutePath();
      clearTraces(traces, testSources);
      testSources.addAll(hiddenSources);
      compile(testSources, testClasses, path.forTests(classes),
          "the exercise's tests against your code (did you change a public signature?)");
      List<String> unknown = options.testClasses().stream()
          .filter(c -> testSources.stream().noneMatch(t -> t.getFileName().toString()
              .equals(c + ".java")))
          .sorted().collect(Collectors.toList());
      if (!unknown.isEmpty()) {
        throw new UserError("--tests " + String.join(",", unknown) + ": no such test class in "
            + exercise.name() + "; it has " + testSources.stream()
                .map(t -> t.getFileName().toString())
                .filter(n -> n.endsWith("Test.java")).map(n -> n.replace(".java", ""))
                .collect(Collectors.joining(", ")));
      }
      // Checked on the class files before anything runs: a class out of place or breaking the
      // grader's own rules is refused (no test runs); the exercise's rules cost the score.
      List<String> refusals = new ArrayList<>(StudentClasses.refusals(classes,
          snapshot.studentPackages(), path.testSideClasses(testClasses)));
      List<String> breaches = new ArrayList<>();
      for (BytecodeRules.Breach b : BytecodeRules.forExercise(exercise.rules()).check(classes)) {
        (b.sandbox() && !containmentOnly ? refusals : breaches).add(b.toString());
      }
      List<TestResult> results = new ArrayList<>();
      List<String> incidents = new ArrayList<>();
      String forkClassPath = path.forTestJvm(testClasses, classes);
      try (URLClassLoader loader = new URLClassLoader(
          new URL[] {testClasses.toUri().toURL(), classes.toUri().toURL()},
          Grader.class.getClassLoader())) {
        List<Path> toRun = testSources.stream().filter(test -> {
          String file = test.getFileName().toString();
          // Not a *Test.java: a helper compiled with the tests.
          return file.endsWith("Test.java") && (options.testClasses().isEmpty()
              || options.testClasses().contains(file.replace(".java", "")));
        }).collect(Collectors.toList());
        for (int i = 0; i < toRun.size(); i++) {
          Path test = toRun.get(i);
          boolean hidden = hiddenSources.contains(test);
          String className = className(hidden ? exercise.hiddenTests()
              : exercise.visibleTests(), test);
          String simple = className.substring(className.lastIndexOf('.') + 1);
          if (!refusals.isEmpty()) {
            TestPoints.of(loader, className).forEach((method, points) -> results.add(
                new TestResult(simple, method, hidden, points, false, "not run: the submission"
                    + " was refused before any test ran (see why in the report)", null)));
            continue;
          }
          listener.running(i, toRun.size(), simple);
          results.addAll(runClass(loader, className, hidden, forkClassPath, work, incidents));
        }
        listener.running(toRun.size(), toRun.size(), "");
      }
      return new GradeReport(bundled.name(), results, breaches, restored, refusals)
          .withSandbox(sandbox.describe(Sandbox.parseSize(options.maxHeap())), incidents);
    } catch (IOException e) {
      throw new UncheckedIOException("grading in " + work + ": " + e.getMessage(), e);
    } finally {
      if (snapshot != null) {
        snapshot.release();
      }
      deleteTree(work);
      GradingShutdown.release(work);
    }
  }

  /** Whether the test class asks for C2 ({@link OptimizingCompiler}); not initialised here. */
  private static boolean needsOptimizingCompiler(ClassLoader loader, String className) {
    try {
      return Class.forName(className, false, loader).isAnnotationPresent(OptimizingCompiler.class);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalStateException("test class " + className + " did not load: " + e, e);
    }
  }

  private List<TestResult> runClass(ClassLoader loader, String className, boolean hidden,
      String classPath, Path work, List<String> incidents) throws IOException {
    Map<String, Integer> points = TestPoints.of(loader, className);
    boolean optimizing = needsOptimizingCompiler(loader, className);
    String simple = className.substring(className.lastIndexOf('.') + 1);
    List<String> jvmOptions = new ArrayList<>(List.of("-Xmx" + options.maxHeap(),
        "-XX:+ExitOnOutOfMemoryError",
        // C1 only starts quicker; memory-ordering stress needs C2 (see OptimizingCompiler).
        optimizing ? "-XX:+TieredCompilation" : "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-D" + GradingTraces.DIR_PROPERTY + "=" + options.traces().toAbsolutePath(),
        "-D" + Seeds.SEED_PROPERTY + "=" + options.seed(), "-cp", classPath));
    // Loaded at start, so that Lincheck never has to attach an agent at run time (see there).
    GradingClassPath.instrumentationAgent().ifPresent(a -> jvmOptions.add(0, "-javaagent:" + a));
    TestJvm.Outcome run = TestJvm.run(sandbox, jvmOptions, className,
        work.resolve("home-" + simple), options.timeoutPerClass(),
        Sandbox.parseSize(options.maxHeap()));
    GradingTraces.adoptPartials(options.traces().toAbsolutePath(), simple);
    ResultsReader results = run.results();
    if (!run.timedOut() && !results.started()) {
      // ForkMain never ran: the JVM refused its options. No student code had loaded yet.
      throw new UserError("the test JVM for " + simple + " did not start (exit code "
          + run.exitCode() + "), a problem of the grader's setup, not of the code graded: "
          + firstLine(run.output()));
    }
    String lostBecause = lostBecause(run);
    String truncated = run.truncated() ? " (" + truncation(run) + ")" : "";
    incidents.addAll(incidents(simple, run));
    List<TestResult> out = new ArrayList<>();
    for (Map.Entry<String, Integer> e : points.entrySet().stream()
        .sorted(Map.Entry.comparingByKey()).collect(Collectors.toList())) {
      ForkChannel.Line line = results.result(e.getKey());
      boolean passed = line != null && line.status() == ForkChannel.Status.PASS;
      String feedback = passed ? "" : (line == null ? lostBecause
          : line.feedback().isEmpty() ? "failed" : line.feedback()) + truncated;
      Path trace = null;
      if (!passed) {
        List<Path> left = GradingTraces.left(options.traces().toAbsolutePath(), simple,
            e.getKey());
        trace = left.isEmpty() ? null : left.get(left.size() - 1);
        if (trace != null && !feedback.contains(trace.toString())) {
          feedback += " (trace of the failing run: " + GradingTraces.viewCommand(trace) + ")";
        }
      }
      out.add(new TestResult(simple, e.getKey(), hidden, e.getValue(), passed, feedback,
          trace));
    }
    return out;
  }

  /** Why the tests a test JVM did not report lost their points. */
  private String lostBecause(TestJvm.Outcome run) {
    if (run.timedOut()) {
      return "expected the test to finish within the class's time limit of "
          + options.timeoutPerClass().toSeconds() + " s, but its JVM was still running and was"
          + " killed (a hang, a deadlock or a lost wakeup?)";
    }
    if (run.memoryExceeded()) {
      return "expected the test to run within the sandbox's memory limit (heap and off-heap),"
          + " but its JVM went over it and was killed";
    }
    if (run.output().contains("OutOfMemoryError")) {
      return "expected the test to run within -Xmx" + options.maxHeap()
          + ", but its JVM ran out of memory";
    }
    return "expected the test to finish, but its JVM exited with code " + run.exitCode()
        + " before it did (System.exit, halt or a crash)";
  }

  /** What the sandbox saw a test class's JVM attempt, one line each. */
  private static List<String> incidents(String testClass, TestJvm.Outcome run) {
    List<String> seen = new ArrayList<>();
    if (run.truncated()) {
      seen.add(testClass + ": " + truncation(run));
    }
    if (run.results().forged() > 0) {
      seen.add(testClass + ": " + run.results().forged() + " line(s) on the results channel"
          + " were not signed by the grader's runner and were ignored (forged results?)");
    }
    if (run.leftovers()) {
      seen.add(testClass + ": a process the tests started outlived their JVM and was killed");
    }
    return seen;
  }

  private static String truncation(TestJvm.Outcome run) {
    return "output truncated: " + run.outputBytes() + " bytes written, the first "
        + (Sandbox.OUTPUT_BYTES >> 20) + " MiB kept";
  }

  private static String firstLine(String text) {
    return text.strip().lines().findFirst().orElse("no output");
  }

  /** Removes the traces earlier gradings of these test classes left. */
  private static void clearTraces(Path traces, List<Path> testSources) throws IOException {
    if (!Files.isDirectory(traces)) {
      return;
    }
    List<String> prefixes = testSources.stream()
        .map(p -> p.getFileName().toString().replace(".java", "."))
        .collect(Collectors.toList());
    try (Stream<Path> s = Files.list(traces)) {
      for (Path p : s.collect(Collectors.toList())) {
        String n = p.getFileName().toString();
        // A killed JVM's trace may still have its temporary name (see adoptPartials).
        if ((n.endsWith(".ktrace") || n.matches(".*\\.ktrace\\.[0-9a-f]{8}\\.partial"))
            && prefixes.stream().anyMatch(n::startsWith)) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static void compile(List<Path> sources, Path out, String classPath, String what)
      throws IOException {
    Files.createDirectories(out);
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    if (compiler == null) {
      throw new IllegalStateException("no Java compiler in " + System.getProperty("java.home")
          + "; run the grader with a JDK, not a JRE");
    }
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    StringWriter messages = new StringWriter();
    boolean ok;
    try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics,
        Locale.ROOT, StandardCharsets.UTF_8)) {
      List<String> options = List.of("--release", "17", "-proc:none", "-nowarn",
          "-cp", classPath, "-d", out.toString());
      ok = compiler.getTask(messages, files, diagnostics, options, null,
          files.getJavaFileObjectsFromPaths(sources)).call();
    }
    if (!ok) {
      StringBuilder first = new StringBuilder();
      int lines = 0;
      for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
        if (d.getKind() != Diagnostic.Kind.ERROR) {
          continue;
        }
        String source = d.getSource() == null ? "" : Path.of(d.getSource().toUri())
            .getFileName() + ":" + d.getLineNumber() + ": ";
        for (String line : (source + d.getMessage(Locale.ROOT)).split("\n")) {
          if (lines++ < COMPILER_LINES) {
            first.append("\n  ").append(line);
          }
        }
      }
      if (lines == 0) {
        first.append("\n  ").append(noDiagnostics(messages.toString()));
      }
      throw new UserError("compiling " + what + " failed:" + first);
    }
  }

  /**
   * Why javac failed without a single error diagnostic: it crashed, and said so only in its log
   * (javac's {@code JavacTaskImpl.handleExceptions} prints the throwable there).
   */
  static String noDiagnostics(String log) {
    if (log.contains("StackOverflowError")) {
      return "javac ran out of stack: the source nests too deeply (an expression, or a chain of"
          + " calls or of '+', thousands of levels deep); split it into smaller parts";
    }
    if (log.contains("OutOfMemoryError")) {
      return "javac ran out of memory compiling the sources; make them smaller";
    }
    String firstLine = log.strip().lines().findFirst().orElse("");
    return firstLine.isEmpty() ? "javac gave no reason (no error and no output)"
        : "javac: " + firstLine;
  }

  private static List<Path> javaFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".java")).sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException("listing " + dir + ": " + e.getMessage(), e);
    }
  }

  private static String className(Path root, Path source) {
    String rel = root.relativize(source).toString();
    return rel.substring(0, rel.length() - ".java".length()).replace(File.separatorChar, '.');
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A temp directory left behind is not worth failing a grade for.
    }
  }
}
