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
        "TimerQueueGradingTest.randomAddsRemovesPollsAndReAddsMatchASortedModel", dir);
    assertTrue(r.test("TimerQueueGradingTest.randomAddsRemovesPollsAndReAddsMatchASortedModel")
        .feedback().contains("seed "), r.toText());
  }

  @Test
  void aPriorityQueueInsteadOfAHeapBreaksTheRulesAndScoresZero(@TempDir Path dir) {
    GradingFixtures.assertVariantBreaksRule(EX, "priority-queue", "java.util.PriorityQueue",
        "TimerQueueVisibleTest", dir);
  }

  @Test
  void aPollThatKeepsTheNodesIndexLosesTheModelTest(@TempDir Path dir) {
    GradeReport r = assertVariantFails(EX, "poll-keeps-index",
        "TimerQueueGradingTest.randomAddsRemovesPollsAndReAddsMatchASortedModel", dir);
    assertTrue(r.test("TimerQueueGradingTest.randomAddsRemovesPollsAndReAddsMatchASortedModel")
        .feedback().contains("to have queueIndex -1"), r.toText());
  }

  @Test
  void removingTheLastSlotWithoutClearingItsIndexLosesTheModelTest(@TempDir Path dir) {
    assertVariantFails(EX, "last-slot-keeps-index",
        "TimerQueueGradingTest.randomAddsRemovesPollsAndReAddsMatchASortedModel", dir);
  }

  @Test
  void aParentMovedWithoutItsIndexLosesTheModelTest(@TempDir Path dir) {
    assertVariantFails(EX, "swap-forgets-index",
        "TimerQueueGradingTest.randomAddsRemovesPollsAndReAddsMatchASortedModel", dir);
  }

  @Test
  void siftingDownPastOnlyThreeChildrenLosesTheModelTest(@TempDir Path dir) {
    assertVariantFails(EX, "three-children",
        "TimerQueueGradingTest.randomAddsRemovesPollsAndReAddsMatchASortedModel", dir);
  }

  @Test
  void aBinaryHeapLosesOnlyTheLayoutTest(@TempDir Path dir) {
    GradeReport r = assertVariantFails(EX, "binary-heap",
        "TimerQueueGradingTest.theQueueIsAFourAryHeapWhoseNodesKnowTheirSlot", dir);
    assertTrue(r.test("TimerQueueGradingTest.randomAddsRemovesPollsAndReAddsMatchASortedModel")
        .passed(), "expected a correct binary heap to lose only the layout test\n" + r.toText());
  }

  @Test
  void aRemoveThatTrustsAStaleIndexLosesOnlyTheRefusalTest(@TempDir Path dir) {
    GradeReport r = assertVariantFails(EX, "unchecked-remove",
        "TimerQueueGradingTest.aRemoveOfANodeNotQueuedOrAnAddOfAQueuedOneIsRefused", dir);
    assertTrue(r.test("TimerQueueGradingTest.randomAddsRemovesPollsAndReAddsMatchASortedModel")
        .passed(), "expected the missing checks to cost only the refusal test\n" + r.toText());
  }

  @Test
  void aRemoveThatChecksOnlyForMinusOneLosesTheRefusalTestOnAForeignNode(@TempDir Path dir) {
    GradeReport r = assertVariantFails(EX, "foreign-node-removed",
        "TimerQueueGradingTest.aRemoveOfANodeNotQueuedOrAnAddOfAQueuedOneIsRefused", dir);
    assertTrue(r.test("TimerQueueGradingTest.aRemoveOfANodeNotQueuedOrAnAddOfAQueuedOneIsRefused")
        .feedback().contains("queued in another queue"), r.toText());
  }

  @Test
  void aFreedSlotLeftSetLosesOnlyTheReachabilityTest(@TempDir Path dir) {
    GradeReport r = assertVariantFails(EX, "freed-slot-kept",
        "TimerQueueGradingTest.nodesThatLeftAreNotKeptReachableByTheQueue", dir);
    assertTrue(r.test("TimerQueueGradingTest.randomAddsRemovesPollsAndReAddsMatchASortedModel")
        .passed(), "expected a loitering reference to cost only the reachability test\n"
        + r.toText());
  }

  @Test
  void aRemoveThatShiftsAndRebuildsTheArrayLosesTheMovedNodesTest(@TempDir Path dir) {
    GradeReport r = assertVariantFails(EX, "rebuild-on-remove",
        "TimerQueueGradingTest.eachOperationMovesOnlyTheNodesOnOnePath", dir);
    assertTrue(r.test("TimerQueueGradingTest.randomAddsRemovesPollsAndReAddsMatchASortedModel")
        .passed(), "expected a correct O(n) remove to lose only the cost tests\n" + r.toText());
  }

  @Test
  void aRemoveThatSearchesTheArrayLosesTheCostTest(@TempDir Path dir) {
    assertVariantFails(EX, "linear-remove",
        "TimerQueueCostGradingTest.removeCostGrowsLikeLogNNotLikeN", dir);
  }
}
