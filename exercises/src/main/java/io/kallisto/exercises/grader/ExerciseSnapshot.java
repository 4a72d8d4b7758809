package io.kallisto.exercises.grader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What one grading reads of an exercise, copied once at its start into the work directory and
 * made read-only: the visible and hidden tests, the given files and {@code rules.txt}, never
 * {@code solution/}. Everything after the copy reads the copy, so nothing a test run does to
 * the bundled exercise changes this grading. Note: read-only stops a test JVM that runs as an
 * ordinary user; root ignores permissions.
 *
 * <p>Also records the packages a student may declare classes in: those of the exercise's
 * {@code starter/} and {@code given/} sources.
 */
final class ExerciseSnapshot {
  private static final List<String> COPIED = List.of("tests", "hidden", "given", "rules.txt");

  private final Exercise exercise;
  private final Set<String> studentPackages;

  private ExerciseSnapshot(Exercise exercise, Set<String> studentPackages) {
    this.exercise = exercise;
    this.studentPackages = studentPackages;
  }

  /** Copies {@code ex}'s grading files into {@code into/NAME}, read-only. */
  static ExerciseSnapshot take(Exercise ex, Path into) {
    Path dir = into.resolve(ex.name());
    try {
      Files.createDirectories(dir);
      for (String part : COPIED) {
        Path from = ex.dir().resolve(part);
        if (Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
          copyTree(from, dir.resolve(part));
        }
      }
      setWritable(dir, false);
    } catch (IOException e) {
      throw new UncheckedIOException("copying " + ex.dir() + ": " + e.getMessage(), e);
    }
    Set<String> packages = new TreeSet<>();
    packages.addAll(packagesOf(ex.starter()));
    packages.addAll(packagesOf(ex.given()));
    if (packages.isEmpty()) {
      packages.addAll(packagesOf(ex.visibleTests()));
    }
    return new ExerciseSnapshot(new Exercise(dir), Set.copyOf(packages));
  }

  /** The copy: every path it gives is under the work directory. */
  Exercise exercise() {
    return exercise;
  }

  /** The packages a student's classes may be in (dotted). */
  Set<String> studentPackages() {
    return studentPackages;
  }

  /** Makes the copy writable again so that the work directory can be removed. */
  void release() {
    try {
      setWritable(exercise.dir(), true);
    } catch (IOException e) {
      // Removing the work directory reports what is left.
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.collect(Collectors.toList())) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(target);
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.copy(p, target, LinkOption.NOFOLLOW_LINKS);
        }
      }
    }
  }

  private static void setWritable(Path dir, boolean writable) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      // Read-only: files before their directory; writable: directories before their files.
      Comparator<Path> order = writable ? Comparator.naturalOrder() : Comparator.reverseOrder();
      for (Path p : s.sorted(order).collect(Collectors.toList())) {
        p.toFile().setWritable(writable, false);
      }
    }
  }

  private static Set<String> packagesOf(Path root) {
    if (!Files.isDirectory(root)) {
      return Set.of();
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> p.toString().endsWith(".java"))
          .map(p -> root.relativize(p).getParent())
          .map(d -> d == null ? "" : d.toString().replace(root.getFileSystem().getSeparator(),
              "."))
          .collect(Collectors.toSet());
    } catch (IOException e) {
      throw new UncheckedIOException("listing " + root + ": " + e.getMessage(), e);
    }
  }
}
