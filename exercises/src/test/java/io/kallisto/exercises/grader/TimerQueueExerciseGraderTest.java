package io.kallisto.exercises.grader;

import static io.kallisto.exercises.grader.GradingFixtures.assertVariantFails;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.trace.EventType;
import io.kallisto.trace.TraceFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Graders must be able to fail: exercise 2 (timer queue). */
class TimerQueueExerciseGraderTest {
  private static final Exercise EX = Exercise.bundled("ex2");

  @Test
  void theReferenceSolutionScoresFullMarks() {
    GradingFixtures.assertReferenceScoresFullMarks(EX);
  }

  @Test
  void theUntouchedStarterScoresZero() {
    GradingFixtures.assertStarterScoresZero(EX);
  }

  @Test
  void aRemoveThatIgnoresInnerNodesLosesTheDisableTestAndLeavesItsTrace(@TempDir Path dir) {
    GradeReport r = assertVariantFails(EX, "disable-ignored",
        "TimerSemanticsGradingTest.aDisabledTimerNeverFires", dir);
    TestResult t = r.test("TimerSemanticsGradingTest.aDisabledTimerNeverFires");
    assertNotNull(t.trace(), "expected the failing run's trace\n" + r.toText());
    assertTrue(t.feedback().contains("./kallisto view " + t.trace()), t.feedback());
    try (TraceFile f = TraceFile.open(t.trace())) {
      // The loop's timer callbacks are in it: the student can see the disabled timer fire.
      assertTrue(f.countByType().getOrDefault(EventType.CALLBACK, 0L) > 0, "" + f.countByType());
    }
  }

  @Test
  void deadlineOnlyOrderingLosesTheEnableOrderTest(@TempDir Path dir) {
    assertVariantFails(EX, "no-tie-break", "TimerQueueVisibleTest.equalDeadlinesPollInEnableOrder",
        dir);
  }

  @Test
  void aStaleQueueIndexLosesTheReArmTest(@TempDir Path dir) {
    assertVariantFails(EX, "not-re-armed",
        "TimerSemanticsGradingTest.aTimerReArmedInItsCallbackFiresAgain", dir);
  }

  @Test
  void aRemoveThatOnlySiftsDownLosesTheModelTestAndNamesTheSeed(@TempDir Path dir) {
    GradeReport r = assertVariantFails(EX, "remove-without-sift-up",
        "TimerQueueGradingTest.randomAddsRemovesAndPollsMatchASortedModel", dir);
    assertTrue(r.test("TimerQueueGradingTest.randomAddsRemovesAndPollsMatchASortedModel")
        .feedback().contains("seed "), r.toText());
  }

  @Test
  void aPriorityQueueInsteadOfAHeapBreaksTheRulesAndScoresZero(@TempDir Path dir) {
    GradingFixtures.assertVariantBreaksRule(EX, "priority-queue", "java.util.PriorityQueue",
        "TimerQueueVisibleTest", dir);
  }
}
