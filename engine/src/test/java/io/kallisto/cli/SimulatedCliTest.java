package io.kallisto.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.trace.TraceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kallisto run --engine} and {@code kallisto compare}. */
class SimulatedCliTest {
  @TempDir Path dir;

  @Test
  void runWithTheSimulatedEnginePrintsTheUsualSummaryMarkedSimulatedAndATraceThatRepeats()
      throws Exception {
    Path one = dir.resolve("one.ktrace");
    Path two = dir.resolve("two.ktrace");
    CliRun r = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> CliRun.run("run",
        "config-push", "--engine", "simulated", "--duration", "500ms", "--trace", one.toString()));
    assertEquals(0, r.exit, r.err);
    assertTrue(r.out.contains("seed 1; simulated (a core per loop, fifo scheduler)"), r.out);
    assertTrue(r.out.contains("worker-1"), r.out);
    assertTrue(r.out.contains("config push every 50ms"), r.out);
    assertFalse(r.out.contains("warning:"), r.out);
    CliRun again = CliRun.run("run", "config-push", "--engine", "simulated", "--duration",
        "500ms", "--trace", two.toString());
    assertEquals(0, again.exit, again.err);
    assertArrayEquals(Files.readAllBytes(one), Files.readAllBytes(two));
    try (TraceFile t = TraceFile.open(one)) {
      assertTrue(t.virtualClock());
      assertTrue(t.header().get("command").endsWith("--engine simulated"), t.header().toString());
    }
  }

  @Test
  void aMistypedEngineIsOneLineWithTheAllowedValuesAndExitCodeTwo() {
    CliRun r = CliRun.run("run", "baseline-echo", "--engine", "simulatd");
    assertEquals(2, r.exit);
    assertEquals("kallisto run: --engine: \"simulatd\" is not allowed; allowed: \"real\","
        + " \"simulated\"", r.err.strip());
  }

  @Test
  void aHundredThousandConnectionsRunSimulatedButNotForReal() throws Exception {
    Path big = dir.resolve("big.json");
    Files.writeString(big, "{\"engine\": \"simulated\", \"workers\": 8,"
        + " \"workload\": {\"connections\": 100000}, \"duration\": \"100ms\"}");
    CliRun real = CliRun.run("run", big.toString(), "--engine", "real");
    assertEquals(2, real.exit);
    assertEquals("kallisto run: --engine real: the scenario's workload.connections 100000 is out"
        + " of range for engine \"real\"; allowed: an integer from 1 to 10000 (up to 1000000 with"
        + " \"engine\": \"simulated\")", real.err.strip());
    CliRun compare = CliRun.run("compare", big.toString());
    assertEquals(2, compare.exit);
    assertTrue(compare.err.startsWith("kallisto compare: compare runs it for real, but"),
        compare.err);
  }

  @Test
  void compareRunsBothEnginesAndPrintsThemSideBySideWithRatiosAndMarks() {
    CliRun r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> CliRun.run("compare",
        "baseline-echo", "--duration", "500ms", "--seed", "3"));
    assertEquals(0, r.exit, r.err);
    assertTrue(r.out.contains("metric"), r.out);
    assertTrue(r.out.contains("sim/real"), r.out);
    assertTrue(r.out.contains("throughput req/s"), r.out);
    assertTrue(r.out.contains("worker-1 busy %"), r.out);
    assertTrue(r.out.contains("seed 3"), r.out);
    assertTrue(r.out.contains("<<: the two differ by more than 2x"), r.out);
  }

  @Test
  void differsMarksRatiosBeyondTwoEitherWayAndAZeroAgainstAValue() {
    assertFalse(CompareCommand.differs(100, 150));
    assertFalse(CompareCommand.differs(100, 51));
    assertTrue(CompareCommand.differs(100, 201));
    assertTrue(CompareCommand.differs(100, 49));
    assertTrue(CompareCommand.differs(0, 3));
    assertFalse(CompareCommand.differs(0, 0));
  }
}
