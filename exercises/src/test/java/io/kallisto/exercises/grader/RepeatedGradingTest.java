package io.kallisto.exercises.grader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Grading N times counts each test's failures and the gradings with full marks. */
class RepeatedGradingTest {
  private static GradeReport report(boolean flakyPasses) {
    return new GradeReport("exX", List.of(
        new TestResult("A", "steady", false, 2, true, "", null),
        new TestResult("A", "flaky", true, 3, flakyPasses,
            flakyPasses ? "" : "expected 1 but was 2", null)));
  }

  @Test
  void countsHowOftenEachTestFailedAndTheGradingsWithFullMarks() {
    boolean[] passes = {true, false, true, false, true};
    int[] call = {0};
    List<Integer> progress = new ArrayList<>();
    RepeatedGrading r = RepeatedGrading.run("exX", 5, () -> report(passes[call[0]++]),
        progress::add);
    assertEquals(List.of(1, 2, 3, 4, 5), progress);
    assertEquals(3, r.fullMarks());
    assertEquals(0, r.failures().get("A.steady"));
    assertEquals(2, r.failures().get("A.flaky"));
    String text = r.toText();
    assertTrue(text.contains("full marks in 3 of 5 gradings (2 lost points)"), text);
    assertTrue(text.contains("A.flaky: expected 1 but was 2"), text);
  }

  @Test
  void saysWhatContainedTheTestJvmsAndWhatTheSandboxStopped() {
    GradeReport contained = report(true).withSandbox(
        List.of("namespaces: pid, net, mount", "missing: cgroup: off"),
        List.of("A: 3 line(s) on the results channel were not signed"));
    String text = RepeatedGrading.run("exX", 2, () -> contained, n -> { }).toText();
    assertTrue(text.contains("sandbox:\n  namespaces: pid, net, mount\n  missing: cgroup: off"),
        text);
    assertTrue(text.contains("sandbox: A: 3 line(s) on the results channel were not signed"),
        text);
  }
}
