package io.kallisto.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.load.LoadResult;
import io.kallisto.scenario.Scenario;
import io.kallisto.trace.TraceEnd;
import io.kallisto.trace.TraceFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link RunStop} cuts a run short, on either engine: the summary of what ran comes back
 * marked with an {@link Interruption}, the load says it was interrupted, and the trace ends with
 * an interrupted END block at the cut. The stop is requested from the run's own progress
 * reports, so it lands while the load runs, at a point the test chooses, with no clock.
 */
class RunStopTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final Duration PLANNED = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void aStopDuringTheLoadEndsARealRunWithTheSummaryAndTraceOfWhatRan() throws Exception {
    Path trace = dir.resolve("real.ktrace");
    RunStop stop = new RunStop();
    AtomicInteger reports = new AtomicInteger();
    RunSummary s = assertTimeoutPreemptively(LIMIT, () -> new ScenarioRunner().run(
        TestScenarios.echo(4, PLANNED), trace, "test", (elapsed, total, answered) -> {
          if (reports.incrementAndGet() == 3 && answered > 0) {
            stop.request("SIGTERM");
          }
        }, stop));
    Interruption cut = s.interruption();
    assertNotNull(cut, "the summary says the run was cut");
    assertEquals("SIGTERM", cut.reason());
    assertEquals(PLANNED.toNanos(), cut.plannedNanos());
    assertTrue(cut.ranNanos() > 0 && cut.ranNanos() < PLANNED.toNanos(), cut.describe());
    assertEquals(LoadResult.INTERRUPTED, s.load().stoppedBy());
    assertTrue(s.load().answered() > 0);
    assertTrue(s.wallSeconds() < PLANNED.toSeconds() / 2.0, "took " + s.wallSeconds() + " s");
    checkTraceEnd(trace, cut);
  }

  @Test
  void aStopDuringTheLoadEndsASimulatedRunAtThatPointInVirtualTime() throws Exception {
    Path trace = dir.resolve("simulated.ktrace");
    RunStop stop = new RunStop();
    long[] heard = {0};
    Scenario sim = TestScenarios.echo(4, PLANNED).withEngine(Scenario.Engine.SIMULATED);
    RunSummary s = assertTimeoutPreemptively(LIMIT, () -> new SimulationRunner().run(sim, trace,
        "test", (elapsed, total, answered) -> {
          if (heard[0] == 0 && elapsed >= TimeUnit.MILLISECONDS.toNanos(250)) {
            heard[0] = elapsed;
            stop.request("SIGINT");
          }
        }, stop));
    Interruption cut = s.interruption();
    assertNotNull(cut);
    assertEquals("SIGINT", cut.reason());
    // Seen before the simulation's next step: where the progress report stood.
    assertEquals(heard[0], cut.ranNanos());
    assertEquals(LoadResult.INTERRUPTED, s.load().stoppedBy());
    assertTrue(s.load().answered() > 0);
    checkTraceEnd(trace, cut);
  }

  @Test
  void aStopBeforeTheLoadBeginsSkipsTheRestOfTheSetUpAndSaysSo() {
    RunStop stop = new RunStop();
    stop.request("SIGTERM"); // while the (large) timer storm would be armed
    Scenario storm = TestScenarios.echo(4, PLANNED)
        .withTimers(new Scenario.TimerStorm(100_000, Duration.ofMillis(1)));
    RunSummary s = assertTimeoutPreemptively(LIMIT,
        () -> new ScenarioRunner().run(storm, null, "test", (e, t, a) -> { }, stop));
    Interruption cut = s.interruption();
    assertNotNull(cut);
    assertEquals(0, cut.ranNanos());
    assertFalse(cut.loadCollected());
    assertEquals("interrupted after 0 s of 30 s, during set-up (SIGTERM)", cut.describe());
    assertEquals(0, s.load().sent());
    assertEquals(0, s.workers().stream().mapToLong(WorkerSummary::timersFired).sum(),
        "no storm timer was armed");
  }

  @Test
  void interruptingTheCallingThreadCutsTheRunAndKeepsTheInterruptSet() {
    boolean[] stillInterrupted = {false};
    RunSummary s = assertTimeoutPreemptively(LIMIT, () -> {
      Thread caller = Thread.currentThread();
      AtomicInteger reports = new AtomicInteger();
      RunSummary summary = new ScenarioRunner().run(TestScenarios.echo(2, PLANNED), null,
          "test", (elapsed, total, answered) -> {
            if (reports.incrementAndGet() == 3) {
              caller.interrupt(); // as a notebook kernel stops a cell
            }
          }, new RunStop());
      stillInterrupted[0] = Thread.interrupted();
      return summary;
    });
    assertNotNull(s.interruption());
    assertEquals(GuardedRun.INTERRUPTED, s.interruption().reason());
    assertTrue(stillInterrupted[0], "the caller's interrupt is kept for it to act on");
  }

  @Test
  void aRunThatIsNeverStoppedIsNotMarked() {
    RunSummary s = assertTimeoutPreemptively(LIMIT, () -> new ScenarioRunner().run(
        TestScenarios.echo(2, Duration.ofMillis(300)), null, "test", (e, t, a) -> { },
        new RunStop()));
    assertNull(s.interruption());
    assertEquals("duration", s.load().stoppedBy());
  }

  private static void checkTraceEnd(Path trace, Interruption cut) {
    try (TraceFile t = TraceFile.open(trace)) {
      TraceEnd end = t.end();
      assertNotNull(end);
      assertTrue(end.interrupted());
      assertEquals(cut.traceEnd(), end);
      assertNull(t.damage());
    }
  }
}
