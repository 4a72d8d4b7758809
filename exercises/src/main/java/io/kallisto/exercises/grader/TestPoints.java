package io.kallisto.exercises.grader;

import io.kallisto.exercises.support.Points;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The {@code @Test} methods of a compiled test class and what each is worth. */
final class TestPoints {
  private TestPoints() {}

  /**
   * Method name to points ({@code @Points}, 1 without it), sorted by name. The class is loaded
   * without being initialised: nothing of the student's runs in the grader's own JVM.
   */
  static Map<String, Integer> of(ClassLoader loader, String className) {
    Map<String, Integer> points = new TreeMap<>();
    try {
      Class<?> c = Class.forName(className, false, loader);
      for (Method m : c.getDeclaredMethods()) {
        if (m.isAnnotationPresent(Test.class)) {
          Points p = m.getAnnotation(Points.class);
          points.put(m.getName(), p == null ? 1 : p.value());
        }
      }
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalStateException("test class " + className + " did not load: " + e, e);
    }
    return points;
  }
}
