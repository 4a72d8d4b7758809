package io.kallisto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGINT and SIGTERM on a real {@code kallisto run --trace --json} in a JVM of its own: the run
 * stops long before its 30 s, prints the summary of what ran marked "interrupted after X s of
 * 30 s", writes the JSON with {@code "interrupted": true}, ends the trace with an interrupted END
 * block, and exits with 128 + the signal's number. The signal is sent once the child has printed
 * its first progress line, so the load is running; nothing waits on a clock.
 */
class RunInterruptTest {
  private static final Duration LIMIT = Duration.ofSeconds(120);
  /** The run's planned length: far longer than any stop may take. */
  private static final long PLANNED_SECONDS = 30;
  private static final Pattern INTERRUPTED =
      Pattern.compile("interrupted after (\\d+(?:\\.\\d)?) s of 30 s \\((SIG\\w+)\\)");

  @TempDir Path dir;

  @Test
  void sigtermStopsTheRunWithItsSummaryJsonAndTraceMarkedAndExits143() {
    assertTimeoutPreemptively(LIMIT, () -> stopWith("TERM", 143));
  }

  @Test
  void sigintStopsTheRunWithItsSummaryJsonAndTraceMarkedAndExits130() {
    assertTimeoutPreemptively(LIMIT, () -> stopWith("INT", 130));
  }

  private void stopWith(String signal, int expectedExit) throws Exception {
    Path trace = dir.resolve("cut.ktrace");
    Path json = dir.resolve("cut.json");
    Process p = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), KallistoCli.class.getName(),
        "run", "baseline-echo", "--duration", PLANNED_SECONDS + "s",
        "--trace", trace.toString(), "--json", json.toString())).start();
    try {
      Lines out = Lines.of(p.getInputStream(), null);
      // The first progress line comes about 100 ms into the load: the run is under way.
      Lines err = Lines.of(p.getErrorStream(), "running ");
      err.first.await();
      String name = "SIG" + signal;
      Assumptions.assumeFalse(ignores(p.pid(), signal), "the parent process ignores " + name
          + " (a background job of a non-interactive shell), and so does its child");
      long sent = System.nanoTime();
      kill(p.pid(), signal);
      assertTrue(p.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS), "the run never ended");
      long stopSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - sent);
      out.done.await();
      err.done.await();

      assertEquals(expectedExit, p.exitValue(), err.text());
      assertTrue(stopSeconds < PLANNED_SECONDS / 2, "took " + stopSeconds + " s to stop");
      assertTrue(err.text().contains("kallisto run: " + name + ": stopping the run"),
          err.text());
      Matcher m = INTERRUPTED.matcher(out.text());
      assertTrue(m.find(), out.text());
      double ran = Double.parseDouble(m.group(1));
      assertEquals(name, m.group(2));
      assertTrue(ran < PLANNED_SECONDS, out.text());
      assertTrue(out.text().contains("throughput"), "the summary of what ran: " + out.text());
      assertTrue(out.text().contains("summary: " + json), out.text());

      JsonNode s = new ObjectMapper().readTree(Files.readString(json));
      assertTrue(s.path("interrupted").asBoolean(), s.toString());
      assertEquals(name, s.path("interrupted_by").asText());
      assertEquals(PLANNED_SECONDS, s.path("duration_planned_s").asDouble(), 1e-9);
      assertEquals(ran, s.path("duration_run_s").asDouble(), 0.051, "as the summary says");
      assertEquals("interrupt", s.path("load").path("stopped_by").asText());

      try (TraceFile t = TraceFile.open(trace)) {
        assertTrue(t.headerChecked());
        TraceEnd end = t.end();
        assertNotNull(end, "the trace was closed with its END block");
        assertTrue(end.interrupted());
        assertEquals(name, end.reason());
        assertEquals(TimeUnit.SECONDS.toNanos(PLANNED_SECONDS), end.plannedNanos());
        assertEquals(ran, end.ranNanos() / 1e9, 0.051);
        assertTrue(t.eventCount() > 0);
        assertTrue(end.time() >= t.firstTime() && end.time() <= t.lastTime(),
            "the cut lies within the recording: " + end + " in [" + t.firstTime() + ", "
                + t.lastTime() + "]");
        assertFalse(t.damage() != null, String.valueOf(t.damage()));
      }
    } finally {
      p.destroyForcibly().waitFor();
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
  private static final class Lines {
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
