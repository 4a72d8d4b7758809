package io.kallisto.exercises.grader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.cli.UserError;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What goes into a grading: hostile ex1 submissions ({@code src/test/fixtures/hostile/}, laid
 * over the starter or the reference) are stopped and named, each scoring what its honest code
 * deserves; the test JVM's class path holds no exercise tree; links and special files in
 * {@code --src} are refused before anything is read; the exercise is read from a read-only copy.
 */
class SubmissionInputsTest {
  private static final Exercise EX = Exercise.bundled("ex1");
  private static final String VISIBLE = "PostQueueVisibleTest";

  @TempDir
  Path dir;

  /** {@code base} (the starter or the solution) with the attack's files over it. */
  private Path submission(Path base, String attack) {
    Path src = dir.resolve("src");
    GradingFixtures.copyTree(base, src);
    GradingFixtures.copyTree(GradingFixtures.fixtures().resolve("hostile").resolve(attack), src);
    return src;
  }

  private static GradeReport grade(Path src, String label) {
    return GradingFixtures.grade(EX, src, label, Set.of(VISIBLE));
  }

  private static void assertRefused(GradeReport r, String named) {
    assertEquals(0, r.score(), r.toText());
    assertTrue(r.refusals().stream().anyMatch(x -> x.contains(named)),
        "expected a refusal naming '" + named + "'\n" + r.toText());
    assertFalse(r.tests().isEmpty(), r.toText());
    assertTrue(r.tests().stream().allMatch(t -> !t.passed() && t.feedback().startsWith("not run")),
        "expected no test run\n" + r.toText());
    assertTrue(r.toText().contains("refused before any test ran"), r.toText());
  }

  @Test
  void aStudentForkMainIsRefusedAsAClassOfTheGradersRunner() {
    GradeReport r = grade(submission(EX.starter(), "shadowed-runner"), "shadowed runner");
    assertRefused(r, "ForkMain.java declares io.kallisto.exercises.grader.ForkMain, a class of"
        + " the grader's runner");
  }

  @Test
  void aStudentTestClassOrTestHelperIsRefusedAsAClassOfTheExercisesTests() {
    GradeReport r = grade(submission(EX.starter(), "shadowed-test"), "shadowed test");
    assertRefused(r, "declares io.kallisto.exercises.postqueue.PostQueueVisibleTest, a class of"
        + " the exercise's tests");
    assertRefused(r, "declares io.kallisto.exercises.postqueue.MiniLoop, a class of the"
        + " exercise's tests");
  }

  @Test
  void aClassNamedWithSpacesAroundADotStillBreaksTheRule() {
    assertRuleBrokenThoughTheTestsPass(submission(EX.solution(), "spaced-name"), "spaced name");
  }

  @Test
  void aClassNamedThroughAUnicodeEscapeStillBreaksTheRule() {
    assertRuleBrokenThoughTheTestsPass(submission(EX.solution(), "unicode-escape"),
        "unicode escape");
  }

  private static void assertRuleBrokenThoughTheTestsPass(Path src, String label) {
    GradeReport r = grade(src, label);
    assertEquals(0, r.score(), r.toText());
    assertEquals(r.maxScore(), r.testPoints(), "expected the wrapped engine queue to pass\n"
        + r.toText());
    assertTrue(r.ruleBreaches().stream().anyMatch(b -> b.startsWith("LinkedPostQueue.java:")
        && b.contains(" uses io.kallisto.event.MpscChunkedPostQueue: ")), r.toText());
  }

  @Test
  void theEnginesQueueReachedByReflectionIsRefused() {
    GradeReport r = grade(submission(EX.solution(), "reflection"), "reflection");
    assertRefused(r, "LinkedPostQueue.java:12 uses java.lang.Class#forName: ");
    assertRefused(r, "uses java.lang.Class#getDeclared*: ");
  }

  @Test
  void theReferenceReadAsAResourceNeverReachesTheFeedback() throws IOException {
    GradeReport r = grade(submission(EX.starter(), "leak-solution"), "leak solution");
    assertRefused(r, "uses java.lang.Class#getResource*: ");
    String reference = Files.readString(EX.solution()
        .resolve("io/kallisto/exercises/postqueue/LinkedPostQueue.java"));
    for (String report : List.of(r.toText(), r.toJson(), r.toGradescope())) {
      assertFalse(report.contains("Vyukov") || report.contains("getAndSet"),
          "the reference leaked:\n" + report);
    }
    assertTrue(reference.contains("getAndSet"), "the leak check looks for the reference's text");
  }

