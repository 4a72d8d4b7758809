package io.kallisto.exercises.grader;

import static io.kallisto.exercises.grader.GradingFixtures.assertVariantFails;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Graders must be able to fail: exercise 3 (worker pool lifecycle). */
class WorkerPoolExerciseGraderTest {
  private static final Exercise EX = Exercise.bundled("ex3");

  @Test
  void theReferenceSolutionScoresFullMarks() {
    GradingFixtures.assertReferenceScoresFullMarks(EX);
  }

  @Test
  void theUntouchedStarterScoresZero() {
    GradingFixtures.assertStarterScoresZero(EX);
  }

  @Test
  void aStopThatExitsWithoutDrainingLosesTheDrainTest(@TempDir Path dir) {
    assertVariantFails(EX, "exits-without-draining",
        "DrainGradingTest.stopRunsEveryRequestQueuedBehindARunningOneInOrder", dir);
  }

  @Test
  void aDrainThatDropsFollowUpsLosesTheFollowUpTest(@TempDir Path dir) {
    assertVariantFails(EX, "follow-ups-dropped",
        "DrainGradingTest.followUpsOfferedDuringTheDrainRunBeforeStopReturns", dir);
  }

  @Test
  void aPlainCounterUnderTheSharedReadLockLosesACountingTest(@TempDir Path dir) {
    // A lost update needs two offers at the same instant: up to three gradings (see there).
    GradingFixtures.assertRacyVariantFailsOneOf(EX, "plain-counter", List.of(
        "CountingGradingTest.concurrentProducersAreCountedExactlyFailuresIncluded",
        "CountingGradingTest.concurrentDispatchesAreDealtExactlyEvenly"), 3, dir);
  }

  @Test
  void aMailboxThatDiesOnAThrowLosesTheKeepsServingTests(@TempDir Path dir) {
    GradeReport r = assertVariantFails(EX, "mailbox-dies-on-throw",
        "WorkerVisibleTest.aThrowingRequestIsReportedWithTheWorkersNameAndTheWorkerKeepsServing",
        dir);
    // The same worker serves well until a request throws: only the throwing test is lost.
    assertTrue(r.test("WorkerVisibleTest.aStartedWorkerBecomesReadyAndRunsARequestOnItsOwnLoop")
        .passed(), r.toText());
  }

  @Test
  void readySignalledBeforeTheLoopRunsLosesTheReadinessTest(@TempDir Path dir) {
    assertVariantFails(EX, "ready-before-loop",
        "LifecycleGradingTest.awaitReadyReturnsOnlyOnceTheLoopRunsPostedCallbacks", dir);
  }

  @Test
  void rejectionsThatAreNotCountedLoseTheRejectionTests(@TempDir Path dir) {
    GradeReport r = assertVariantFails(EX, "silent-drop-after-stop",
        "DrainGradingTest.offersFromOtherThreadsOnceStopBeganAreRejectedCountedAndNeverRun",
        dir, "WorkerVisibleTest");
    assertFalse(r.test("WorkerVisibleTest.anOfferAfterStopIsRejectedCountedAndNeverRun")
        .passed(), r.toText());
  }

  @Test
  void anUnlockedStateCheckLosesTheRaceWithStop(@TempDir Path dir) {
    assertVariantFails(EX, "check-then-post",
        "RaceGradingTest.offersRacingWithStopEitherRunExactlyOnceOrAreRejected", dir);
  }

  @Test
  void aSecondStopThatReturnsEarlyLosesTheConcurrentStopTest(@TempDir Path dir) {
    assertVariantFails(EX, "stop-returns-early",
        "LifecycleGradingTest.concurrentStopCallsAllWaitForTheDrainAndReturnTheSameCounts", dir);
  }

  /**
   * A plain {@code int next} loses updates under concurrent dispatches, which the even-deal test
   * sees on most runs but not all: a lost update inside {@code next++} needs two threads on two
   * cores at the same instant, which no test can force (it escaped once at load 5 in CI). The
   * same int also wraps after 2^31 dispatches, which the overflow test sees every time, so that
   * is the test this variant must lose; the even-deal test runs too, for its feedback.
   */
  @Test
  void aPlainRoundRobinIndexLosesTheOverflowTest(@TempDir Path dir) {
    assertVariantFails(EX, "plain-round-robin",
        "PoolGradingTest.theDealStaysRoundRobinPastTwoToThe31Dispatches", dir,
        "CountingGradingTest");
  }

  @Test
  void aDispatcherNeverClosedLosesTheResourceTest(@TempDir Path dir) {
    String test = "ResourceGradingTest.stopReleasesEveryThreadDispatcherAndFdTheWorkersMade";
    GradeReport r = assertVariantFails(EX, "dispatcher-never-closed", test, dir);
    assertTrue(r.test(test).feedback().contains("never closed"), r.toText());
  }

  @Test
  void aStopThatSpinsLosesTheParkedStopTests(@TempDir Path dir) {
    GradeReport r = assertVariantFails(EX, "spinning-stop",
        "ResourceGradingTest.aStopWaitingForTheDrainParksInsteadOfSpinning", dir);
    assertTrue(r.test("ResourceGradingTest.aPoolStopWaitingForItsWorkersParksInsteadOfSpinning")
        .feedback().contains("RUNNABLE"), r.toText());
  }

  @Test
  void aFirstCallbackThatOverwritesDrainingLosesTheStateRaceTest(@TempDir Path dir) {
    assertVariantFails(EX, "ready-overwrites-draining",
        "StateRaceGradingTest.aStopBeforeTheFirstCallbackRunsIsNotUndoneByIt", dir);
  }

  @Test
  void anUnlockedStartLosesTheConcurrentStartTest(@TempDir Path dir) {
    assertVariantFails(EX, "unlocked-start",
        "StateRaceGradingTest.concurrentStartsStartOneLoopAndRefuseTheOthers", dir);
  }

  @Test
  void anIntTicketThatWrapsLosesTheOverflowTest(@TempDir Path dir) {
    assertVariantFails(EX, "int-ticket",
        "PoolGradingTest.theDealStaysRoundRobinPastTwoToThe31Dispatches", dir);
  }
}
