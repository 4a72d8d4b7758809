package io.kallisto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kallisto.trace.TraceEnd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    Process p = SignalledChild.start(List.of("run", "baseline-echo", "--duration",
        PLANNED_SECONDS + "s", "--trace", trace.toString(), "--json", json.toString()));
    try {
      SignalledChild.Lines out = SignalledChild.Lines.of(p.getInputStream(), null);
      // The first progress line comes about 100 ms into the load: the run is under way.
      SignalledChild.Lines err = SignalledChild.Lines.of(p.getErrorStream(), "running ");
      err.first.await();
      String name = "SIG" + signal;
      long sent = System.nanoTime();
      SignalledChild.signal(p, signal);
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

      TraceEnd end = SignalledChild.assertCut(trace, name);
      assertEquals(TimeUnit.SECONDS.toNanos(PLANNED_SECONDS), end.plannedNanos());
      assertEquals(ran, end.ranNanos() / 1e9, 0.051);
    } finally {
      p.destroyForcibly().waitFor();
    }
  }
}
