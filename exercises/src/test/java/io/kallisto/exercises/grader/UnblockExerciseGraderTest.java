package io.kallisto.exercises.grader;

import static io.kallisto.exercises.grader.GradingFixtures.assertVariantFails;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.trace.EventType;
import io.kallisto.trace.TraceFile;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Graders must be able to fail: exercise 6 (unblock the loop). */
class UnblockExerciseGraderTest {
  private static final Exercise EX = Exercise.bundled("ex6");

  @Test
  void theReferenceSolutionScoresFullMarks() {
    GradingFixtures.assertReferenceScoresFullMarks(EX);
  }

  @Test
  void theUntouchedStarterScoresZero() {
    GradingFixtures.assertStarterScoresZero(EX);
  }

  @Test
  void anOutcomeHandedOverOnThePoolThreadLosesTheOnTheLoopTest(@TempDir Path dir) {
    String test = "OffloaderVisibleTest.workRunsOnAPoolThreadAndItsOutcomeComesBackOnTheLoop";
    GradeReport r = assertVariantFails(EX, "response-off-loop", test, dir);
    assertTrue(r.test(test).feedback().contains("then on thread 'pool-"), r.toText());
  }

  @Test
  void aThreadPerRequestLosesTheBoundTest(@TempDir Path dir) {
    String test = "OffloaderGradingTest.atMostThreadsTasksRunAtOnceAndAtMostQueueCapacityWait";
    GradeReport r = assertVariantFails(EX, "thread-per-request", test, dir);
    assertTrue(r.test(test).feedback().contains("accepted 10"), r.toText());
  }

  @Test
  void aLoopThatWaitsForTheFutureLosesTheLatencyAndTraceTestsAndKeepsTheTrace(
      @TempDir Path dir) {
    GradeReport r = assertVariantFails(EX, "blocking-get",
        "LoadGradingTest.fastRequestsDoNotWaitBehindSlowOnesUnderAMixedLoad", dir);
    TestResult hol = r.test(
        "LoadGradingTest.theHeadOfLineAnalysisFindsNoRequestQueuedBehindASlowOne");
    TestResult structure = r.test("LoadGradingTest."
        + "theTraceShowsEverySlowRequestAnsweredInALaterCallbackThanTheOneThatReadIt");
    assertFalse(hol.passed(), r.toText());
    assertFalse(structure.passed(), r.toText());
    assertTrue(structure.feedback().contains("inside one callback"), r.toText());
    // The student can open the run that failed: the trace holds both sides of every request.
    assertNotNull(structure.trace(), "expected the failing run's trace\n" + r.toText());
    assertTrue(structure.feedback().contains("./kallisto view " + structure.trace()),
        structure.feedback());
    try (TraceFile f = TraceFile.open(structure.trace())) {
      Map<EventType, Long> counts = f.countByType();
      assertTrue(counts.getOrDefault(EventType.REQUEST_BEGIN, 0L) > 100, counts.toString());
      assertTrue(counts.getOrDefault(EventType.CALLBACK, 0L) > 100, counts.toString());
    }
  }

  @Test
  void cpuWorkKeptOnTheLoopLosesTheCpuTest(@TempDir Path dir) {
    assertVariantFails(EX, "cpu-on-loop",
        "UnblockingGradingTest.aCpuRequestDoesNotHoldItsLoopEither", dir);
  }

  @Test
  void aResponseSentToAClosedConnectionLosesTheCloseTest(@TempDir Path dir) {
    String test = "ServiceGradingTest.aConnectionClosedDuringItsLookupGetsNoWriteAndCausesNoError";
    GradeReport r = assertVariantFails(EX, "write-after-close", test, dir);
    assertTrue(r.test(test).feedback().contains("that is closed"), r.toText());
  }

  @Test
  void aFrameHandedOverUncopiedLosesTheExactlyOnceTest(@TempDir Path dir) {
    assertVariantFails(EX, "shared-frame-buffer",
        "ServiceGradingTest.everyRequestIsAnsweredExactlyOnceWithItsIdAndPayload", dir);
  }

  @Test
  void aCloseThatLeavesThePoolRunningLosesTheCloseTest(@TempDir Path dir) {
    assertVariantFails(EX, "no-shutdown",
        "OffloaderGradingTest.closeLetsAcceptedWorkFinishThenEndsEveryPoolThread", dir);
  }

  @Test
  void theExecutorsOwnQueueAsTheBoundLosesTheHeldBurstTest(@TempDir Path dir) {
    String test = "CapacityGradingTest"
        + ".aBurstWhileEveryPoolThreadStillHandsBackAnOutcomeIsAcceptedUpToCapacity";
    GradeReport r = assertVariantFails(EX, "executor-queue-bound", test, dir);
    assertTrue(r.test(test).feedback().contains("refused while there was room"), r.toText());
  }

  @Test
  void aPlaceGivenBackOnTheLoopLosesTheGiveBackTest(@TempDir Path dir) {
    assertVariantFails(EX, "released-on-loop",
        "CapacityGradingTest.aTaskGivesBackItsPlaceWhenItsWorkReturnsNotWhenTheLoopRunsItsOutcome",
        dir);
  }

  @Test
  void aTaskCountedOnThePoolThreadLosesTheBoundTests(@TempDir Path dir) {
    GradeReport r = assertVariantFails(EX, "counted-on-pool-thread",
        "CapacityGradingTest.offersRacingForTheLastPlacesNeverExceedTheBound", dir,
        "OffloaderGradingTest");
    assertFalse(r.test("OffloaderGradingTest.atMostThreadsTasksRunAtOnceAndAtMostQueueCapacityWait")
        .passed(), r.toText());
  }

  @Test
  void echosSentThroughTheOffloaderLoseTheFullOffloaderTest(@TempDir Path dir) {
    String test = "UnblockingGradingTest.echosAreAnsweredOnTheLoopEvenWhileTheOffloaderIsFull";
    GradeReport r = assertVariantFails(EX, "echo-offloaded", test, dir);
    assertTrue(r.test(test).feedback().contains("answered BUSY"), r.toText());
  }

  @Test
  void aTwoStepAdmissionLosesTheLincheckTest(@TempDir Path dir) {
    String test = "AdmissionLincheckTest.twoOffersRacingForTheOnlyPlaceNeverBothGetIt";
    GradeReport r = assertVariantFails(EX, "check-then-act-admission", test, dir);
    assertTrue(r.test(test).feedback().contains("accepts both"), r.toText());
  }

  @Test
  void aCloseThatRefusesOnlyOnceDoneLosesTheHeldCloseTest(@TempDir Path dir) {
    String test = "OffloaderGradingTest"
        + ".anOfferWhileCloseWaitsForHeldWorkIsRefusedAndTheWorkEndsQuietly";
    GradeReport r = assertVariantFails(EX, "unguarded-close-race", test, dir);
    assertTrue(r.test(test).feedback().contains("RejectedExecutionException"), r.toText());
  }
}
