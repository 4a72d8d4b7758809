package io.kallisto.exercises.grader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile submissions (committed under {@code src/test/fixtures/hostile/ATTACK/}: ex1's starter,
 * whose queue runs one attack as it loads) are stopped: each scores what its honest code deserves (0: they
 * are starters), the report names the attempt, and nothing survives the grade or leaks from the
 * grader. Only {@code PostQueueVisibleTest} runs: one test JVM per attack.
 */
class ProcessContainmentTest {
  private static final Exercise EX1 = Exercise.bundled("ex1");
  private static final String CLASS = "PostQueueVisibleTest";

  /**
   * The first layer: the grader's own bytecode rules refuse these attacks before any test JVM
   * starts (the other tests here switch that off to show what the containment alone does). A
   * thread flood uses nothing but {@code new Thread}: only the containment stops it.
   */
  @Test
  void theGradersOwnRulesRefuseEveryAttackThatNeedsAForbiddenApiBeforeAnyTestRuns(
      @TempDir Path dir) {
    for (String attack : List.of("forged-results", "env-leak", "survivors", "offheap-flood",
        "cgroup-escape", "file-flood", "sigterm-spin", "stdout-flood")) {
      Path src = hostile(attack, dir.resolve(attack).resolve("src"));
      GradeReport r = assertTimeoutPreemptively(Duration.ofMinutes(2), () ->
          new Grader(Grader.Options.DEFAULT.withTraces(dir.resolve(attack).resolve("traces"))
              .withTestClasses(Set.of(CLASS)), Sandbox.detect(), false).grade(EX1, src));
      assertFalse(r.refusals().isEmpty(), attack + " was not refused:\n" + r.toText());
      assertEquals(0, r.score(), r.toText());
      for (TestResult t : r.tests()) {
        assertTrue(t.feedback().startsWith("not run: the submission was refused"),
            attack + ": " + t.feedback());
      }
    }
  }

  @Test
  void forgedResultLinesOnTheResultsChannelAreIgnoredAndReported(@TempDir Path dir) {
    GradeReport r = grade("forged-results", Sandbox.detect(), dir, Duration.ofSeconds(60));
    assertEquals(0, r.score(), r.toText());
    assertEquals(5, r.tests().size(), r.toText());
    for (TestResult t : r.tests()) {
      assertTrue(t.feedback().contains("exited with code 0"), t.feedback());
    }
    // 8 rounds of 5 tests in two formats, and a DONE line: none signed by the runner.
    assertTrue(r.incidents().contains(CLASS + ": 81 line(s) on the results channel were not"
        + " signed by the grader's runner and were ignored (forged results?)"), r.toText());
    assertTrue(r.toText().contains("the sandbox stopped:"), r.toText());
  }

  @Test
  void theGradersEnvironmentNeverReachesTheTestsOrTheFeedback(@TempDir Path dir)
      throws Exception {
    String secret = "kallisto-secret-" + UUID.randomUUID();
    Path src = hostile("env-leak", dir.resolve("src"));
    Child grader = Child.grade(dir, Map.of("KALLISTO_GRADER_TOKEN", secret), List.of(),
        "grade", "ex1", "--src", src.toString(), "--tests", CLASS, "--format", "gradescope",
        "--traces", dir.resolve("traces").toString());
    assertEquals(0, grader.waitFor(Duration.ofMinutes(2)), grader.err());
    String out = grader.out();
    JsonNode json = new ObjectMapper().readTree(out);
    assertEquals(0, json.get("score").asInt(), out);
    // The leak is shown (so a secret would be), but holds only the sandbox's own variables.
    assertTrue(out.contains("TODO; environment: {"), out);
    assertFalse(out.contains(secret), "the grader's environment leaked into the feedback\n" + out);
    assertFalse(out.contains("KALLISTO_GRADER_TOKEN"), out);
    assertFalse(out.contains("HOME=" + System.getenv("HOME") + ","), out);
  }

  @Test
  void everyProcessTheTestsStartDiesWithTheirJvmInTheFullSandbox(@TempDir Path dir) {
    Sandbox sandbox = Sandbox.detect();
    assumeTrue(sandbox.namespaces(), "no namespaces here: " + sandbox.describe(1 << 28));
    assertNoSurvivors(sandbox, dir, "600.0101", "600.0102", "600.0103");
  }

