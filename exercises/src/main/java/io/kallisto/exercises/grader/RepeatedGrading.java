package io.kallisto.exercises.grader;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * The same sources graded {@code n} times: how often each test failed, and with what first
 * feedback. An instructor's check that a reference solution passes every time (a correct
 * solution must pass 50 gradings in a row) and that no test is flaky.
 */
final class RepeatedGrading {
  private final String exercise;
  private final int runs;
  private final Map<String, Integer> failures = new LinkedHashMap<>();
  private final Map<String, String> firstFeedback = new LinkedHashMap<>();
  // What contained the test JVMs: the same lines every grading unless the machine changed.
  private final Set<String> containment = new LinkedHashSet<>();
  private int fullMarks;

  private RepeatedGrading(String exercise, int runs) {
    this.exercise = exercise;
    this.runs = runs;
  }

  /**
   * Runs {@code grading} {@code n} times; {@code progress} hears the number of runs done after
   * each.
   */
  static RepeatedGrading run(String exercise, int n, Supplier<GradeReport> grading,
      IntConsumer progress) {
    RepeatedGrading r = new RepeatedGrading(exercise, n);
    for (int i = 1; i <= n; i++) {
      GradeReport report = grading.get();
      r.add(report);
      progress.accept(i);
    }
    return r;
  }

  private void add(GradeReport report) {
    if (report.score() == report.maxScore()) {
      fullMarks++;
    }
    for (TestResult t : report.tests()) {
      failures.merge(t.name(), t.passed() ? 0 : 1, Integer::sum);
      if (!t.passed()) {
        firstFeedback.putIfAbsent(t.name(), t.feedback());
      }
    }
    if (!report.ruleBreaches().isEmpty()) {
      firstFeedback.putIfAbsent("rules", String.join("; ", report.ruleBreaches()));
    }
    if (!report.refusals().isEmpty()) {
      firstFeedback.putIfAbsent("refused", String.join("; ", report.refusals()));
    }
    if (!report.incidents().isEmpty()) {
      firstFeedback.putIfAbsent("sandbox", String.join("; ", report.incidents()));
    }
    containment.addAll(report.containment());
  }

  /** How many gradings gave every point. */
  int fullMarks() {
    return fullMarks;
  }

  /** How many gradings ran. */
  int runs() {
    return runs;
  }

  /** How many of the runs each test failed in, by {@code Class.method}. */
  Map<String, Integer> failures() {
    return failures;
  }

  /** A table of every test with its failures, then the first feedback of each failing test. */
  String toText() {
    int width = failures.keySet().stream().mapToInt(String::length).max().orElse(4) + 2;
    StringBuilder b = new StringBuilder(exercise).append(", graded ").append(runs)
        .append(" times\n");
    b.append(String.format("%-" + width + "s %s%n", "test", "failed in"));
    for (Map.Entry<String, Integer> e : failures.entrySet()) {
      b.append(String.format("%-" + width + "s %d of %d%n", e.getKey(), e.getValue(), runs));
    }
    List<Map.Entry<String, String>> failed = List.copyOf(firstFeedback.entrySet());
    if (!failed.isEmpty()) {
      b.append("\nfirst failure of each:\n");
      for (Map.Entry<String, String> e : failed) {
        b.append("  ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
      }
    }
    if (!containment.isEmpty()) {
      b.append("\nsandbox:\n  ").append(String.join("\n  ", containment)).append('\n');
    }
    b.append(String.format("%nfull marks in %d of %d gradings%s%n", fullMarks, runs,
        fullMarks == runs ? "" : " (" + (runs - fullMarks) + " lost points)"));
    return b.toString();
  }
}
