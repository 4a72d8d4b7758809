package io.kallisto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.trace.EventType;
import io.kallisto.trace.TraceFile;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KallistoCliTest {
  private static CliRun run(String... args) {
    return CliRun.run(args);
  }

  @Test
  void helpListsEveryCommand() {
    CliRun r = run("--help");
    assertEquals(0, r.exit);
    assertTrue(r.out.contains("demo"), r.out);
    assertTrue(r.out.contains("trace"), r.out);
    assertTrue(r.out.contains("help"), r.out);
  }

  @Test
  void versionNamesKallistoAndTheJvm() {
    CliRun r = run("--version");
    assertEquals(0, r.exit);
    assertTrue(r.out.startsWith("kallisto "), r.out);
    assertTrue(r.out.contains("JVM "), r.out);
  }

  @Test
  void postDemoRunsAPoolAndPrintsPerWorkerStatistics() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      CliRun r = run("post-demo", "--workers", "2", "--requests", "20000", "--work-us", "0");
      assertEquals(0, r.exit, r.err);
      assertTrue(r.out.contains("worker-0"), r.out);
      assertTrue(r.out.contains("worker-1"), r.out);
      assertTrue(r.out.contains("loop p99"), r.out);
      // The two workers share the 20,000 requests exactly: round robin.
      assertTrue(r.out.matches("(?s).*worker-0\\s+10,000\\s.*"), r.out);
      assertTrue(r.out.matches("(?s).*total\\s+20,000\\s.*"), r.out);
    });
  }

  @Test
  void postDemoWithTraceWritesAReadableTraceOfTheRun(@TempDir Path dir) {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      Path file = dir.resolve("demo.ktrace");
      CliRun r = run("post-demo", "--workers", "2", "--requests", "5000", "--work-us", "0",
          "--trace", file.toString());
      assertEquals(0, r.exit, r.err);
      assertTrue(r.out.contains("trace: " + file), r.out);
      try (TraceFile trace = TraceFile.open(file)) {
        assertEquals(null, trace.damage());
        assertEquals("post-demo", trace.header().get("scenario"));
        assertTrue(trace.threads().containsValue("worker-0"), trace.threads().toString());
        assertTrue(trace.countByType().get(EventType.CALLBACK) >= 5000);
      }
    });
  }

  @Test
  void demoWithTraceIntoAMissingFolderIsOneLineWithExitCodeTwo(@TempDir Path dir) {
    Path file = dir.resolve("no/such/folder/demo.ktrace");
    CliRun r = run("demo", "--duration", "1s", "--trace", file.toString());
    assertEquals(KallistoCli.EXIT_USER_ERROR, r.exit);
    assertEquals("kallisto demo: --trace " + file + ": its folder does not exist", r.err.strip());
  }

  @Test
  void demoRunsBaselineEchoTracedAndPointsAtTheTrace(@TempDir Path dir) {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      Path file = dir.resolve("demo.ktrace");
      CliRun r = run("demo", "--duration", "1s", "--trace", file.toString(), "--png",
          dir.resolve("demo.png").toString(), "--no-window");
      assertEquals(0, r.exit, r.err);
      assertTrue(r.out.contains("baseline-echo: 2 workers"), r.out);
      assertTrue(r.out.contains("throughput"), r.out);
      // The engine alone has no visualizer: it says where the trace is instead.
      assertTrue(r.out.contains("kallisto trace stats " + file), r.out);
      try (TraceFile trace = TraceFile.open(file)) {
        assertEquals(null, trace.damage());
        assertEquals("baseline-echo", trace.header().get("scenario"));
        assertTrue(trace.threads().containsValue("load-0"), trace.threads().toString());
        assertTrue(trace.countByType().get(EventType.REQUEST_BEGIN) > 100);
      }
    });
  }

  @Test
  void outOfRangeOptionIsOneLineWithExitCodeTwo() {
    CliRun r = run("post-demo", "--requests", "0");
    assertEquals(KallistoCli.EXIT_USER_ERROR, r.exit);
    assertEquals("kallisto post-demo: --requests=0 is out of range; use 1 to 1000000000",
        r.err.strip());
  }

  @Test
  void unknownOptionIsAUsageErrorWithExitCodeTwoAndNoStackTrace() {
    CliRun r = run("post-demo", "--wrokers", "2");
    assertEquals(KallistoCli.EXIT_USER_ERROR, r.exit);
    assertTrue(r.err.strip().equals("kallisto post-demo: Unknown options: '--wrokers', '2'; see"
        + " 'kallisto post-demo --help'"), r.err);
    assertFalse(r.err.contains("\tat "), "no stack trace for a user mistake: " + r.err);
  }

  @Test
  void unknownCommandIsAUsageErrorWithExitCodeTwo() {
    CliRun r = run("dmeo");
    assertEquals(KallistoCli.EXIT_USER_ERROR, r.exit);
    assertTrue(r.err.contains("dmeo"), r.err);
  }
}
