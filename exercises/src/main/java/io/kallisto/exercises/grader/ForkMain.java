package io.kallisto.exercises.grader;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
 * and reports one signed line per finished test on the results channel ({@link ForkChannel}),
 * written at once, so that whatever finished before the JVM hangs, exits or runs out of memory
 * is kept.
 *
 * <p>Before any test class is loaded it reads the channel's key from stdin (one hex line), then
 * keeps fd 1 privately as the results channel and points {@code System.out} at fd 2, so that
 * the tests' own output never mixes with results. Stdin stays open as the grader's lifeline: when
 * it reaches end of file the grader is gone, and this JVM halts. Runner-side class: depends only
 * on the JDK and the JUnit Platform. Usage: {@code ForkMain TEST_CLASS}, the key on stdin.
 */
public final class ForkMain {
  private ForkMain() {}

  /** Runs the test class; halts the JVM when done, whatever threads the tests left behind. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: ForkMain TEST_CLASS (the results key on stdin)");
      Runtime.getRuntime().halt(2);
    }
    InputStream lifeline = new FileInputStream(FileDescriptor.in);
    ForkChannel channel = ForkChannel.keyed(readKeyLine(lifeline));
    OutputStream results = new FileOutputStream(FileDescriptor.out);
    System.setIn(new ByteArrayInputStream(new byte[0]));
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true,
        StandardCharsets.UTF_8);
    System.setOut(err);
    System.setErr(err);
    Thread watch = new Thread(() -> awaitGraderGone(lifeline), "kallisto-grader-lifeline");
    watch.setDaemon(true);
    watch.start();
    String testClass = args[0];
    send(results, channel.sign(ForkChannel.Status.HELLO, testClass, "", ""));
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(selectClass(testClass))
        .build();
    Launcher launcher = LauncherFactory.create();
    launcher.execute(request, new TestExecutionListener() {
      @Override
      public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (id.getSource().orElse(null) instanceof MethodSource) {
          String method = ((MethodSource) id.getSource().get()).getMethodName();
          boolean passed = result.getStatus() == TestExecutionResult.Status.SUCCESSFUL;
          send(results, channel.sign(passed ? ForkChannel.Status.PASS : ForkChannel.Status.FAIL,
              testClass, method, passed ? "" : feedback(result.getThrowable().orElse(null))));
        }
      }
    });
    send(results, channel.sign(ForkChannel.Status.DONE, testClass, "", ""));
    System.out.flush();
    // Not System.exit: a student's shutdown hook or a stuck non-daemon thread must not hang us.
    Runtime.getRuntime().halt(0);
  }

  /** One write per line: a pipe write under PIPE_BUF is atomic, so lines never interleave. */
  private static synchronized void send(OutputStream results, String line) {
    try {
      results.write(line.getBytes(StandardCharsets.UTF_8));
      results.flush();
    } catch (IOException e) {
      // The grader stopped reading: it is gone or has given up on this JVM.
      Runtime.getRuntime().halt(5);
    }
  }

  private static String readKeyLine(InputStream in) throws IOException {
    StringBuilder key = new StringBuilder();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0 || key.length() > 2 * ForkChannel.KEY_BYTES) {
        System.err.println("ForkMain: no results key on stdin");
        Runtime.getRuntime().halt(2);
      }
      key.append((char) b);
    }
    return key.toString();
  }

  private static void awaitGraderGone(InputStream lifeline) {
    byte[] sink = new byte[64];
    try {
      while (lifeline.read(sink) >= 0) {
        // The grader writes nothing after the key; whatever comes is ignored.
      }
    } catch (IOException e) {
      // Same as end of file.
    }
    Runtime.getRuntime().halt(6);
  }

  /** One line: the assertion message if there is one, else the exception and its message. */
  static String feedback(Throwable t) {
    if (t == null) {
      return "failed without an exception";
    }
    String text = t instanceof AssertionError && t.getMessage() != null
        ? t.getMessage()
        : t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    return ForkChannel.clean(text, 800);
  }
}