  @Test
  void withoutNamespacesTheCgroupStillKillsEveryProcessTheTestsStarted(@TempDir Path dir) {
    Sandbox sandbox = Sandbox.detect().withoutNamespaces();
    assumeTrue(sandbox.cgroups(), "no cgroups here: " + sandbox.describe(1 << 28));
    assertTrue(assertNoSurvivors(sandbox, dir, "600.0101", "600.0102", "600.0103").containment()
        .contains("missing: namespaces: off"));
  }

  /**
   * The weakest fallback (no namespaces, no cgroups: a laptop or a locked-down container): the
   * process group and every descendant seen while the JVM ran are killed, a child in a session
   * of its own included. A double fork into a session of its own may escape (if its parent
   * exited between two looks): the weakness the report's "missing:" lines announce, not
   * asserted here either way.
   */
  @Test
  void withNeitherTheChildrenTheJvmStartedAreStillKilled(@TempDir Path dir) {
    Sandbox sandbox = Sandbox.detect().withoutNamespaces().withoutCgroups();
    assertTrue(assertNoSurvivors(sandbox, dir, "600.0101", "600.0102").containment()
        .contains("missing: cgroup: off"));
  }

  @Test
  void anOffHeapFloodIsStoppedByTheCgroupsMemoryLimit(@TempDir Path dir) {
    Sandbox sandbox = Sandbox.detect();
    assumeTrue(sandbox.cgroups(), "no cgroups here: " + sandbox.describe(1 << 28));
    GradeReport r = grade("offheap-flood", sandbox, dir, Duration.ofSeconds(60));
    assertEquals(0, r.score(), r.toText());
    assertTrue(r.tests().stream().allMatch(t -> t.feedback().contains("memory limit")),
        r.toText());
  }

  @Test
  void anOffHeapFloodIsStoppedByTheAddressSpaceLimitWithoutCgroups(@TempDir Path dir) {
    Sandbox sandbox = Sandbox.detect().withoutCgroups();
    assumeTrue(sandbox.describe(1 << 28).stream().anyMatch(l -> l.contains("address space")),
        "no prlimit here");
    GradeReport r = grade("offheap-flood", sandbox, dir, Duration.ofSeconds(60));
    assertEquals(0, r.score(), r.toText());
    Matcher m = Pattern.compile("flood: direct (\\d+) MiB, raw (\\d+) MiB")
        .matcher(r.tests().get(0).feedback());
    assertTrue(m.find(), r.toText());
    assertTrue(Long.parseLong(m.group(1)) <= 64, "direct buffers past the limit\n" + r.toText());
    long limitMib = (256 + (Sandbox.ADDRESS_SPACE_BYTES >> 20));
    assertTrue(Long.parseLong(m.group(2)) < limitMib, "raw memory past the address space\n"
        + r.toText());
  }

  @Test
  void aTestJvmCannotMoveItselfOutOfItsCgroups(@TempDir Path dir) {
    Sandbox sandbox = Sandbox.detect();
    assumeTrue(sandbox.namespaces() && sandbox.cgroups(), "no namespaces or no cgroups here: "
        + sandbox.describe(1 << 28));
    GradeReport r = grade("cgroup-escape", sandbox, dir, Duration.ofSeconds(60));
    assertEquals(0, r.score(), r.toText());
    assertTrue(r.tests().get(0).feedback().contains("TODO; escape: memory refused, pids refused"),
        r.toText());
  }

  @Test
  void aDiskFloodIsStoppedByTheFileSizeLimit(@TempDir Path dir) {
    Sandbox sandbox = Sandbox.detect();
    assumeTrue(sandbox.describe(1 << 28).stream().anyMatch(l -> l.startsWith("rlimits:")),
        "no prlimit here");
    GradeReport r = grade("file-flood", sandbox, dir, Duration.ofSeconds(60));
    assertEquals(0, r.score(), r.toText());
    Matcher m = Pattern.compile("flood: file (\\d+) MiB").matcher(r.tests().get(0).feedback());
    assertTrue(m.find(), r.toText());
    assertEquals(Sandbox.MAX_FILE_BYTES >> 20, Long.parseLong(m.group(1)), r.toText());
  }

