package io.kallisto.exercises.grader;

import io.kallisto.cli.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One exercise's directory:
 * <pre>
 * ex1-post-queue/
 *   README.md     what to do, the rules, how it is graded
 *   starter/      the hand-out sources: the parts to write throw UnsupportedOperationException
 *   given/        sources both need and the student may not change (optional; graded as given)
 *   solution/     the reference solution (instructors only)
 *   tests/        visible tests: the student has them
 *   hidden/       hidden grading tests (instructors only)
 *   rules.txt     classes the student may not use (optional; see BytecodeRules)
 * </pre>
 * Test sources and student sources are package trees. A test class is a {@code *Test.java} file.
 */
public final class Exercise {
  private static final String ROOT = "exercises";

  private final String name;
  private final Path dir;

  /** @param dir an exercise directory laid out as above */
  public Exercise(Path dir) {
    this.dir = dir;
    this.name = dir.getFileName().toString();
  }

  /** The directory name, for example {@code ex1-post-queue}. */
  public String name() {
    return name;
  }

  /** The exercise directory. */
  public Path dir() {
    return dir;
  }

  /** The starter sources. */
  public Path starter() {
    return dir.resolve("starter");
  }

  /** The reference solution's sources. */
  public Path solution() {
    return dir.resolve("solution");
  }

  /** The visible tests' sources. */
  public Path visibleTests() {
    return dir.resolve("tests");
  }

  /** The README's first heading without its {@code #}, or the name if there is none. */
  public String title() {
    try {
      return Files.readAllLines(dir.resolve("README.md")).stream()
          .filter(l -> l.startsWith("# ")).map(l -> l.substring(2).strip()).findFirst()
          .orElse(name);
    } catch (IOException e) {
      return name;
    }
  }

  /** The given sources: part of both the hand-out and the grading; may not exist. */
  public Path given() {
    return dir.resolve("given");
  }

  /**
   * The given files (interfaces, records, a backend to call), as paths relative to the package
   * root. The student must not change them, so the grader compiles the exercise's own copy.
   */
  public List<Path> givenFiles() {
    if (!Files.isDirectory(given())) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(given())) {
      return s.filter(f -> f.toString().endsWith(".java")).sorted().map(given()::relativize)
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException("listing " + given() + ": " + e.getMessage(), e);
    }
  }

  /** The machine-checked rules ({@link BytecodeRules}); may not exist. */
  public Path rules() {
    return dir.resolve("rules.txt");
  }

  /** The hidden tests' sources; may not exist (a student's hand-out). */
  public Path hiddenTests() {
    return dir.resolve("hidden");
  }

  /**
   * The bundled exercise named {@code id}: its directory name ({@code ex1-post-queue}), its
   * number ({@code ex1} or {@code 1}) or its slug ({@code post-queue}).
   *
   * @throws UserError if there is no such exercise, listing the ones there are
   */
  public static Exercise bundled(String id) {
    Path root = bundledRoot();
    List<String> names = list(root);
    for (String n : names) {
      String number = n.substring(0, n.indexOf('-'));
      if (n.equals(id) || number.equals(id) || number.equals("ex" + id)
          || n.substring(n.indexOf('-') + 1).equals(id)) {
        return new Exercise(root.resolve(n));
      }
    }
    throw new UserError("no exercise '" + id + "'; there are: " + String.join(", ", names));
  }

  /** The names of the bundled exercises, in order. */
  public static List<String> bundledNames() {
    return list(bundledRoot());
  }

  private static List<String> list(Path root) {
    try (Stream<Path> s = Files.list(root)) {
      return s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
          .filter(n -> n.matches("ex\\d+-.+")).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException("listing " + root + ": " + e.getMessage(), e);
    }
  }

  /**
   * Where the bundled exercises are: the class path directory when run from a build tree, or a
   * copy extracted from the jar.
   */
  static synchronized Path bundledRoot() {
    URL url = Exercise.class.getClassLoader().getResource(ROOT + "/");
    if (url == null) {
      throw new IllegalStateException("no '" + ROOT + "/' resource on the class path");
    }
    try {
      if ("file".equals(url.getProtocol())) {
        return Path.of(url.toURI());
      }
      if ("jar".equals(url.getProtocol())) {
        return extract((JarURLConnection) url.openConnection());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading bundled exercises from " + url, e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    throw new IllegalStateException("cannot read exercises from " + url);
  }

  private static Path extract(JarURLConnection connection) throws IOException {
    Path target = Files.createTempDirectory("kallisto-exercises");
    List<JarEntry> entries = new ArrayList<>();
    try (JarFile jar = connection.getJarFile()) {
      for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
        JarEntry entry = e.nextElement();
        if (entry.getName().startsWith(ROOT + "/") && !entry.isDirectory()) {
          entries.add(entry);
        }
      }
      for (JarEntry entry : entries) {
        Path out = target.resolve(entry.getName());
        Files.createDirectories(out.getParent());
        try (InputStream in = jar.getInputStream(entry)) {
          Files.copy(in, out);
        }
      }
    }
    return target.resolve(ROOT);
  }
}
