package io.kallisto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.trace.TraceEnd;
import io.kallisto.trace.TraceFile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Assumptions;

/** What the signal tests need of a {@code kallisto} child JVM: its output, and a signal. */
final class SignalledChild {
  private SignalledChild() {}

  /** A child JVM running {@code kallisto ARGS} on this test's class path. */
  static Process start(List<String> args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), KallistoCli.class.getName()));
    command.addAll(args);
    return new ProcessBuilder(command).start();
  }

  /**
   * Sends {@code SIG<signal>} to {@code p}, skipping the test (an assumption) when the child
   * ignores it, as a background job of a non-interactive shell does SIGINT.
   */
  static void signal(Process p, String signal) throws Exception {
    Assumptions.assumeFalse(ignores(p.pid(), signal), "the parent process ignores SIG" + signal
        + " (a background job of a non-interactive shell), and so does its child");
    kill(p.pid(), signal);
  }

  /**
   * Checks that {@code trace} was closed by an END block marking a cut by {@code signalName}
   * that lies within the recording, and that nothing in it is damaged; returns that end.
   */
  static TraceEnd assertCut(Path trace, String signalName) {
    try (TraceFile t = TraceFile.open(trace)) {
      TraceEnd end = t.end();
      assertNotNull(end, "the trace was closed with its END block");
      assertTrue(end.interrupted());
      assertEquals(signalName, end.reason());
      assertTrue(t.eventCount() > 0);
      assertTrue(end.time() >= t.firstTime() && end.time() <= t.lastTime(),
          "the cut lies within the recording: " + end + " in [" + t.firstTime() + ", "
              + t.lastTime() + "]");
      assertNull(t.damage(), String.valueOf(t.damage()));
      assertTrue(t.headerChecked());
      return end;
    }
  }

  /** True if process {@code pid} ignores {@code SIG<signal>} (proc(5), SigIgn). */
  private static boolean ignores(long pid, String signal) throws IOException {
    int number = signal.equals("INT") ? 2 : 15;
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("SigIgn:")) {
        long mask = Long.parseUnsignedLong(line.substring(7).trim(), 16);
        return (mask & (1L << (number - 1))) != 0;
      }
    }
    return false;
  }

  /** Sends {@code SIG<signal>} with kill(1): Java can send SIGTERM, but not SIGINT. */
  private static void kill(long pid, String signal) throws Exception {
    Process k = new ProcessBuilder("kill", "-s", signal, Long.toString(pid)).inheritIO().start();
    assertEquals(0, k.waitFor(), "kill -s " + signal + " " + pid);
  }

  /** A stream read to its end on a thread of its own, noting when a line starts with a prefix. */
  static final class Lines {
    final CountDownLatch first = new CountDownLatch(1);
    final CountDownLatch done = new CountDownLatch(1);
    private final List<String> lines = new ArrayList<>();

    static Lines of(InputStream in, String prefix) {
      Lines l = new Lines();
      Thread t = new Thread(() -> l.read(in, prefix), "child-output");
      t.setDaemon(true);
      t.start();
      return l;
    }

    private void read(InputStream in, String prefix) {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in,
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          synchronized (this) {
            lines.add(line);
          }
          if (prefix != null && line.startsWith(prefix)) {
            first.countDown();
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        first.countDown(); // ended without one: the assertions on the text say why
        done.countDown();
      }
    }

    synchronized String text() {
      return String.join("\n", lines);
    }
  }
}