  @Test
  void aThreadFloodIsStoppedByThePidsLimit(@TempDir Path dir) {
    Sandbox sandbox = Sandbox.detect();
    assumeTrue(sandbox.cgroups(), "no cgroups here: " + sandbox.describe(1 << 28));
    GradeReport r = grade("thread-flood", sandbox, dir, Duration.ofSeconds(60));
    assertEquals(0, r.score(), r.toText());
    Matcher m = Pattern.compile("flood: threads (\\d+)").matcher(r.tests().get(0).feedback());
    assertTrue(m.find(), r.toText());
    assertTrue(Integer.parseInt(m.group(1)) < Sandbox.MAX_TASKS, r.toText());
  }

  /** The grader runs with a 64 MiB heap: keeping the flood would kill it. */
  @Test
  void anOutputFloodCostsTheGraderBoundedMemoryAndTime(@TempDir Path dir) throws Exception {
    Path src = hostile("stdout-flood", dir.resolve("src"));
    long start = System.nanoTime();
    Child grader = Child.grade(dir, Map.of(), List.of("-Xmx64m"), "grade", "ex1", "--src",
        src.toString(), "--tests", CLASS, "--format", "json", "--timeout", "8",
        "--traces", dir.resolve("traces").toString());
    assertEquals(0, grader.waitFor(Duration.ofMinutes(2)), grader.err());
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    JsonNode json = new ObjectMapper().readTree(grader.out());
    assertEquals(0, json.get("score").asInt(), grader.out());
    String incidents = json.get("sandbox").get("incidents").toString();
    Matcher m = Pattern.compile("output truncated: (\\d+) bytes written").matcher(incidents);
    assertTrue(m.find(), grader.out());
    assertTrue(Long.parseLong(m.group(1)) > 256L << 20, "expected a flood far over the grader's"
        + " 64 MiB heap\n" + grader.out());
    assertTrue(incidents.contains("not signed by the grader's runner"), grader.out());
    assertTrue(json.get("tests").get(0).get("feedback").asText().contains("output truncated"),
        grader.out());
    System.out.println("output flood: " + m.group(1) + " bytes drained, grade took " + seconds
        + " s");
  }

  @Test
  void sigtermToTheGraderKillsTheTestJvmRemovesTheWorkDirAndPrintsNoReport(@TempDir Path dir)
      throws Exception {
    Path src = hostile("sigterm-spin", dir.resolve("src"));
    Path traces = Files.createDirectories(dir.resolve("traces"));
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    try (WatchService watch = FileSystems.getDefault().newWatchService()) {
      traces.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
      Child grader = Child.grade(dir, Map.of(), List.of("-Djava.io.tmpdir=" + tmp), "grade",
          "ex1", "--src", src.toString(), "--tests", CLASS, "--format", "gradescope",
          "--timeout", "120", "--traces", traces.toString());
      assertTrue(Child.awaitFile(watch, traces.resolve("spinning"), Duration.ofMinutes(2)),
          "the test JVM never began spinning\n" + grader.err());
      List<ProcessHandle> family = grader.process.descendants().toList();
      assertFalse(family.isEmpty());
      assertTrue(listing(tmp).stream().anyMatch(p -> p.startsWith("kallisto-grade-")),
          "expected the work directory while grading: " + listing(tmp));
      grader.process.destroy();
      int exit = grader.waitFor(Duration.ofMinutes(1));
      assertNotEquals(0, exit, "a SIGTERM'd grader must not look successful");
      awaitGone(family);
      assertTrue(family.stream().noneMatch(ProcessHandle::isAlive), "survivors: " + family);
      assertEquals(List.of(), listing(tmp).stream().filter(p -> p.startsWith("kallisto-grade-"))
          .toList(), "the work directory (compiled hidden tests) was left behind");
      assertEquals("", grader.out(), "a partial report was written as if complete");
    }
  }

