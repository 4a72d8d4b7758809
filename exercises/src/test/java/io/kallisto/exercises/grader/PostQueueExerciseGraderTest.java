package io.kallisto.exercises.grader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Graders must be able to fail: exercise 1 (post queue and wakeup). */
class PostQueueExerciseGraderTest {
  private static final Exercise EX = Exercise.bundled("ex1");
  private static final Grader GRADER = new Grader(Grader.Limits.DEFAULT);

  @Test
  void theReferenceSolutionScoresFullMarks() {
    GradeReport r = assertTimeoutPreemptively(Duration.ofMinutes(2),
        () -> GRADER.grade(EX, EX.solution()));
    System.out.println(r.toText());
    assertEquals(r.maxScore(), r.score(), r.toText());
    assertTrue(r.tests().stream().anyMatch(TestResult::hidden), "expected hidden tests graded");
  }

  @Test
  void theUntouchedStarterScoresZero() {
    GradeReport r = assertTimeoutPreemptively(Duration.ofMinutes(2),
        () -> GRADER.grade(EX, EX.starter()));
    assertEquals(0, r.score(), r.toText());
    assertTrue(r.maxScore() > 0);
  }

  @Test
  void aLostWakeupLosesTheRacingPostTest(@TempDir Path dir) {
    assertVariantFails("lost-wakeup", "WakeupGradingTest.aPostRacingWithPrepareToSleepIsNeverLost",
        dir);
  }

  @Test
  void anUnsynchronisedQueueLosesTheConcurrentProducersTest(@TempDir Path dir) {
    assertVariantFails("unsynchronised-queue",
        "PostQueueGradingTest.concurrentProducersLoseNothingAndRunNothingTwice", dir);
  }

  @Test
  void aGateThatAlwaysWakesLosesTheRedundantWakeupTests(@TempDir Path dir) {
    GradeReport r = assertVariantFails("always-wakes",
        "PostQueueVisibleTest.postsWhileTheLoopIsAwakeWriteNoWakeup", dir);
    assertFalse(r.test("WakeupGradingTest.whileAsleepOnlyTheFirstOfManyPostsWritesAWakeup")
        .passed(), r.toText());
  }

  @Test
  void aLifoQueueLosesTheOrderTests(@TempDir Path dir) {
    assertVariantFails("lifo-queue", "PostQueueVisibleTest.oneThreadsPostsArePolledInOrder", dir);
  }

  private static GradeReport assertVariantFails(String variant, String test, Path dir) {
    Path src = GradingFixtures.solutionWith(EX, variant, dir);
    GradeReport r = assertTimeoutPreemptively(Duration.ofMinutes(2), () -> GRADER.grade(EX, src));
    System.out.println("variant " + variant + ":\n" + r.toText());
    TestResult t = r.test(test);
    assertNotNull(t, "no test " + test + " in\n" + r.toText());
    assertFalse(t.passed(), "expected variant '" + variant + "' to fail " + test + "\n"
        + r.toText());
    assertFalse(t.feedback().isBlank(), "expected feedback for " + test);
    assertTrue(r.score() < r.maxScore());
    return r;
  }
}
