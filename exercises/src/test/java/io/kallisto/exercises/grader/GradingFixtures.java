package io.kallisto.exercises.grader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Source trees to grade: the reference solution with a buggy variant's patch applied. */
final class GradingFixtures {
  private GradingFixtures() {}

  /** Where the committed buggy variants live: {@code src/test/variants/EXERCISE/VARIANT.patch}. */
  static Path variants() {
    return Path.of(System.getProperty("kallisto.exercises.variants", "src/test/variants"));
  }

  /** The grader's own fixtures: {@code src/test/fixtures/}. */
  static Path fixtures() {
    return Path.of(System.getProperty("kallisto.exercises.fixtures", "src/test/fixtures"));
  }

  /** Grades {@code src}, bounded; prints the report so that the build log shows it. */
  static GradeReport grade(Exercise ex, Path src, String label) {
    return grade(ex, src, label, Set.of());
  }

  /**
   * Grades {@code src} with the test classes named (simple names; none: all), bounded; prints
   * the report so that the build log shows it.
   */
  static GradeReport grade(Exercise ex, Path src, String label, Set<String> testClasses) {
    Path traces = Path.of("target", "grade-traces", ex.name(),
        label.replaceAll("[^A-Za-z0-9-]", "-"));
    GradeReport r = assertTimeoutPreemptively(Duration.ofMinutes(2),
        () -> new Grader(Grader.Options.DEFAULT.withTraces(traces)
            .withTestClasses(testClasses)).grade(ex, src));
    System.out.println(label + ":\n" + r.toText());
    return r;
  }

  /** Asserts that {@code ex}'s reference solution scores every point, hidden tests included. */
  static void assertReferenceScoresFullMarks(Exercise ex) {
    GradeReport r = grade(ex, ex.solution(), "reference");
    assertEquals(r.maxScore(), r.score(), r.toText());
    assertTrue(r.tests().stream().anyMatch(TestResult::hidden), "expected hidden tests graded");
  }

  /** Asserts that {@code ex}'s untouched starter scores nothing. */
  static void assertStarterScoresZero(Exercise ex) {
    GradeReport r = grade(ex, ex.starter(), "starter");
    assertEquals(0, r.score(), r.toText());
    assertTrue(r.maxScore() > 0);
  }

  /**
   * Grades the solution with {@code variant}'s patch applied in {@code dir}, and asserts that
   * {@code test} ({@code Class.method}) fails with feedback. Only the test classes named in
   * {@code test} and {@code alsoRun} run, which keeps the proof quick.
   */
  static GradeReport assertVariantFails(Exercise ex, String variant, String test, Path dir,
      String... alsoRun) {
    Set<String> classes = new java.util.HashSet<>(java.util.Arrays.asList(alsoRun));
    classes.add(test.substring(0, test.indexOf('.')));
    GradeReport r = grade(ex, solutionWith(ex, variant, dir), "variant " + variant, classes);
    TestResult t = r.test(test);
    assertNotNull(t, "no test " + test + " in\n" + r.toText());
    assertFalse(t.passed(), "expected variant '" + variant + "' to fail " + test + "\n"
        + r.toText());
    assertFalse(t.feedback().isBlank(), "expected feedback for " + test);
    assertTrue(r.score() < r.maxScore());
    return r;
  }

  /**
   * For a variant whose bug shows only when threads race (a lost update): grades the solution
   * with {@code variant}'s patch applied in {@code dir}, running only the test classes of
   * {@code tests}, up to {@code attempts} times, and asserts that some attempt fails one of
   * {@code tests} with feedback. On a crowded 2-core machine two producers seldom run at the
   * same instant, so one grading may see no lost update: a student's grade is then lenient,
   * never wrong, and this proves the tests do catch the bug when the threads overlap.
   */
  static GradeReport assertRacyVariantFailsOneOf(Exercise ex, String variant, List<String> tests,
      int attempts, Path dir) {
    Set<String> classes = new java.util.HashSet<>();
    tests.forEach(t -> classes.add(t.substring(0, t.indexOf('.'))));
    Path src = solutionWith(ex, variant, dir);
    GradeReport last = null;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      last = grade(ex, src, "variant " + variant + " (attempt " + attempt + ")", classes);
      for (String test : tests) {
        TestResult t = last.test(test);
        assertNotNull(t, "no test " + test + " in\n" + last.toText());
        if (!t.passed()) {
          assertFalse(t.feedback().isBlank(), "expected feedback for " + test);
          assertTrue(last.score() < last.maxScore());
          return last;
        }
      }
    }
    throw new AssertionError("expected variant '" + variant + "' to fail one of " + tests
        + " in " + attempts + " gradings\n" + last.toText());
  }

  /**
   * Grades the solution with {@code variant}'s patch applied in {@code dir} (only the test class
   * {@code testClass}, to keep it quick), and asserts that the sources break the exercise's rule
   * on {@code forbidden}: the score is 0 with the breach named, though the tests pass.
   */
  static GradeReport assertVariantBreaksRule(Exercise ex, String variant, String forbidden,
      String testClass, Path dir) {
    GradeReport r = grade(ex, solutionWith(ex, variant, dir), "variant " + variant,
        Set.of(testClass));
    assertEquals(0, r.score(), r.toText());
    assertTrue(r.testPoints() > 0, "expected the tests to pass, only the rule to cost the points\n"
        + r.toText());
    assertTrue(r.ruleBreaches().stream().anyMatch(b -> b.contains("uses " + forbidden + ":")),
        "expected the breach of the rule on " + forbidden + " named\n" + r.toText());
    assertTrue(r.toText().contains("rules broken"), r.toText());
    return r;
  }

  /**
   * A copy of {@code ex}'s solution with {@code variant}'s patch applied
   * ({@code src/test/variants/EXERCISE/VARIANT.patch}, a unified diff against the solution).
   */
  static Path solutionWith(Exercise ex, String variant, Path into) {
    Path patch = variants().resolve(ex.name()).resolve(variant + ".patch");
    if (!Files.isRegularFile(patch)) {
      throw new IllegalArgumentException("no variant " + patch);
    }
    copyTree(ex.solution(), into);
    try {
      VariantPatch.apply(patch, into);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return into;
  }

  static void copyTree(Path from, Path to) {
    try {
      ExercisesCommand.copyTree(from, to);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

}