  @Test
  void theTestJvmsClassPathHoldsTheRunnerTestsSupportAndLibrariesButNoExerciseTree()
      throws IOException {
    GradingClassPath path = GradingClassPath.prepare(dir);
    Path tests = Files.createDirectories(dir.resolve("test-classes"));
    Path classes = Files.createDirectories(dir.resolve("classes"));
    List<String> entries = List.of(path.forTestJvm(tests, classes).split(File.pathSeparator));
    assertEquals(List.of(path.runner().toString(), tests.toString(), path.support().toString()),
        entries.subList(0, 3));
    assertEquals(classes.toString(), entries.get(entries.size() - 1), "the student's come last");
    try (Stream<Path> s = Files.walk(path.runner())) {
      assertTrue(s.filter(Files::isRegularFile).allMatch(p -> p.getFileName().toString()
          .startsWith("Fork")), "the runner directory holds Fork*.class only");
    }
    for (String e : entries.subList(3, entries.size() - 1)) {
      Path p = Path.of(e);
      assertFalse(Files.isDirectory(p) && (Files.exists(p.resolve("exercises"))
          || Files.exists(p.resolve("io/kallisto/exercises"))), e);
      assertFalse(e.contains("kallisto-exercises") || e.endsWith("exercises/target/classes")
          || e.endsWith("exercises/target/test-classes"), e);
    }
    assertTrue(entries.stream().anyMatch(e -> e.contains("engine")), "the engine is there");
  }

  @Test
  void aTestRunCannotEmptyTheRulesAndALaterBreachStillScoresZero() throws IOException {
    Path bundledRules = EX.rules();
    byte[] before = Files.readAllBytes(bundledRules);
    GradeReport tamper = grade(submission(EX.starter(), "tamper-rules"), "tamper rules");
    assertRefused(tamper, "uses java.nio.file.**: ");
    assertArrayEquals(before, Files.readAllBytes(bundledRules));
    Path second = dir.resolve("second");
    GradingFixtures.copyTree(EX.solution(), second);
    GradingFixtures.copyTree(GradingFixtures.fixtures().resolve("hostile/spaced-name"), second);
    assertRuleBrokenThoughTheTestsPass(second, "breach after tamper");
  }

  @Test
  void aGradingReadsAReadOnlyCopyOfTheExerciseThatLaterChangesDoNotReach() throws IOException {
    Path original = dir.resolve("ex1-post-queue");
    GradingFixtures.copyTree(EX.dir(), original);
    ExerciseSnapshot snap = ExerciseSnapshot.take(new Exercise(original), dir.resolve("work"));
    try {
      Files.writeString(original.resolve("rules.txt"), "");
      assertTrue(Files.readString(snap.exercise().rules()).contains("MpscChunkedPostQueue"));
      assertFalse(Files.exists(snap.exercise().solution()), "never the solution");
      assertEquals(Set.of(), Sets.writeBits(snap.exercise().rules()), "read-only");
      assertEquals(Set.of(), Sets.writeBits(snap.exercise().visibleTests()), "read-only");
      assertEquals(Set.of("io.kallisto.exercises.postqueue"), snap.studentPackages());
    } finally {
      snap.release();
    }
  }

  /** Write permissions of a file. */
  private static final class Sets {
    static Set<PosixFilePermission> writeBits(Path p) throws IOException {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
      perms.retainAll(Set.of(PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.OTHERS_WRITE));
      return perms;
    }
  }

  private UserError refusedSrc(Path src) {
    return assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(UserError.class,
        () -> new Grader(Grader.Options.DEFAULT).grade(EX, src)));
  }

  private static final String POSTQUEUE = "io/kallisto/exercises/postqueue/";

  @Test
  void aSymlinkToTheReferenceIsRefusedNamingThePath() throws IOException {
    Path src = dir.resolve("src");
    GradingFixtures.copyTree(EX.starter(), src);
    Path link = src.resolve(POSTQUEUE + "LinkedPostQueue.java");
    Files.delete(link);
    Files.createSymbolicLink(link, EX.solution().resolve(POSTQUEUE + "LinkedPostQueue.java")
        .toAbsolutePath());
    UserError e = refusedSrc(src);
    assertTrue(e.getMessage().contains(link + " is a symbolic link"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line");
  }

  @Test
  void aSourceLinkedToDevZeroIsRefusedBeforeAnythingIsRead() throws IOException {
    Path src = dir.resolve("src");
    GradingFixtures.copyTree(EX.starter(), src);
    Path zero = Files.createSymbolicLink(src.resolve(POSTQUEUE + "Zero.java"),
        Path.of("/dev/zero"));
    UserError e = refusedSrc(src);
    assertTrue(e.getMessage().contains(zero + " is a symbolic link to /dev/zero"), e.getMessage());
  }

  @Test
  void aFifoALinkedDirectoryAndAnOversizedSourceAreRefused() throws Exception {
    Path src = dir.resolve("src");
    GradingFixtures.copyTree(EX.starter(), src);
    Path fifo = src.resolve(POSTQUEUE + "Pipe.java");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());
    assertTrue(refusedSrc(src).getMessage().contains(fifo + " is not a regular file"));
    Files.delete(fifo);
    Path linkedDir = Files.createSymbolicLink(src.resolve("io/linked"), src.resolve("io/kallisto"));
    assertTrue(refusedSrc(src).getMessage().contains(linkedDir + " is a symbolic link"));
    Files.delete(linkedDir);
    Path big = src.resolve(POSTQUEUE + "Big.java");
    Files.write(big, new byte[(int) SubmissionFiles.MAX_FILE + 1]);
    assertTrue(refusedSrc(src).getMessage().contains(big + " is 1048577 bytes"));
    Files.delete(big);
    Path linkedSrc = Files.createSymbolicLink(dir.resolve("linked-src"), src);
    assertTrue(refusedSrc(linkedSrc).getMessage().contains("is a symbolic link"));
  }
}
