package io.kallisto.exercises.grader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which of a student's compiled classes may go on the test JVM's class path: those in the
 * exercise's own packages (of its {@code starter/} and {@code given/}) that replace no class
 * of the test side (the runner, the support classes, the exercise's visible and hidden tests
 * and their helpers). Anything else is refused before a test runs.
 */
final class StudentClasses {
  private StudentClasses() {}

  /**
   * One line per refused class under {@code classes}:
   * {@code File.java declares NAME, ...: why}; empty when every class may run.
   */
  static List<String> refusals(Path classes, Set<String> packages, Map<String, String> testSide) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> c : GradingClassPath.classesIn(classes, "").entrySet()) {
      String name = c.getKey();
      int dot = name.lastIndexOf('.');
      String pkg = dot < 0 ? "" : name.substring(0, dot);
      String source = sourceOf(classes, name);
      if (testSide.containsKey(name)) {
        out.add(source + " declares " + name + ", a class of " + testSide.get(name)
            + ": a submission may not replace it");
      } else if (!packages.contains(pkg)) {
        out.add(source + " declares " + name + " in package " + (pkg.isEmpty() ? "(none)" : pkg)
            + (pkg.startsWith("io.kallisto.exercises.grader")
                || pkg.startsWith("io.kallisto.exercises.support") ? ", the grader's" : "")
            + ": your classes belong in " + String.join(", ", packages));
      }
    }
    return out;
  }

  private static String sourceOf(Path classes, String name) {
    Path file = classes.resolve(name.replace('.', '/') + ".class");
    try {
      String s = new ClassFileReader(Files.readAllBytes(file)).sourceFile();
      return s != null ? s : file.getFileName().toString();
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file, e);
    }
  }
}
