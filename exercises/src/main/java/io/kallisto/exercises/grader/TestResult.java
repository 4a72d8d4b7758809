package io.kallisto.exercises.grader;

/**
 * One graded test.
 *
 * @param testClass the test class's simple name
 * @param method the test method
 * @param hidden true for a hidden grading test
 * @param maxPoints what it is worth
 * @param passed whether it passed
 * @param feedback empty if it passed, else one line: what was expected and what happened
 * @param trace the trace the failing run left (open it with {@code kallisto view}), or null
 */
public record TestResult(String testClass, String method, boolean hidden, int maxPoints,
    boolean passed, String feedback, java.nio.file.Path trace) {

  /** The points earned: all or nothing. */
  public int points() {
    return passed ? maxPoints : 0;
  }

  /** {@code Class.method}. */
  public String name() {
    return testClass + "." + method;
  }
}
