package io.kallisto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM and SIGINT on a real {@code kallisto post-demo --trace} in a JVM of its own, with far
 * more requests than it can run before the signal: it stops dispatching, prints what ran marked
 * "interrupted", ends the trace with an interrupted END block, and exits with 128 + the signal's
 * number. The signal is sent once the child's first progress line shows the requests running.
 */
class PostDemoInterruptTest {
  private static final Duration LIMIT = Duration.ofSeconds(120);
  /** About 15 s of requests at 2 us each on two workers: the signal always comes first. */
  private static final long REQUESTS = 1_000_000_000L;
  private static final Pattern INTERRUPTED = Pattern.compile(
      "interrupted after \\d+\\.\\d\\d s \\((SIG\\w+)\\): ([\\d,]+) of 1,000,000,000 requests"
          + " ran");

  @TempDir Path dir;

  @Test
  void sigtermStopsThePostDemoWithWhatRanPrintedAndTracedAndExits143() {
    assertTimeoutPreemptively(LIMIT, () -> stopWith("TERM", 143));
  }

  @Test
  void sigintStopsThePostDemoWithWhatRanPrintedAndTracedAndExits130() {
    assertTimeoutPreemptively(LIMIT, () -> stopWith("INT", 130));
  }

  private void stopWith(String signal, int expectedExit) throws Exception {
    Path trace = dir.resolve("post.ktrace");
    Process p = SignalledChild.start(List.of("post-demo", "--workers", "2", "--requests",
        Long.toString(REQUESTS), "--timeout", "600", "--trace", trace.toString()));
    try {
      SignalledChild.Lines out = SignalledChild.Lines.of(p.getInputStream(), null);
      SignalledChild.Lines err = SignalledChild.Lines.of(p.getErrorStream(), "requests ");
      err.first.await();
      String name = "SIG" + signal;
      SignalledChild.signal(p, signal);
      assertTrue(p.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS), "the demo never ended");
      out.done.await();
      err.done.await();

      assertEquals(expectedExit, p.exitValue(), err.text());
      assertTrue(err.text().contains("kallisto post-demo: " + name + ": stopping the run"),
          err.text());
      Matcher m = INTERRUPTED.matcher(out.text());
      assertTrue(m.find(), out.text());
      assertEquals(name, m.group(1));
      long ran = Long.parseLong(m.group(2).replace(",", ""));
      assertTrue(ran > 0 && ran < REQUESTS, out.text());
      assertTrue(out.text().contains("worker-0"), "the per-worker table: " + out.text());
      assertTrue(out.text().contains("trace: "), out.text());

      assertTrue(SignalledChild.assertCut(trace, name).ranNanos() > 0);
    } finally {
      p.destroyForcibly().waitFor();
    }
  }
}