  /**
   * Grades the survivors fixture and asserts that the attack ran (its feedback says so) and that
   * no process it started with one of {@code markers} is left. Whatever it started is killed at
   * the end, so that a failure here does not spill into other tests; processes left by an
   * earlier run are not counted.
   */
  private static GradeReport assertNoSurvivors(Sandbox sandbox, Path dir, String... markers) {
    Set<ProcessHandle> before = Set.copyOf(marked("600.010"));
    try {
      GradeReport r = grade("survivors", sandbox, dir, Duration.ofSeconds(60));
      assertEquals(0, r.score(), r.toText());
      assertTrue(r.tests().get(0).feedback().contains("TODO; started 3 processes"), r.toText());
      for (String marker : markers) {
        List<ProcessHandle> found = new ArrayList<>(marked(marker));
        found.removeAll(before);
        awaitGone(found);
        assertEquals(List.of(), found.stream().filter(ProcessHandle::isAlive)
            .map(h -> h.pid() + " " + h.info().commandLine().orElse("?")).toList(),
            "processes the tests started outlived the grade");
      }
      return r;
    } finally {
      List<ProcessHandle> left = new ArrayList<>(marked("600.010"));
      left.removeAll(before);
      left.forEach(ProcessHandle::destroyForcibly);
      awaitGone(left);
    }
  }

  /** Live processes whose command line holds {@code marker}. */
  private static List<ProcessHandle> marked(String marker) {
    return ProcessHandle.allProcesses()
        .filter(h -> h.info().commandLine().orElse("").contains(marker)).toList();
  }

  /** Waits, bounded, for each to exit; the caller then checks which are still alive. */
  private static void awaitGone(List<ProcessHandle> processes) {
    for (ProcessHandle h : processes) {
      h.onExit().completeOnTimeout(h, 10, TimeUnit.SECONDS).join();
    }
  }

  private static List<String> listing(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }

  private static GradeReport grade(String attack, Sandbox sandbox, Path dir, Duration timeout) {
    Path src = hostile(attack, dir.resolve("src"));
    GradeReport r = assertTimeoutPreemptively(Duration.ofMinutes(3), () ->
        new Grader(Grader.Options.DEFAULT.withLimits(timeout, "256m")
            .withTraces(dir.resolve("traces")).withTestClasses(Set.of(CLASS)), sandbox, true)
            .grade(EX1, src));
    System.out.println("hostile " + attack + ":\n" + r.toText());
    return r;
  }

  /**
   * Ex1's starter with the hostile queue (the starter's, which runs {@code Hostile.attack()} as
   * it loads) and the attack's {@code Hostile} laid over it.
   */
  private static Path hostile(String attack, Path into) {
    Path fixtures = GradingFixtures.fixtures().resolve("hostile");
    GradingFixtures.copyTree(EX1.starter(), into);
    GradingFixtures.copyTree(fixtures.resolve("common"), into);
    GradingFixtures.copyTree(fixtures.resolve(attack), into);
    return into;
  }

  /** {@code kallisto} in a JVM of its own, its output in files (never a full pipe). */
  private record Child(Process process, Path outFile, Path errFile) {
    static Child grade(Path dir, Map<String, String> env, List<String> jvmArgs, String... args)
        throws IOException {
      List<String> cmd = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString()));
      cmd.addAll(jvmArgs);
      // The grader's rules would refuse every attack before it runs: off, to test what the
      // containment alone does (SubmissionInputsTest and theGradersRulesRefuse... test the rules).
      cmd.add("-D" + Grader.CONTAINMENT_ONLY_PROPERTY + "=true");
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
          "io.kallisto.cli.KallistoCli"));
      cmd.addAll(List.of(args));
      Path out = dir.resolve("grader.out");
      Path err = dir.resolve("grader.err");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile())
          .redirectError(err.toFile());
      pb.environment().putAll(env);
      return new Child(pb.start(), out, err);
    }

    int waitFor(Duration limit) throws InterruptedException {
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new AssertionError("the grader did not finish within " + limit);
      }
      return process.exitValue();
    }

    String out() throws IOException {
      return Files.readString(outFile);
    }

    String err() throws IOException {
      // Bounded: the grader's stderr holds its progress lines, and a trace on a crash.
      String e = Files.readString(errFile);
      return e.length() > 20000 ? e.substring(0, 20000) : e;
    }

    /** Waits, bounded, for {@code file} to be created in the watched directory. */
    static boolean awaitFile(WatchService watch, Path file, Duration limit)
        throws InterruptedException {
      long deadline = System.nanoTime() + limit.toNanos();
      while (!Files.exists(file)) {
        long left = deadline - System.nanoTime();
        WatchKey key = left <= 0 ? null : watch.poll(left, TimeUnit.NANOSECONDS);
        if (key == null) {
          return Files.exists(file);
        }
        key.pollEvents();
        key.reset();
      }
      return true;
    }
  }
}
