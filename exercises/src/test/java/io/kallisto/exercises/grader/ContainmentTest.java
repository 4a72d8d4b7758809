package io.kallisto.exercises.grader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A test JVM that hangs, exits or runs out of memory costs only the tests of that class that had
 * not finished; tests that finished before keep their points, other classes are untouched, and
 * the grader finishes.
 */
class ContainmentTest {
  private static GradeReport report;

  @BeforeAll
  static void gradeTheMisbehavingFixture() {
    Exercise ex = new Exercise(GradingFixtures.fixtures().resolve("ex0-containment"));
    // 4 s per class: the hanging class is killed after it; the others end well before.
    report = assertTimeoutPreemptively(Duration.ofSeconds(90), () ->
        new Grader(Grader.Options.DEFAULT.withLimits(Duration.ofSeconds(4), "64m")).grade(ex, ex.starter()));
    System.out.println(report.toText());
  }

  @Test
  void aHangingTestJvmIsKilledAndOnlyItsUnfinishedTestsLosePoints() {
    assertContained("HangsTest", "killed");
  }

  @Test
  void aTestJvmThatExitsCostsOnlyItsUnfinishedTests() {
    assertContained("ExitsTest", "exited with code 3");
  }

  @Test
  void aTestJvmOutOfMemoryCostsOnlyItsUnfinishedTests() {
    assertContained("RunsOutOfMemoryTest", "ran out of memory");
  }

  @Test
  void aWellBehavedClassKeepsItsPointsAndFailuresSayWhatWasExpected() {
    assertTrue(report.test("PassesTest.answersFortyTwo").passed(), report.toText());
    TestResult failed = report.test("PassesTest.failsWithFeedback");
    assertFalse(failed.passed());
    assertTrue(failed.feedback().contains("expected: <41> but was: <42>"), failed.feedback());
    // 5 + 3 * 2 points kept, of 5 + 1 + 3 * (2 + 3 + 1).
    assertEquals(11, report.score(), report.toText());
    assertEquals(24, report.maxScore(), report.toText());
  }

  private static void assertContained(String testClass, String cause) {
    assertTrue(report.test(testClass + ".a_passes").passed(),
        "expected the test that finished first to keep its points\n" + report.toText());
    for (String lost : new String[] {".b_misbehaves", ".c_neverRuns"}) {
      TestResult t = report.test(testClass + lost);
      assertFalse(t.passed(), report.toText());
      assertTrue(t.feedback().contains(cause), "expected feedback naming '" + cause + "': "
          + t.feedback());
    }
  }
}
