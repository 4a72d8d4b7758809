package io.kallisto.exercises.grader;

import static io.kallisto.exercises.grader.GradingFixtures.assertVariantFails;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Graders must be able to fail: exercise 5 (connection balancing). */
class ConnectionBalancingExerciseGraderTest {
  private static final Exercise EX = Exercise.bundled("ex5");

  @Test
  void theReferenceSolutionScoresFullMarks() {
    GradingFixtures.assertReferenceScoresFullMarks(EX);
  }

  @Test
  void theUntouchedStarterScoresZero() {
    GradingFixtures.assertStarterScoresZero(EX);
  }

  @Test
  void closesThatNeverReachTheCountsLoseTheChurnTest(@TempDir Path dir) {
    GradeReport r = assertVariantFails(EX, "no-decrement",
        "SimulatedBalancingGradingTest.countsMatchTheOpenConnectionsUnderChurn", dir);
    assertTrue(r.test("SimulatedBalancingGradingTest.countsMatchTheOpenConnectionsUnderChurn")
        .feedback().contains("seed "), r.toText());
    assertFalse(r.test("SimulatedBalancingGradingTest"
        + ".afterClosesSettleNewConnectionsRefillTheEmptiestWorkers").passed(), r.toText());
  }

  @Test
  void aCloseOnTheWrongWorkerLosesTheModelTestAndNamesTheSeed(@TempDir Path dir) {
    GradeReport r = assertVariantFails(EX, "closes-wrong-worker",
        "ConnectionCountsGradingTest.randomOpensAndClosesMatchAModel", dir);
    assertTrue(r.test("ConnectionCountsGradingTest.randomOpensAndClosesMatchAModel").feedback()
        .contains("seed "), r.toText());
  }

  @Test
  void closesCountedOnTheWorkersThreadLoseTheSingleWriterTests(@TempDir Path dir) {
    GradeReport r = assertVariantFails(EX, "unsynchronised-close",
        "SimulatedBalancingGradingTest.onlyTheAcceptorsLoopTouchesTheCounts", dir,
        "SocketBalancingGradingTest");
    assertFalse(r.test("SocketBalancingGradingTest"
        + ".concurrentOpensAndClosesOnRealSocketsLeaveTheTrueCounts").passed(), r.toText());
  }

  @Test
  void anOpenThatIsNotSiftedDownLosesTheModelTest(@TempDir Path dir) {
    assertVariantFails(EX, "sift-up-on-open",
        "ConnectionCountsGradingTest.randomOpensAndClosesMatchAModel", dir);
  }

  @Test
  void anOpenCountedByAPostLosesTheBurstTest(@TempDir Path dir) {
    assertVariantFails(EX, "counted-later",
        "SimulatedBalancingGradingTest.burstsOfConnectionsOpenEvenlyAcrossWorkers", dir);
  }

  @Test
  void aHeapKeyedOnTheCountAloneLosesOnlyTheTieTests(@TempDir Path dir) {
    GradeReport r = assertVariantFails(EX, "ties-by-count",
        "ConnectionCountsGradingTest.tiesGoToTheLowestIndex", dir);
    assertTrue(r.test("ConnectionCountsGradingTest.randomOpensAndClosesMatchAModel").passed(),
        "expected the tie-break to cost only the tie tests\n" + r.toText());
  }

  @Test
  void aScanOfEveryWorkerLosesTheScaleTest(@TempDir Path dir) {
    GradeReport r = assertVariantFails(EX, "linear-scan",
        "ConnectionCountsGradingTest.aQuarterMillionWorkersStayCheap", dir);
    assertTrue(r.test("ConnectionCountsGradingTest.randomOpensAndClosesMatchAModel").passed(),
        "expected a correct scan to lose only the scale test\n" + r.toText());
  }

  @Test
  void theEnginesBalancerAndCountersBreakTheRulesAndScoreZero(@TempDir Path dir) {
    GradingFixtures.assertVariantBreaksRule(EX, "engine-counters",
        "io.kallisto.net.ConnectionBalancer", "BalancingVisibleTest", dir);
  }

  @Test
  void aCloseOfAWorkerThatDoesNotExistPostedUncheckedLosesTheRefusalTest(@TempDir Path dir) {
    assertVariantFails(EX, "unchecked-close-index", "SimulatedBalancingGradingTest"
        + ".aCloseReportedForAWorkerThatDoesNotExistIsRefusedOnTheCallersThread", dir);
  }

  @Test
  void aChildMovedUpWithoutItsSlotLosesTheModelTest(@TempDir Path dir) {
    assertVariantFails(EX, "stale-slot-on-sift-down",
        "ConnectionCountsGradingTest.randomOpensAndClosesMatchAModel", dir);
  }

  @Test
  void aRefusedCloseThatStillDecrementsLosesTheRefusalTest(@TempDir Path dir) {
    assertVariantFails(EX, "close-goes-negative",
        "ConnectionCountsGradingTest.refusedCallsAtAnyPointThrowAndChangeNothing", dir);
  }

  @Test
  void aCloseThatSearchesTheHeapLosesTheScaleTest(@TempDir Path dir) {
    GradeReport r = assertVariantFails(EX, "linear-close",
        "ConnectionCountsGradingTest.aQuarterMillionWorkersStayCheap", dir);
    assertTrue(r.test("ConnectionCountsGradingTest.randomOpensAndClosesMatchAModel").passed(),
        "expected a correct search to lose only the scale test\n" + r.toText());
  }
}
