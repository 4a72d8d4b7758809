package io.kallisto.exercises.grader;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The results of one grading: per test, and the totals; rendered as text, JSON or Gradescope. */
public final class GradeReport {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  private final String exercise;
  private final List<TestResult> tests;
  private final List<String> ruleBreaches;
  private final List<String> restoredGivenFiles;
  private final List<String> refusals;

  /** @param tests in the order to show them */
  public GradeReport(String exercise, List<TestResult> tests) {
    this(exercise, tests, List.of());
  }

  /**
   * @param tests in the order to show them
   * @param ruleBreaches the exercise's rules the sources broke ({@link BytecodeRules}); any makes
   *     the score 0, though every test still shows how it went
   */
  public GradeReport(String exercise, List<TestResult> tests, List<String> ruleBreaches) {
    this(exercise, tests, ruleBreaches, List.of());
  }

  /**
   * @param tests in the order to show them
   * @param ruleBreaches the exercise's rules the sources broke
   * @param restoredGivenFiles given files the student changed, graded as given
   */
  public GradeReport(String exercise, List<TestResult> tests, List<String> ruleBreaches,
      List<String> restoredGivenFiles) {
    this(exercise, tests, ruleBreaches, restoredGivenFiles, List.of());
  }

  /**
   * @param tests in the order to show them
   * @param ruleBreaches the exercise's rules the sources broke
   * @param restoredGivenFiles given files the student changed, graded as given
   * @param refusals why the submission was refused before any test ran (a class in a package
   *     it may not use or replacing a test-side class, a breach of the grader's own rules);
   *     any makes the score 0
   */
  public GradeReport(String exercise, List<TestResult> tests, List<String> ruleBreaches,
      List<String> restoredGivenFiles, List<String> refusals) {
    this.exercise = exercise;
    this.tests = List.copyOf(tests);
    this.ruleBreaches = List.copyOf(ruleBreaches);
    this.restoredGivenFiles = List.copyOf(restoredGivenFiles);
    this.refusals = List.copyOf(refusals);
  }

  /** Why the submission was refused before any test ran; empty when its tests ran. */
  public List<String> refusals() {
    return refusals;
  }

  /** Given files the student changed; graded with the exercise's own copy. */
  public List<String> restoredGivenFiles() {
    return restoredGivenFiles;
  }

  /** The rules the sources broke, one line each; empty when they hold. */
  public List<String> ruleBreaches() {
    return ruleBreaches;
  }

  /** The exercise's name. */
  public String exercise() {
    return exercise;
  }

  /** Every graded test. */
  public List<TestResult> tests() {
    return tests;
  }

  /** The points earned: 0 if a rule was broken. */
  public int score() {
    return ruleBreaches.isEmpty() && refusals.isEmpty() ? testPoints() : 0;
  }

  /** The points the tests earned, rules aside. */
  public int testPoints() {
    return tests.stream().mapToInt(TestResult::points).sum();
  }

  /** The points available. */
  public int maxScore() {
    return tests.stream().mapToInt(TestResult::maxPoints).sum();
  }

  /** The result of the test {@code Class.method}, or {@code null}. */
  public TestResult test(String name) {
    return tests.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
  }

