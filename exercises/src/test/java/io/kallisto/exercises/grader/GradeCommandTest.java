package io.kallisto.exercises.grader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kallisto.cli.KallistoCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code kallisto grade}: found through the CommandProvider SPI; user mistakes exit 2. */
class GradeCommandTest {
  private record Run(int exit, String out, String err) {}

  private static Run kallisto(String... args) {
    return assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
      CommandLine cli = KallistoCli.commandLine();
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      int exit = cli.execute(args);
      return new Run(exit, out.toString(), err.toString());
    });
  }

  @Test
  void anUnknownExerciseIsOneLineNamingTheExercisesThereAre() {
    Run r = kallisto("grade", "ex99");
    assertEquals(KallistoCli.EXIT_USER_ERROR, r.exit(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("no exercise 'ex99'; there are: ex1-post-queue, ex2-timer-queue"),
        r.err());
  }

  @Test
  void aMissingSourceDirectoryIsAUserError(@TempDir Path dir) {
    Run r = kallisto("grade", "ex1", "--src", dir.resolve("nope").toString());
    assertEquals(KallistoCli.EXIT_USER_ERROR, r.exit(), r.err());
    assertTrue(r.err().contains("no such directory"), r.err());
  }

  @Test
  void gradingTheRepositoryItselfSaysWhereToRunInstead(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("pom.xml"), "<project/>");
    Files.createDirectories(dir.resolve("exercises/src"));
    Run r = kallisto("grade", "ex1", "--src", dir.toString());
    assertEquals(KallistoCli.EXIT_USER_ERROR, r.exit(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("is the Kallisto repository, not a student's sources"), r.err());
    assertTrue(r.err().contains("kallisto exercises export ex1 --student DIR"), r.err());
  }

  @Test
  void codeThatDoesNotCompileShowsTheCompilersFirstErrors(@TempDir Path dir) throws IOException {
    Path pkg = Files.createDirectories(dir.resolve("io/kallisto/exercises/postqueue"));
    Files.writeString(pkg.resolve("WakeupGate.java"),
        "package io.kallisto.exercises.postqueue;\npublic final class WakeupGate {\n"
        + "  public boolean onPost() { return nope; }\n}\n");
    Run r = kallisto("grade", "post-queue", "--src", dir.toString());
    assertEquals(KallistoCli.EXIT_USER_ERROR, r.exit(), r.err());
    assertTrue(r.err().contains("compiling your code in"), r.err());
    assertTrue(r.err().contains("WakeupGate.java:3: cannot find symbol"), r.err());
    assertTrue(r.err().lines().count() <= 14, "expected only the first error lines\n" + r.err());
  }

  @Test
  void gradescopeOutputHasScoresAndMarksHiddenTests() throws IOException {
    Exercise ex = Exercise.bundled("2");
    Run r = kallisto("grade", "2", "--src", ex.starter().toString(), "--format", "gradescope");
    assertEquals(0, r.exit(), r.err());
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertEquals(0, json.get("score").asInt(), r.out());
    assertTrue(json.get("max_score").asInt() > 0, r.out());
    boolean sawHidden = false;
    for (JsonNode t : json.get("tests")) {
      assertEquals(0, t.get("score").asInt());
      assertTrue(t.get("output").asText().contains("TODO"), "expected the starter's TODO in: "
          + t);
      if (t.get("visibility").asText().equals("after_due_date")) {
        sawHidden = true;
        assertEquals("hidden", t.get("tags").get(0).asText());
      }
    }
    assertTrue(sawHidden, "expected hidden tests marked\n" + r.out());
  }

  @Test
  void visibleOnlyGradesTheVisibleTestsAsAStudentSeesThem(@TempDir Path traces)
      throws IOException {
    Exercise ex = Exercise.bundled("2");
    Run r = kallisto("grade", "2", "--src", ex.solution().toString(), "--visible-only",
        "--format", "json", "--traces", traces.toString());
    assertEquals(0, r.exit(), r.err());
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertTrue(json.get("tests").size() > 0, r.out());
    for (JsonNode t : json.get("tests")) {
      assertEquals(false, t.get("hidden").asBoolean(), "expected no hidden test: " + t);
    }
    assertEquals(json.get("max_score").asInt(), json.get("score").asInt(), r.out());
  }

  @Test
  void aNegativeSeedIsAUserError() {
    Run r = kallisto("grade", "1", "--seed", "-3", "--src", ".");
    assertEquals(KallistoCli.EXIT_USER_ERROR, r.exit(), r.err());
    assertTrue(r.err().contains("--seed=-3"), r.err());
  }

  /** Options no test JVM can run with are the grader's error: exit 2, before any test runs. */
  @Test
  void impossibleOptionsAreOneLineUserErrorsBeforeAnyTestRuns(@TempDir Path dir)
      throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
    String starter = Exercise.bundled("ex1").starter().toString();
    String[][] cases = {
        {"--max-heap", "1k"}, {"--max-heap", "lots"}, {"--max-heap", "99999999999999999g"},
        {"--traces", file.toString()}, {"--traces", file.resolve("sub").toString()},
        {"--timeout", "0"}, {"--timeout", "-5"}};
    String[] expected = {"--max-heap=1k: too small for a test JVM to start",
        "--max-heap=lots: use a -Xmx size", "--max-heap=99999999999999999g: use a -Xmx size",
        "--traces " + file + ": is a file", "--traces " + file.resolve("sub") + ": "
            + file.toRealPath() + " is a file, not a directory",
        "--timeout=0: use 1 or more seconds",
        "--timeout=-5: use 1 or more seconds"};
    for (int i = 0; i < cases.length; i++) {
      Run r = kallisto("grade", "ex1", "--src", starter, "--format", "gradescope",
          cases[i][0], cases[i][1]);
      assertEquals(KallistoCli.EXIT_USER_ERROR, r.exit(), String.join(" ", cases[i]) + r.err());
      assertEquals(1, r.err().strip().lines().count(), r.err());
      assertTrue(r.err().contains(expected[i]), r.err());
      // No results.json (a grading prints one, even of code that does not compile): Gradescope
      // would show a 0 the student did not earn.
      assertEquals("", r.out(), r.out());
    }
  }

  @Test
  void repeatWithJsonIsAUserErrorSayingWhy() {
    Exercise ex = Exercise.bundled("2");
    Run r = kallisto("grade", "2", "--src", ex.starter().toString(), "--repeat", "3",
        "--format", "json");
    assertEquals(KallistoCli.EXIT_USER_ERROR, r.exit(), r.err());
    assertTrue(r.err().contains("--repeat prints a text summary"), r.err());
  }

  @Test
  void gradescopeOutputOfCodeThatDoesNotCompileIsAZeroWithTheCompilersMessage(@TempDir Path dir)
      throws IOException {
    Path pkg = Files.createDirectories(dir.resolve("io/kallisto/exercises/timers"));
    Files.writeString(pkg.resolve("QuadHeapTimerQueue.java"),
        "package io.kallisto.exercises.timers;\npublic final class QuadHeapTimerQueue {\n"
        + "  int size() { return nope; }\n}\n");
    Run r = kallisto("grade", "2", "--src", dir.toString(), "--format", "gradescope");
    assertEquals(KallistoCli.EXIT_USER_ERROR, r.exit(), r.err());
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertEquals(0, json.get("score").asInt(), r.out());
    assertTrue(json.get("output").asText().contains("QuadHeapTimerQueue.java:3: cannot find"
        + " symbol"), r.out());
  }

  @Test
  void testsRunsOnlyTheNamedClassesAndAnUnknownOneIsAUserError(@TempDir Path traces)
      throws IOException {
    Exercise ex = Exercise.bundled("2");
    Run r = kallisto("grade", "2", "--src", ex.solution().toString(), "--tests",
        "TimerQueueVisibleTest", "--format", "json", "--traces", traces.toString());
    assertEquals(0, r.exit(), r.err());
    for (JsonNode t : new ObjectMapper().readTree(r.out()).get("tests")) {
      assertTrue(t.get("name").asText().startsWith("TimerQueueVisibleTest."), t.toString());
    }
    Run bad = kallisto("grade", "2", "--src", ex.solution().toString(), "--tests", "NoSuchTest");
    assertEquals(KallistoCli.EXIT_USER_ERROR, bad.exit(), bad.err());
    assertTrue(bad.err().contains("--tests NoSuchTest: no such test class in ex2-timer-queue;"
        + " it has TimerQueueVisibleTest"), bad.err());
  }

  @Test
  void aChangedGivenFileIsGradedAsGivenAndTheReportSaysSo(@TempDir Path dir) throws IOException {
    Exercise ex = Exercise.bundled("ex6");
    ExercisesCommand.copyTree(ex.solution(), dir);
    ExercisesCommand.copyTree(ex.given(), dir);
    // A student "speeds up" the slow backend the exercise gives: the grader compiles its own.
    Path backend = dir.resolve("io/kallisto/exercises/unblock/Backend.java");
    Files.writeString(backend, Files.readString(backend) + "\n// changed by the student\n");
    Run r = kallisto("grade", "ex6", "--src", dir.toString(), "--tests", "OffloaderVisibleTest",
        "--format", "json", "--traces", dir.resolve("traces").toString());
    assertEquals(0, r.exit(), r.err());
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertEquals("Backend.java", json.get("given_files_restored").get(0).asText(), r.out());
    assertEquals(json.get("max_score").asInt(), json.get("score").asInt(), r.out());
  }

  @Test
  void tracesIntoTheSourceFolderItselfAreRefused(@TempDir Path dir) throws IOException {
    Path src = Files.createDirectory(dir.resolve("src"));
    Run r = kallisto("grade", "ex1", "--src", src.toString(), "--traces", src.toString());
    assertEquals(KallistoCli.EXIT_USER_ERROR, r.exit(), r.err());
    assertEquals("kallisto grade: --traces " + src + ": is the input --src " + src + "; an output"
        + " never replaces an input, give another name", r.err().strip());
  }

  @Test
  void aSourceThatOverflowsJavacsStackIsReportedWithThatReason(@TempDir Path dir)
      throws IOException {
    Path src = dir.resolve("src");
    GradingFixtures.copyTree(Exercise.bundled("ex1").starter(), src);
    // A hundred thousand nested parentheses: javac's recursive-descent parser runs out of stack.
    int depth = 100_000;
    Files.writeString(src.resolve("io/kallisto/exercises/postqueue/Deep.java"),
        "package io.kallisto.exercises.postqueue;\nclass Deep { int x = " + "(".repeat(depth)
            + "1" + ")".repeat(depth) + "; }\n");
    Run r = kallisto("grade", "ex1", "--src", src.toString(), "--traces",
        dir.resolve("traces").toString());
    assertEquals(KallistoCli.EXIT_USER_ERROR, r.exit(), r.err());
    assertTrue(r.err().contains("compiling your code in " + src + " failed:\n  javac ran out of"
        + " stack: the source nests too deeply"), r.err());
  }
}
