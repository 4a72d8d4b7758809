package io.kallisto.exercises.mutation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-exercise score lines in the build log, and the survivors' Markdown. */
class MutationSummaryTest {
  private static String mutation(String status, boolean detected, int line, String desc) {
    return "<mutation detected='" + detected + "' status='" + status + "' numberOfTestsRun='1'>"
        + "<sourceFile>Q.java</sourceFile><mutatedClass>io.x.Q</mutatedClass>"
        + "<mutatedMethod>offer</mutatedMethod><methodDescription>()V</methodDescription>"
        + "<lineNumber>" + line + "</lineNumber>"
        + "<mutator>org.pitest.mutationtest.engine.gregor.mutators.VoidMethodCallMutator"
        + "</mutator><indexes><index>1</index></indexes><blocks><block>0</block></blocks>"
        + "<killingTest/><description>" + desc + "</description></mutation>\n";
  }

  private static void report(Path reports, String exercise, String... mutations)
      throws IOException {
    Path dir = Files.createDirectories(reports.resolve(exercise));
    Files.writeString(dir.resolve("mutations.xml"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        + "\n<mutations partial=\"false\">\n" + String.join("", mutations) + "</mutations>\n");
  }

  private static Map<String, Integer> thresholds(int ex1, int ex2) {
    Map<String, Integer> t = new LinkedHashMap<>();
    t.put("ex1", ex1);
    t.put("ex2", ex2);
    return t;
  }

  @Test
  void eachExercisePrintsOneScoreLineCountingTimeoutsAsKilledAndNoCoverageAsSurvived(
      @TempDir Path dir) throws IOException {
    report(dir, "ex1",
        mutation("KILLED", true, 10, "a"),
        mutation("TIMED_OUT", true, 11, "b"),
        mutation("MEMORY_ERROR", true, 12, "c"),
        mutation("SURVIVED", false, 13, "d"),
        mutation("NO_COVERAGE", false, 14, "e"));
    report(dir, "ex2", mutation("KILLED", true, 3, "f"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    MutationSummary.run(dir, dir.resolve("s.md"), "", thresholds(60, 90),
        new PrintStream(out, true, StandardCharsets.UTF_8));

    List<String> lines = out.toString(StandardCharsets.UTF_8).lines()
        .filter(l -> l.startsWith("mutation score ")).toList();
    assertEquals(List.of(
        "mutation score ex1: 3/5 killed = 60.0 % (KILLED 1, MEMORY_ERROR 1, NO_COVERAGE 1,"
            + " SURVIVED 1, TIMED_OUT 1); threshold 60 %; under the 90 % goal",
        "mutation score ex2: 1/1 killed = 100.0 % (KILLED 1); threshold 90 %"), lines);
  }

  @Test
  void theMarkdownListsEverySurvivorWithClassMethodLineMutatorAndDescription(
      @TempDir Path dir) throws IOException {
    report(dir, "ex1", mutation("KILLED", true, 10, "killed one"),
        mutation("SURVIVED", false, 13, "removed call to a|b"),
        mutation("NO_COVERAGE", false, 14, "uncovered one"));
    report(dir, "ex2");
    Path md = dir.resolve("out/survivors.md");

    MutationSummary.run(dir, md, "", thresholds(0, 0), new PrintStream(
        new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    String text = Files.readString(md);
    assertTrue(text.contains(
        "| Q | offer | 13 | VoidMethodCallMutator | removed call to a\\|b | SURVIVED |"), text);
    assertTrue(text.contains(
        "| Q | offer | 14 | VoidMethodCallMutator | uncovered one | NO_COVERAGE |"), text);
    assertTrue(!text.contains("killed one"), text);
    assertTrue(text.contains("## ex2\n\nmutation score ex2: 0/0 killed = 100.0 % (); threshold 0"
        + " %\n\nNo survivors."), text);
  }

  @Test
  void onlyTheSelectedExerciseIsReadWhenOneWasRun(@TempDir Path dir) throws IOException {
    report(dir, "ex2", mutation("SURVIVED", false, 3, "f"));

    List<ExerciseScore> scores = MutationSummary.run(dir, dir.resolve("s.md"), "ex2",
        thresholds(90, 0), new PrintStream(new ByteArrayOutputStream(), true,
            StandardCharsets.UTF_8));

    assertEquals(List.of("ex2"), scores.stream().map(ExerciseScore::exercise).toList());
    assertEquals(0.0, scores.get(0).percent());
  }

  @Test
  void aMissingReportOfAnExerciseThatRanFailsNamingTheFile(@TempDir Path dir) throws IOException {
    report(dir, "ex1", mutation("KILLED", true, 10, "a"));

    IOException e = assertThrows(IOException.class, () -> MutationSummary.run(dir,
        dir.resolve("s.md"), "", thresholds(0, 0), new PrintStream(
            new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));

    assertTrue(e.getMessage().contains("no PIT report for ex2")
        && e.getMessage().contains(dir.resolve("ex2/mutations.xml").toString()), e.getMessage());
  }

  @Test
  void anUnknownExerciseInOnlyIsRefusedNamingTheChoices(@TempDir Path dir) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MutationSummary.run(dir, dir.resolve("s.md"), "ex7", thresholds(0, 0),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));

    assertEquals("kallisto.mutation.only=ex7 names no exercise; expected one of [ex1, ex2], or no"
        + " -Dkallisto.mutation.only for all of them", e.getMessage());
  }

  @Test
  void anExerciseSkippedOnPurposeIsSaidToBeSkippedAndItsMissingReportIsNoError(
      @TempDir Path dir) throws IOException {
    report(dir, "ex1", mutation("KILLED", true, 10, "a"));
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      MutationSummary.main(new String[] {dir.toString(), dir.resolve("s.md").toString(), "only=",
          "ex1=0", "ex2=90", "skip=ex2"});
    } finally {
      System.setOut(out);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertTrue(log.contains("mutation score ex2: not run in this build (skipped)"), log);
    assertTrue(log.contains("mutation score ex1: 1/1 killed"), log);
  }
}