  /** A table, one row per test, then the failures' feedback and the total. */
  public String toText() {
    int width = tests.stream().mapToInt(t -> t.name().length()).max().orElse(4) + 2;
    StringBuilder b = new StringBuilder(exercise).append('\n');
    b.append(String.format("%-" + width + "s %-7s %-6s %s%n", "test", "points", "result", ""));
    for (TestResult t : tests) {
      b.append(String.format("%-" + width + "s %3d/%-3d %-6s %s%n", t.name(), t.points(),
          t.maxPoints(), t.passed() ? "pass" : "FAIL", t.hidden() ? "(hidden)" : ""));
    }
    List<TestResult> failed = tests.stream().filter(t -> !t.passed()).toList();
    if (!failed.isEmpty()) {
      b.append("\nfeedback:\n");
      for (TestResult t : failed) {
        b.append("  ").append(t.name()).append(": ").append(t.feedback()).append('\n');
      }
    }
    if (!restoredGivenFiles.isEmpty()) {
      b.append(String.format("%ngiven files you changed were graded as given: %s%n",
          String.join(", ", restoredGivenFiles)));
    }
    if (!refusals.isEmpty()) {
      b.append(String.format("%nrefused before any test ran (the score is 0):%n"));
      for (String r : refusals) {
        b.append("  ").append(r).append('\n');
      }
    }
    if (!ruleBreaches.isEmpty()) {
      b.append(String.format("%nrules broken (the score is 0 until they hold; the tests would"
          + " give %d/%d):%n", testPoints(), maxScore()));
      for (String r : ruleBreaches) {
        b.append("  ").append(r).append('\n');
      }
    }
    b.append(String.format("%nscore: %d/%d (%.0f %%)%n", score(), maxScore(), percent()));
    return b.toString();
  }

  /** The score as a percentage of the maximum. */
  public double percent() {
    return maxScore() == 0 ? 0 : 100.0 * score() / maxScore();
  }

  /** Plain JSON: exercise, score, max_score, and each test with its feedback. */
  public String toJson() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("exercise", exercise);
    root.put("score", score());
    root.put("max_score", maxScore());
    root.put("rule_breaches", ruleBreaches);
    root.put("given_files_restored", restoredGivenFiles);
    root.put("refused", refusals);
    List<Map<String, Object>> list = new ArrayList<>();
    for (TestResult t : tests) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", t.name());
      m.put("hidden", t.hidden());
      m.put("passed", t.passed());
      m.put("score", t.points());
      m.put("max_score", t.maxPoints());
      m.put("feedback", t.feedback());
      m.put("trace", t.trace() == null ? null : t.trace().toString());
      list.add(m);
    }
    root.put("tests", list);
    return write(root);
  }

  /**
   * Gradescope's {@code results.json}: hidden tests are shown to students only after the due
   * date ({@code "visibility": "after_due_date"}) and tagged {@code hidden}.
   */
  public String toGradescope() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("score", score());
    root.put("max_score", maxScore());
    root.put("output", String.format("%s: %d/%d points", exercise, score(), maxScore())
        + (refusals.isEmpty() ? "" : "\nrefused before any test ran (the score is 0):\n  "
            + String.join("\n  ", refusals))
        + (ruleBreaches.isEmpty() ? "" : "\nrules broken (the score is 0 until they hold):\n  "
            + String.join("\n  ", ruleBreaches))
        + (restoredGivenFiles.isEmpty() ? "" : "\ngiven files you changed were graded as"
            + " given: " + String.join(", ", restoredGivenFiles)));
    root.put("visibility", "visible");
    List<Map<String, Object>> list = new ArrayList<>();
    for (TestResult t : tests) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", t.name());
      m.put("score", t.points());
      m.put("max_score", t.maxPoints());
      m.put("status", t.passed() ? "passed" : "failed");
      m.put("output", t.feedback());
      m.put("visibility", t.hidden() ? "after_due_date" : "visible");
      m.put("tags", t.hidden() ? List.of("hidden") : List.of());
      list.add(m);
    }
    root.put("tests", list);
    return write(root);
  }

  /**
   * The JSON (plain, or Gradescope's results.json) for sources that did not compile: score 0
   * and the compiler's message, so an autograder shows the student why.
   */
  static String compileFailure(String exercise, String message, boolean gradescope) {
    Map<String, Object> root = new LinkedHashMap<>();
    if (!gradescope) {
      root.put("exercise", exercise);
    }
    root.put("score", 0);
    root.put(gradescope ? "output" : "error", message.strip());
    if (gradescope) {
      root.put("visibility", "visible");
    }
    root.put("tests", List.of());
    return write(root);
  }

  private static String write(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
