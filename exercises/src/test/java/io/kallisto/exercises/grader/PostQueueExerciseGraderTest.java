package io.kallisto.exercises.grader;

import static io.kallisto.exercises.grader.GradingFixtures.assertVariantFails;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Graders must be able to fail: exercise 1 (post queue and wakeup). */
class PostQueueExerciseGraderTest {
  private static final Exercise EX = Exercise.bundled("ex1");
  private static final String LOST_WAKEUP = "LostWakeupStressTest."
      + "aPostRacingWithPrepareToSleepNeverLeavesTheLoopAsleepWithoutAWakeup";
  private static final String POLL_RACE =
      "PollRaceStressTest.aPostTheConsumerSeesIsPolledWholeAndOnce";

  @Test
  void theReferenceSolutionScoresFullMarks() {
    GradingFixtures.assertReferenceScoresFullMarks(EX);
  }

  @Test
  void theUntouchedStarterScoresZero() {
    GradingFixtures.assertStarterScoresZero(EX);
  }

  @Test
  void aLostWakeupLosesTheRacingPostTest(@TempDir Path dir) {
    assertVariantFails(EX, "lost-wakeup",
        "WakeupGradingTest.aPostRacingWithPrepareToSleepIsNeverLost", dir);
  }

  @Test
  void anUnsynchronisedQueueLosesTheConcurrentProducersAndLincheckTests(@TempDir Path dir) {
    GradeReport r = assertVariantFails(EX, "unsynchronised-queue",
        "PostQueueGradingTest.concurrentProducersLoseNothingAndRunNothingTwice", dir,
        "PostQueueLincheckTest");
    assertFalse(r.test("PostQueueLincheckTest."
        + "everyInterleavingLincheckExploresMatchesASequentialFifoQueue").passed(), r.toText());
  }

  @Test
  void aGateThatAlwaysWakesLosesTheRedundantWakeupTests(@TempDir Path dir) {
    GradeReport r = assertVariantFails(EX, "always-wakes",
        "PostQueueVisibleTest.postsWhileTheLoopIsAwakeWriteNoWakeup", dir, "WakeupGradingTest");
    assertFalse(r.test("WakeupGradingTest.whileAsleepOnlyTheFirstOfManyPostsWritesAWakeup")
        .passed(), r.toText());
  }

  @Test
  void aLifoQueueLosesTheOrderTests(@TempDir Path dir) {
    assertVariantFails(EX, "lifo-queue", "PostQueueVisibleTest.oneThreadsPostsArePolledInOrder",
        dir);
  }

  @Test
  void wrappingTheEnginesQueueBreaksTheRulesAndScoresZero(@TempDir Path dir) {
    GradingFixtures.assertVariantBreaksRule(EX, "wraps-engine-queue",
        "io.kallisto.event.MpscChunkedPostQueue", "PostQueueVisibleTest", dir);
  }

  @Test
  void anAwakeThatLeavesTheGateAsleepLosesTheWokeWithoutAPostTest(@TempDir Path dir) {
    assertVariantFails(EX, "awake-does-nothing",
        "WakeupGradingTest.aLoopThatWokeWithoutAPostIsAwakeAndItsPostsWriteNoWakeup", dir);
  }

  @Test
  void aGateLeftAsleepWhenTheLoopStaysAwakeLosesTheQueuedPostTest(@TempDir Path dir) {
    assertVariantFails(EX, "asleep-left-set",
        "WakeupGradingTest.aPostQueuedBeforePrepareToSleepKeepsTheLoopAwake", dir);
  }

  // Memory-ordering stress: each variant is graded with the one stress class meant for it.

  @Test
  void aLazySetAsleepLosesAWakeupUnderStress(@TempDir Path dir) {
    assertVariantFails(EX, "lazy-asleep", LOST_WAKEUP, dir);
  }

  @Test
  void aGateWhoseLoopSideTakesNoLockLosesAWakeupUnderStress(@TempDir Path dir) {
    assertVariantFails(EX, "half-synchronised-gate", LOST_WAKEUP, dir);
  }

  @Test
  void aReleaseStoreLinkSeenByIsEmptyLosesAWakeupUnderStress(@TempDir Path dir) {
    assertVariantFails(EX, "release-link", LOST_WAKEUP, dir);
  }

  @Test
  void aWakeupClearedByLookingThenWritingWakesTwiceUnderStress(@TempDir Path dir) {
    assertVariantFails(EX, "check-then-clear-wakeup",
        "DoubleWakeupStressTest.twoPostsRacingToWakeASleepingLoopWriteExactlyOneWakeup", dir);
  }

  @Test
  void aPollThatDoesNotWaitForTheLinkLosesThePollRaceTest(@TempDir Path dir) {
    assertVariantFails(EX, "poll-skips-unlinked", POLL_RACE, dir);
  }

  @Test
  void aTaskStoredAfterTheLinkLosesThePollRaceTest(@TempDir Path dir) {
    assertVariantFails(EX, "task-after-link", POLL_RACE, dir);
  }
}
