package io.kallisto.exercises.grader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A hand-out builds on its own: {@code mvn test} in it runs the visible tests against the engine
 * it carries, and the jars it carries hold no solution and no hidden test.
 */
class HandoutBuildTest {
  private static Path mvn;

  @BeforeAll
  static void findMaven() {
    Optional<Path> found = Stream.of(System.getenv().getOrDefault("PATH", "")
            .split(File.pathSeparator))
        .map(d -> Path.of(d, "mvn")).filter(Files::isExecutable).findFirst();
    if (found.isEmpty() && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("mvn is not on the PATH; CI must run the hand-out builds");
    }
    if (found.isEmpty()) {
      System.out.println("NOTE: hand-out build tests skipped: mvn is not on the PATH");
    }
    assumeTrue(found.isPresent(), "mvn is not on the PATH");
    mvn = found.get();
  }

  static List<String> exercises() {
    return Exercise.bundledNames();
  }

  private record Build(int exit, String log) {}

  private static Build mvnTest(Path dir) {
    return assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
      Path log = dir.resolve("mvn.log");
      Process p = new ProcessBuilder(mvn.toString(), "-B", "-ntp", "test")
          .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
          .start();
      assertTrue(p.waitFor(170, TimeUnit.SECONDS), "expected mvn test to finish");
      return new Build(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    });
  }

  @ParameterizedTest
  @MethodSource("exercises")
  void theHandOutWithTheSolutionInPlacePassesItsVisibleTestsWithMaven(String name,
      @TempDir Path tmp) throws IOException {
    Exercise ex = Exercise.bundled(name);
    Path out = tmp.resolve("handout");
    ExercisesCommand.export(ex, out);
    ExercisesCommand.copyTree(ex.solution(), out.resolve("src/main/java"));
    Build b = mvnTest(out);
    assertEquals(0, b.exit(), "expected 'mvn test' to pass in the " + name + " hand-out with the"
        + " solution in place; its log ends:\n" + tail(b.log()));
    assertTrue(b.log().contains("Tests run:"), tail(b.log()));
  }

  @Test
  void theUntouchedHandOutFailsItsVisibleTestsOnTheTodos(@TempDir Path tmp) {
    Exercise ex = Exercise.bundled("ex2");
    Path out = tmp.resolve("handout");
    ExercisesCommand.export(ex, out);
    Build b = mvnTest(out);
    assertNotEquals(0, b.exit(), tail(b.log()));
    assertTrue(b.log().contains("TODO"), "expected the starter's TODOs in the failures:\n"
        + tail(b.log()));
  }

  @Test
  void theHandOutsJarsHoldNoSolutionAndNoHiddenTest(@TempDir Path tmp) throws IOException {
    Exercise ex = Exercise.bundled("ex1");
    Path out = tmp.resolve("handout");
    ExercisesCommand.export(ex, out);
    List<Path> jars;
    try (Stream<Path> s = Files.walk(out.resolve("lib"))) {
      jars = s.filter(p -> p.toString().endsWith(".jar")).toList();
    }
    assertEquals(2, jars.size(), jars.toString());
    for (Path jar : jars) {
      try (JarFile j = new JarFile(jar.toFile())) {
        List<String> bad = j.stream().map(e -> e.getName())
            .filter(n -> n.startsWith("exercises/") || n.contains("/grader/")
                || n.endsWith("Test.class"))
            .toList();
        assertTrue(bad.isEmpty(), jar.getFileName() + " holds " + bad);
      }
    }
    String pom = Files.readString(out.resolve("pom.xml"));
    assertFalse(pom.contains("SNAPSHOT"), pom);
  }

  private static String tail(String log) {
    List<String> lines = log.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
