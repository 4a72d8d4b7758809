package io.kallisto.exercises.grader;

import io.kallisto.cli.Progress;
import io.kallisto.cli.UserError;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kallisto grade EXERCISE [--src DIR] [--format text|json|gradescope]}. */
@Command(
    name = "grade",
    mixinStandardHelpOptions = true,
    description = {
      "Grades a student's sources for one exercise: compiles them against the engine, runs the"
          + " exercise's visible and hidden tests, one forked JVM per test class, and prints"
          + " the points per test with feedback for each failure.",
      "Exit code 0 whatever the score; 2 for an unknown exercise, a missing --src, code that"
          + " does not compile, or options no test JVM could run with (checked before any"
          + " test runs)."
    })
public final class GradeCommand implements Callable<Integer> {
  /** The output formats. */
  enum Format { text, json, gradescope }

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "EXERCISE",
      description = "ex1-post-queue, ex1, 1 or post-queue (and so on for each exercise)")
  String exercise;

  @Option(names = "--src", paramLabel = "DIR", defaultValue = ".",
      description = "The student's sources, a package tree (default: ${DEFAULT-VALUE})")
  Path src;

  @Option(names = "--format", paramLabel = "text|json|gradescope", defaultValue = "text",
      description = "text, json or gradescope (results.json) (default: ${DEFAULT-VALUE})")
  Format format;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
      description = "Time limit per test class (default: ${DEFAULT-VALUE})")
  int timeoutSeconds;

  @Option(names = "--max-heap", paramLabel = "SIZE", defaultValue = "256m",
      description = "-Xmx of each test JVM (default: ${DEFAULT-VALUE})")
  String maxHeap;

  @Option(names = "--traces", paramLabel = "DIR", defaultValue = "kallisto-grade-traces",
      description = "Where failing tests leave the trace of their run (default: ${DEFAULT-VALUE})")
  Path traces;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
      description = "Replay one seed of the simulated tests (a failure names its seed)")
  long seed;

  @Option(names = "--repeat", paramLabel = "N", defaultValue = "1",
      description = "Grade N times and show how often each test failed: a reference solution"
          + " must pass every time (default: ${DEFAULT-VALUE})")
  int repeat;

  @Option(names = "--tests", paramLabel = "CLASS", split = ",",
      description = "Run only these test classes (simple names, comma separated), for example"
          + " to replay one failing class with --seed")
  java.util.List<String> tests = new java.util.ArrayList<>();

  @Option(names = "--visible-only",
      description = "Grade the visible tests only, as a student sees them")
  boolean visibleOnly;

  @Override
  public Integer call() {
    if (repeat < 1) {
      throw new UserError("--repeat=" + repeat + ": use 1 or more");
    }
    if (seed < 0) {
      throw new UserError("--seed=" + seed + ": use a seed a failure named (1 or more)");
    }
    if (timeoutSeconds < 1) {
      throw new UserError("--timeout=" + timeoutSeconds + ": use 1 or more seconds");
    }
    long heap = Sandbox.parseSize(maxHeap);
    if (heap < 0) {
      throw new UserError("--max-heap=" + maxHeap + ": use a -Xmx size such as 256m");
    }
    if (heap < Grader.MIN_HEAP) {
      throw new UserError("--max-heap=" + maxHeap + ": too small for a test JVM to start; use"
          + " at least 16m, such as 256m");
    }
    checkTraces();
    if (java.nio.file.Files.isRegularFile(src.resolve("pom.xml"))
        && java.nio.file.Files.isDirectory(src.resolve("exercises").resolve("src"))) {
      // The whole repository holds every reference and variant: nothing a student would hand in.
      throw new UserError("--src " + src + " is the Kallisto repository, not a student's"
          + " sources; run this in the folder 'kallisto exercises export " + exercise
          + " --student DIR' wrote, or pass --src DIR");
    }
    Exercise ex = Exercise.bundled(exercise);
    Grader grader = new Grader(Grader.Options.DEFAULT
        .withLimits(Duration.ofSeconds(timeoutSeconds), maxHeap).withTraces(traces)
        .withSeed(seed).withVisibleOnly(visibleOnly)
        .withTestClasses(java.util.Set.copyOf(tests)));
    if (repeat > 1) {
      if (format != Format.text) {
        throw new UserError("--repeat prints a text summary; drop --format " + format);
      }
      Progress progress = new Progress(System.err, "grading " + ex.name(), repeat);
      RepeatedGrading r = RepeatedGrading.run(ex.name(), repeat, () -> grader.grade(ex, src),
          progress::update);
      progress.finish(repeat);
      spec.commandLine().getOut().print(r.toText());
      spec.commandLine().getOut().flush();
      return 0;
    }
    GradeReport report;
    Progress[] progress = new Progress[1];
    try {
      // One line per test class on stderr: a grading takes 5 to 30 s.
      report = grader.grade(ex, src, (index, total, testClass) -> {
        if (progress[0] == null) {
          progress[0] = new Progress(System.err, "grading " + ex.name(), Math.max(1, total));
        }
        if (index < total) {
          progress[0].update(index, (index + 1) + "/" + total + " " + testClass);
        } else {
          progress[0].finish(total, total + "/" + total + " test classes");
        }
      });
    } catch (UserError e) {
      if (format != Format.text && e.getMessage().startsWith("compiling")) {
        // Gradescope shows results.json, not the exit code: a compile error is a 0 with reasons.
        spec.commandLine().getOut().println(GradeReport.compileFailure(ex.name(), e.getMessage(),
            format == Format.gradescope));
        spec.commandLine().getOut().flush();
      }
      throw e;
    }
    String out = switch (format) {
      case text -> report.toText();
      case json -> report.toJson();
      case gradescope -> report.toGradescope();
    };
    spec.commandLine().getOut().print(out);
    if (!out.endsWith("\n")) {
      spec.commandLine().getOut().println();
    }
    spec.commandLine().getOut().flush();
    return 0;
  }

  /** The trace directory must be one the test JVMs can write, checked before any test runs. */
  private void checkTraces() {
    // Traces of failing tests never land in the student's own source folder.
    new io.kallisto.cli.FileArguments().input("--src", src).outputDirectory("--traces", traces)
        .check();
    if (java.nio.file.Files.exists(traces) && !java.nio.file.Files.isDirectory(traces)) {
      throw new UserError("--traces " + traces + ": is a file; give a directory for the traces"
          + " of failing tests");
    }
    try {
      java.nio.file.Files.createDirectories(traces);
      java.nio.file.Files.delete(java.nio.file.Files.createTempFile(traces, ".probe", ""));
    } catch (java.io.IOException | SecurityException e) {
      throw new UserError("--traces " + traces + ": cannot write there (" + e + "); give a"
          + " directory you can write");
    }
  }
}
