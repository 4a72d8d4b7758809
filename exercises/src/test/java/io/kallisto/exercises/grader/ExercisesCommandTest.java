package io.kallisto.exercises.grader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.cli.KallistoCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code kallisto exercises export}: a hand-out without the solution or the hidden tests. */
class ExercisesCommandTest {

  private static int kallisto(StringWriter err, String... args) {
    CommandLine cli = KallistoCli.commandLine();
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void theHandOutHasTheReadmeStarterAndVisibleTestsButNoSolutionOrHiddenTests(@TempDir Path tmp)
      throws IOException {
    Path out = tmp.resolve("handout");
    StringWriter err = new StringWriter();
    assertEquals(0, kallisto(err, "exercises", "export", "ex1", "--student", out.toString()),
        err.toString());
    List<String> files;
    try (Stream<Path> s = Files.walk(out)) {
      files = s.filter(Files::isRegularFile).map(p -> out.relativize(p).toString())
          .filter(p -> !p.startsWith("lib/")).sorted().toList();
    }
    String pkg = "io/kallisto/exercises/postqueue/";
    assertEquals(List.of("README.md", "pom.xml", "rules.txt",
        "src/main/java/" + pkg + "LinkedPostQueue.java",
        "src/main/java/" + pkg + "WakeupGate.java", "src/test/java/" + pkg + "MiniLoop.java",
        "src/test/java/" + pkg + "PostQueueVisibleTest.java"), files);
    String gate = Files.readString(out.resolve("src/main/java/" + pkg + "WakeupGate.java"));
    assertTrue(gate.contains("TODO"), "expected the starter, not the solution");
    assertFalse(gate.contains("compareAndSet"), "expected no solution code in the hand-out");
    try (Stream<Path> s = Files.walk(out.resolve("lib"))) {
      List<String> jars = s.filter(p -> p.toString().endsWith(".jar"))
          .map(p -> p.getFileName().toString()).sorted().toList();
      assertEquals(2, jars.size(), "expected the engine and the support jar: " + jars);
      assertTrue(jars.get(0).startsWith("kallisto-engine-"), jars.toString());
      assertTrue(jars.get(1).startsWith("kallisto-exercises-support-"), jars.toString());
    }
    assertTrue(Files.readString(out.resolve("README.md")).contains("mvn test"),
        "expected the README to say how to run the visible tests");
  }

  @Test
  void exportRefusesADirectoryThatIsNotEmpty(@TempDir Path tmp) throws IOException {
    Files.writeString(tmp.resolve("keep.txt"), "mine");
    StringWriter err = new StringWriter();
    assertEquals(KallistoCli.EXIT_USER_ERROR,
        kallisto(err, "exercises", "export", "ex2", "--student", tmp.toString()));
    assertTrue(err.toString().contains("is not an empty directory"), err.toString());
  }

  @Test
  void exportUnderARegularFileIsOneLineWithoutAStackTrace(@TempDir Path tmp) throws IOException {
    Path file = Files.writeString(tmp.resolve("FILE"), "mine");
    StringWriter err = new StringWriter();
    assertEquals(KallistoCli.EXIT_USER_ERROR, kallisto(err, "exercises", "export", "ex1",
        "--student", file.resolve("sub").toString()));
    assertEquals("kallisto exercises export: --student " + file.resolve("sub") + ": "
        + file.toRealPath() + " is a file, not a directory", err.toString().strip());
    assertEquals("mine", Files.readString(file));
  }

  @Test
  void exportIntoAnEmptyDirectoryFillsItAndLeavesNoPartialHandOutBeside(@TempDir Path tmp)
      throws IOException {
    Path out = Files.createDirectory(tmp.resolve("handout"));
    StringWriter err = new StringWriter();
    assertEquals(0, kallisto(err, "exercises", "export", "ex2", "--student", out.toString()),
        err.toString());
    assertTrue(Files.isRegularFile(out.resolve("README.md")));
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(List.of("handout"), s.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void listNamesEveryExerciseWithItsTitle() {
    CommandLine cli = KallistoCli.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    assertEquals(0, cli.execute("exercises", "list"));
    List<String> lines = out.toString().lines().toList();
    assertEquals(Exercise.bundledNames().size(), lines.size(), out.toString());
    assertTrue(lines.get(1).matches("ex2-timer-queue\\s+Exercise 2: the timer queue"),
        lines.get(1));
  }
}
