package io.kallisto.exercises.grader;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The main class of a forked grading JVM: runs one test class with the JUnit Platform Launcher
 * and appends one line per finished test to a results file, flushed at once, so that whatever
 * finished before the JVM hangs, exits or runs out of memory is kept.
 *
 * <p>Line format: {@code PASS<TAB>method} or {@code FAIL<TAB>method<TAB>feedback}, the feedback
 * on one line. Usage: {@code ForkMain TEST_CLASS RESULTS_FILE}.
 */
public final class ForkMain {
  private ForkMain() {}

  /** Runs the test class; halts the JVM when done, whatever threads the tests left behind. */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: ForkMain TEST_CLASS RESULTS_FILE");
      Runtime.getRuntime().halt(2);
    }
    Path results = Path.of(args[1]);
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(results,
        StandardCharsets.UTF_8))) {
      LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
          .selectors(selectClass(args[0]))
          .build();
      Launcher launcher = LauncherFactory.create();
      launcher.execute(request, new TestExecutionListener() {
        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
          if (id.getSource().orElse(null) instanceof MethodSource) {
            String method = ((MethodSource) id.getSource().get()).getMethodName();
            if (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
              out.println("PASS\t" + method);
            } else {
              out.println("FAIL\t" + method + "\t"
                  + feedback(result.getThrowable().orElse(null)));
            }
            out.flush();
          }
        }
      });
    }
    System.out.flush();
    System.err.flush();
    // Not System.exit: a student's shutdown hook or a stuck non-daemon thread must not hang us.
    Runtime.getRuntime().halt(0);
  }

  /** One line: the assertion message if there is one, else the exception and its message. */
  static String feedback(Throwable t) {
    if (t == null) {
      return "failed without an exception";
    }
    String text = t instanceof AssertionError && t.getMessage() != null
        ? t.getMessage()
        : t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    text = text.replace('\t', ' ').replace("\r", "").replace("\n", " | ");
    return text.length() > 800 ? text.substring(0, 800) + "..." : text;
  }
}
