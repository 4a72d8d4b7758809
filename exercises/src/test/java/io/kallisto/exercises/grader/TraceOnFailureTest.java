package io.kallisto.exercises.grader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.trace.EventType;
import io.kallisto.trace.TraceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failing test leaves the trace of its run and its feedback names the {@code kallisto view}
 * command; a simulated check names its failing seed, and that seed replays exactly.
 */
class TraceOnFailureTest {
  private static final Exercise EX =
      new Exercise(GradingFixtures.fixtures().resolve("ex0-traces"));
  private static final Pattern SEED = Pattern.compile("seed (\\d+) \\(of 1\\.\\.20");
  private static GradeReport report;
  private static Path traces;

  @BeforeAll
  static void gradeTheFixture(@TempDir Path dir) {
    traces = dir.resolve("traces");
    report = grade(Grader.Options.DEFAULT.withLimits(Duration.ofSeconds(8), "128m")
        .withTraces(traces));
  }

  private static GradeReport grade(Grader.Options options) {
    GradeReport r = assertTimeoutPreemptively(Duration.ofSeconds(90),
        () -> new Grader(options).grade(EX, EX.starter()));
    System.out.println(r.toText());
    return r;
  }

  @Test
  void aPassingTestLeavesNoTrace() {
    assertTrue(report.test("LoopTracesTest.a_passesAndLeavesNoTrace").passed(), report.toText());
    assertFalse(Files.exists(traces.resolve("LoopTracesTest.a_passesAndLeavesNoTrace.ktrace")));
  }

  @Test
  void aFailingTestLeavesATraceOfItsRunAndTheFeedbackSaysHowToOpenIt() {
    TestResult t = report.test("LoopTracesTest.b_failsAfterRunningALoop");
    assertFalse(t.passed());
    assertNotNull(t.trace(), "expected a trace for the failing test\n" + report.toText());
    assertTrue(t.feedback().contains("./kallisto view " + t.trace()), t.feedback());
    assertTrue(t.feedback().contains("expected the posts backwards"), t.feedback());
    try (TraceFile f = TraceFile.open(t.trace())) {
      assertNull(f.damage(), "expected a whole trace: " + f.damage());
      assertEquals(3L, f.countByType().getOrDefault(EventType.CALLBACK, 0L),
          "expected the three posts' callbacks in " + f.countByType());
    }
  }

  @Test
  void aTestKilledForHangingLeavesTheTraceOfTheRunUpToTheHang() {
    TestResult t = report.test("LoopTracesTest.c_hangsAfterRunningALoop");
    assertFalse(t.passed());
    assertTrue(t.feedback().contains("killed"), t.feedback());
    assertNotNull(t.trace(), "expected the hanging test's trace\n" + report.toText());
    try (TraceFile f = TraceFile.open(t.trace())) {
      // The loop ran before the hang; the trace writer had flushed its callbacks by the kill.
      assertEquals(3L, f.countByType().getOrDefault(EventType.CALLBACK, 0L),
          "expected the three posts' callbacks in " + f.countByType());
    }
  }

  @Test
  void aSimulatedCheckPassingEverySeedPasses() {
    assertTrue(report.test("SeededTest.everySeedPasses").passed(), report.toText());
  }

  @Test
  void aFailingSeedIsNamedAndReplaysExactlyWithItsTrace(@TempDir Path dir) throws Exception {
    TestResult t = report.test("SeededTest.failsWhenWorkerOneFinishesFirst");
    assertFalse(t.passed(), report.toText());
    Matcher m = SEED.matcher(t.feedback());
    assertTrue(m.find(), "expected the failing seed named: " + t.feedback());
    long seed = Long.parseLong(m.group(1));
    assertTrue(t.feedback().contains("kallisto grade --tests SeededTest --seed " + seed),
        t.feedback());
    assertNotNull(t.trace(), t.feedback());
    assertTrue(t.trace().getFileName().toString().endsWith(".seed-" + seed + ".ktrace"),
        t.trace().toString());
    assertTrue(t.feedback().contains("./kallisto view " + t.trace()), t.feedback());
    byte[] first = Files.readAllBytes(t.trace());
    try (TraceFile f = TraceFile.open(t.trace())) {
      assertTrue(f.virtualClock(), "expected a virtual-clock trace");
      assertEquals(Long.toString(seed), f.header().get("seed"), "header: " + f.header());
    }

    // Replaying that seed alone fails the same way and writes the same trace, byte for byte.
    Path again = dir.resolve("again");
    GradeReport replay = grade(Grader.Options.DEFAULT.withTraces(again).withSeed(seed)
        .withTestClasses(java.util.Set.of("SeededTest")));
    TestResult r = replay.test("SeededTest.failsWhenWorkerOneFinishesFirst");
    assertFalse(r.passed(), replay.toText());
    assertTrue(r.feedback().contains("seed " + seed + " (of " + seed + ".." + seed),
        r.feedback());
    assertArrayEquals(first, Files.readAllBytes(r.trace()),
        "expected the replayed seed's trace to equal the first one byte for byte");
  }

  @Test
  void gradingAgainRemovesTheTracesOfTheLastGrading(@TempDir Path dir) throws Exception {
    Path stale = Files.createDirectories(dir).resolve("SeededTest.everySeedPasses.ktrace");
    Files.writeString(stale, "old");
    Path other = dir.resolve("Unrelated.ktrace");
    Files.writeString(other, "not ours");
    grade(Grader.Options.DEFAULT.withTraces(dir).withTestClasses(java.util.Set.of("SeededTest")));
    assertFalse(Files.exists(stale), "expected the last grading's trace removed");
    assertTrue(Files.exists(other), "expected files of other tests kept");
  }
}
