package io.kallisto.exercises.grader;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The class path of a grading's test JVM, in this order, and of the two compilations:
 * <pre>
 *   runner/         io/kallisto/exercises/grader/Fork*.class only, copied from the grader
 *   test-classes/   the exercise's compiled visible and hidden tests
 *   support/        io/kallisto/exercises/support/*.class, copied from the grader
 *   dependencies    the grader's class path without any entry holding io/kallisto/exercises/
 *                   or an exercises/ tree (the engine, JUnit, Lincheck, JNA...)
 *   classes/        the student's classes, last: they cannot shadow anything before them
 * </pre>
 * The exercises module itself (every exercise's {@code solution/} and {@code hidden/} as
 * resources, the grader) is never on it. Students compile against the dependencies alone; the
 * tests against the support classes, the dependencies and the student's classes.
 */
final class GradingClassPath {
  static final String RUNNER_PACKAGE = "io/kallisto/exercises/grader/";
  static final String SUPPORT_PACKAGE = "io/kallisto/exercises/support/";

  /** The Premain-Class of Byte Buddy's agent jar, which Lincheck installs its instrumentation with. */
  static final String BYTE_BUDDY_INSTALLER = "net.bytebuddy.agent.Installer";

  private static List<Path> dependencies;
  private static Optional<Path> agent;

  private final Path runner;
  private final Path support;

  private GradingClassPath(Path runner, Path support) {
    this.runner = runner;
    this.support = support;
  }

  /** Copies the runner and the support classes into {@code work/runner}, {@code work/support}. */
  static GradingClassPath prepare(Path work) {
    Path runner = work.resolve("runner");
    Path support = work.resolve("support");
    Path home = graderLocation();
    try {
      copyClasses(home, RUNNER_PACKAGE, "Fork", runner);
      copyClasses(home, SUPPORT_PACKAGE, "", support);
    } catch (IOException e) {
      throw new UncheckedIOException("copying the runner from " + home + ": " + e.getMessage(), e);
    }
    return new GradingClassPath(runner, support);
  }

  /** Where the test JVM's runner classes are. */
  Path runner() {
    return runner;
  }

  /** Where the support classes are. */
  Path support() {
    return support;
  }

  /** The student's compile class path. */
  String forStudent() {
    return join(dependencies());
  }

  /** The tests' compile class path. */
  String forTests(Path classes) {
    List<Path> path = new ArrayList<>();
    path.add(support);
    path.addAll(dependencies());
    path.add(classes);
    return join(path);
  }

  /** The test JVM's class path. */
  String forTestJvm(Path testClasses, Path classes) {
    List<Path> path = new ArrayList<>(List.of(runner, testClasses, support));
    path.addAll(dependencies());
    path.add(classes);
    return join(path);
  }

  /**
   * Every class the test side brings (binary name to what it is), which a student class may
   * not replace.
   */
  Map<String, String> testSideClasses(Path testClasses) {
    Map<String, String> out = new TreeMap<>();
    out.putAll(classesIn(runner, "the grader's runner"));
    out.putAll(classesIn(support, "the grader's support classes"));
    out.putAll(classesIn(testClasses, "the exercise's tests"));
    return out;
  }

  /** The binary names of the class files under {@code dir}, each mapped to {@code what}. */
  static Map<String, String> classesIn(Path dir, String what) {
    if (!Files.isDirectory(dir)) {
      return Map.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".class"))
          .map(p -> dir.relativize(p).toString())
          .map(r -> r.substring(0, r.length() - ".class".length()).replace(File.separatorChar, '.'))
          .collect(Collectors.toMap(n -> n, n -> what, (a, b) -> a, TreeMap::new));
    } catch (IOException e) {
      throw new UncheckedIOException("listing " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The grader's class path less the exercises module; computed once, it does not change. */
  static synchronized List<Path> dependencies() {
    if (dependencies == null) {
      List<Path> out = new ArrayList<>();
      for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
        Path p = Path.of(entry).toAbsolutePath();
        if (!entry.isEmpty() && Files.exists(p) && !holdsExercises(p)) {
          out.add(p);
        }
      }
      dependencies = List.copyOf(out);
    }
    return dependencies;
  }

  /**
   * Byte Buddy's agent jar among the dependencies, if any, to load with {@code -javaagent} in
   * every test JVM. Lincheck gets its instrumentation from {@code ByteBuddyAgent.install()},
   * which returns an agent loaded at start-up as is; without one it attaches at run time,
   * through the attach API and a helper JVM that it starts, and that can fail in the sandbox
   * (once in 50 gradings of ex6, under load: "The Byte Buddy agent is not initialized or
   * unavailable"). The student cannot reach the instrumentation: the default rules refuse
   * {@code java.lang.instrument} and every library package.
   */
  static synchronized Optional<Path> instrumentationAgent() {
    if (agent == null) {
      agent = dependencies().stream()
          .filter(p -> BYTE_BUDDY_INSTALLER.equals(premainClass(p)))
          .findFirst();
    }
    return agent;
  }

  private static String premainClass(Path entry) {
    if (!Files.isRegularFile(entry)) {
      return null;
    }
    try (JarFile jar = new JarFile(entry.toFile())) {
      Manifest manifest = jar.getManifest();
      return manifest == null ? null : manifest.getMainAttributes().getValue("Premain-Class");
    } catch (IOException e) {
      return null; // not a jar: not an agent
    }
  }

  private static boolean holdsExercises(Path entry) {
    if (Files.isDirectory(entry)) {
      return Files.exists(entry.resolve("io/kallisto/exercises"))
          || Files.exists(entry.resolve("exercises"));
    }
    try (JarFile jar = new JarFile(entry.toFile())) {
      for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
        String name = e.nextElement().getName();
        if (name.startsWith("io/kallisto/exercises/") || name.startsWith("exercises/")) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      return false; // not a jar: the JVM ignores it too
    }
  }

  /** The directory or jar the grader's own classes were loaded from. */
  static Path graderLocation() {
    try {
      return Path.of(Grader.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("the grader's location: " + e.getMessage(), e);
    }
  }

  private static void copyClasses(Path home, String pkg, String prefix, Path into)
      throws IOException {
    Path target = into.resolve(pkg);
    Files.createDirectories(target);
    if (Files.isDirectory(home)) {
      try (Stream<Path> s = Files.list(home.resolve(pkg))) {
        for (Path p : s.collect(Collectors.toList())) {
          String n = p.getFileName().toString();
          if (n.startsWith(prefix) && n.endsWith(".class")) {
            Files.copy(p, target.resolve(n));
          }
        }
      }
      return;
    }
    try (JarFile jar = new JarFile(home.toFile())) {
      for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
        JarEntry entry = e.nextElement();
        String n = entry.getName();
        if (n.startsWith(pkg + prefix) && n.endsWith(".class")
            && n.indexOf('/', pkg.length()) < 0) {
          try (InputStream in = jar.getInputStream(entry)) {
            Files.copy(in, target.resolve(n.substring(pkg.length())));
          }
        }
      }
    }
  }

  private static String join(List<Path> path) {
    return path.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
  }
}
