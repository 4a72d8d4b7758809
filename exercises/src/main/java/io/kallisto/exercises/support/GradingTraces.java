package io.kallisto.exercises.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where the traces of failing grading runs go, and how they are named, so that the grader can
 * find the trace a failing (or killed) test left: {@code DIR/TestClass.method.ktrace}, or
 * {@code DIR/TestClass.method.seed-N.ktrace} for a simulated seed.
 *
 * <p>{@code DIR} is the system property {@value #DIR_PROPERTY}, set by {@code kallisto grade};
 * {@code target/kallisto-traces} when the tests run under Maven in a hand-out.
 */
public final class GradingTraces {
  /** The system property naming the directory. */
  public static final String DIR_PROPERTY = "kallisto.grade.traces";

  private GradingTraces() {}

  /** The directory for traces, created if missing. */
  public static Path dir() {
    Path dir = Path.of(System.getProperty(DIR_PROPERTY, "target/kallisto-traces"));
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the trace directory " + dir, e);
    }
    return dir.toAbsolutePath();
  }

  /** The trace file for one test (and, if {@code suffix} is not null, one seed of it). */
  public static Path file(Class<?> testClass, String method, String suffix) {
    String name = testClass.getSimpleName() + "." + method
        + (suffix == null ? "" : "." + suffix) + ".ktrace";
    return dir().resolve(name);
  }

  /** The traces in {@code dir} that {@code testClass.method} left, oldest name first. */
  public static List<Path> left(Path dir, String testClassSimpleName, String method) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    String prefix = testClassSimpleName + "." + method + ".";
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> {
        String n = p.getFileName().toString();
        return n.startsWith(prefix) && n.endsWith(".ktrace")
            // "m.ktrace" or "m.seed-N.ktrace", not another method that starts with m's name
            && n.substring(prefix.length()).matches("(seed-\\d+\\.)?ktrace");
      }).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      return List.of();
    }
  }

  /**
   * Gives the traces a killed test JVM of {@code testClassSimpleName} left in {@code dir} their
   * own names. A trace is written beside its file and renamed over it when tracing stops
   * ({@code io.kallisto.files.AtomicOutput}); a JVM killed first (a hang) leaves it as
   * {@code NAME.ktrace.XXXXXXXX.partial}, which is the trace of the run up to the kill.
   */
  public static void adoptPartials(Path dir, String testClassSimpleName) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    String prefix = testClassSimpleName + ".";
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.sorted().collect(Collectors.toList())) {
        String n = p.getFileName().toString();
        if (n.startsWith(prefix) && n.matches(".*\\.ktrace\\.[0-9a-f]{8}\\.partial")) {
          String name = n.substring(0, n.length() - ".XXXXXXXX.partial".length());
          Files.move(p, dir.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      // the trace stays under its temporary name; a grade is not worth failing over it
    }
  }

  /** The command that opens {@code trace} in the visualizer. */
  public static String viewCommand(Path trace) {
    return "./kallisto view " + trace;
  }
}
