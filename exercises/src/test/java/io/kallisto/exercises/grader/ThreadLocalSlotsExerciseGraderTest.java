package io.kallisto.exercises.grader;

import static io.kallisto.exercises.grader.GradingFixtures.assertVariantFails;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.trace.TraceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Graders must be able to fail: exercise 4 (thread-local slots and the completion barrier). */
class ThreadLocalSlotsExerciseGraderTest {
  private static final Exercise EX = Exercise.bundled("ex4");

  @Test
  void theReferenceSolutionScoresFullMarks() {
    GradingFixtures.assertReferenceScoresFullMarks(EX);
  }

  @Test
  void theUntouchedStarterScoresZero() {
    GradingFixtures.assertStarterScoresZero(EX);
  }

  @Test
  void aBarrierThatLooksAgainAfterArrivingCompletesTwiceUnderRealThreads(@TempDir Path dir) {
    assertVariantFails(EX, "check-then-act-barrier", "CompletionBarrierGradingTest."
        + "concurrentArrivalsCompleteEachBarrierExactlyOnceAndNeverEarly", dir);
  }

  @Test
  void aVolatileArrivalCountLosesTheLincheckTest(@TempDir Path dir) {
    assertVariantFails(EX, "volatile-counter-barrier", "CompletionBarrierLincheckTest."
        + "everyInterleavingLincheckExploresMatchesASequentialBarrierWithoutLocks", dir);
  }

  @Test
  void aSynchronizedBarrierFailsLincheckObstructionFreedom(@TempDir Path dir) {
    GradeReport r = assertVariantFails(EX, "locked-barrier", "CompletionBarrierLincheckTest."
        + "everyInterleavingLincheckExploresMatchesASequentialBarrierWithoutLocks", dir);
    assertTrue(r.toText().contains("lock"), "expected the feedback to say a lock was found\n"
        + r.toText());
  }

  @Test
  void arrivingBeforeTheCallbackCompletesEarlyOnASeedThatLeavesATrace(@TempDir Path dir) {
    GradeReport r = assertVariantFails(EX, "arrive-before-callback",
        "SlotOrderingGradingTest.theCompletionRunsOnceOnMainAfterEveryWorkersCallbackEnded", dir);
    TestResult t = r.test(
        "SlotOrderingGradingTest.theCompletionRunsOnceOnMainAfterEveryWorkersCallbackEnded");
    assertTrue(t.feedback().contains("seed ") && t.feedback().contains("--seed"),
        "expected the failing seed named\n" + r.toText());
    assertNotNull(t.trace(), "expected the replayed seed's trace\n" + r.toText());
    assertTrue(Files.isRegularFile(t.trace()), "no trace file " + t.trace());
    try (TraceFile f = TraceFile.open(t.trace())) {
      assertTrue(f.countByType().size() > 0, "expected events in the trace");
    }
  }

  @Test
  void countingMainAsABarrierPartyCompletesBeforeAHeldWorker(@TempDir Path dir) {
    assertVariantFails(EX, "main-counted-as-party",
        "ThreadSlotsVisibleTest.completionRunsOnMainOnlyAfterEveryWorkerRanTheCallback", dir);
  }

  @Test
  void aCompletionRunOnTheLastWorkerLosesTheOnMainTest(@TempDir Path dir) {
    assertVariantFails(EX, "completion-on-worker",
        "ThreadSlotsVisibleTest.completionRunsOnMainOnlyAfterEveryWorkerRanTheCallback", dir);
  }

  @Test
  void aSetPostedToMainLosesTheInlineTest(@TempDir Path dir) {
    assertVariantFails(EX, "set-posted-to-main",
        "ThreadSlotsVisibleTest.setBuildsMainsValueInlineAndEachWorkersValueOnThatWorker", dir);
  }

  @Test
  void workerValuesBuiltOnMainLoseTheOwnThreadTest(@TempDir Path dir) {
    assertVariantFails(EX, "values-built-on-main",
        "ThreadSlotsVisibleTest.setBuildsMainsValueInlineAndEachWorkersValueOnThatWorker", dir);
  }

  @Test
  void aClosedSlotsQueuedCallbacksThatStillRunLoseTheCloseTest(@TempDir Path dir) {
    assertVariantFails(EX, "closed-slot-callbacks-run",
        "SlotLifecycleGradingTest.aClosedSlotsPendingCallbacksNeverRunAndItsIndexIsReused", dir);
  }

  @Test
  void aBarrierBehindAReentrantLockBreaksTheRulesAndScoresZero(@TempDir Path dir) {
    GradingFixtures.assertVariantBreaksRule(EX, "lock-based-barrier",
        "java.util.concurrent.locks.*", "CompletionBarrierVisibleTest", dir);
  }

  @Test
  void partyFlagsWrittenWithLazySetLetBothPartiesMissEachOtherUnderStress(@TempDir Path dir) {
    assertVariantFails(EX, "lazy-party-flags", "CompletionBarrierStressTest."
        + "twoPartiesArrivingAtOnceCompleteTheBarrierExactlyOnce", dir);
  }

  @Test
  void aCancelThatLooksThenWritesBothWinsUnderStress(@TempDir Path dir) {
    assertVariantFails(EX, "cancel-look-then-write",
        "BarrierCancelStressTest.aCancelRacingTheLastArrivalLetsExactlyOneWin", dir);
  }

  @Test
  void barriersNeverRemovedFromTheInFlightListGrowTheHeap(@TempDir Path dir) {
    assertVariantFails(EX, "in-flight-never-removed",
        "SlotResourcesGradingTest.manyFinishedCallsLeaveTheHeapAndThePostsPerCallAsTheyWere", dir);
  }

  @Test
  void completionsRememberedForeverAreStillReachableAfterTheyRan(@TempDir Path dir) {
    assertVariantFails(EX, "completions-remembered",
        "SlotResourcesGradingTest.finishedCallsKeepNeitherTheirCallbacksNorTheirCompletions", dir);
  }

  @Test
  void aCloseThatKeepsTheValuesInStorageLetsGoOfNothing(@TempDir Path dir) {
    assertVariantFails(EX, "close-keeps-values",
        "SlotResourcesGradingTest.aClosedSlotLetsGoOfEveryLoopsValue", dir);
  }

  @Test
  void aCloseThatIsNotIdempotentDropsTheValuesOfTheSlotThatReusedItsIndex(@TempDir Path dir) {
    assertVariantFails(EX, "close-not-idempotent",
        "SlotContractGradingTest.aSecondCloseAfterItsIndexWasReusedLeavesTheNewSlotAlone", dir);
  }
}
