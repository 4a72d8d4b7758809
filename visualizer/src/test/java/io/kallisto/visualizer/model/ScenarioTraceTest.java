package io.kallisto.visualizer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.run.RunSummary;
import io.kallisto.run.ScenarioRunner;
import io.kallisto.scenario.Scenario;
import io.kallisto.scenario.Scenarios;
import io.kallisto.scenario.Scenario.Arrivals;
import io.kallisto.scenario.Scenario.BalancePolicy;
import io.kallisto.scenario.Scenario.Distribution;
import io.kallisto.scenario.Scenario.ListenerMode;
import io.kallisto.scenario.Scenario.LoopMode;
import io.kallisto.scenario.Scenario.RequestKind;
import io.kallisto.scenario.Scenario.RequestMix;
import io.kallisto.scenario.Scenario.ServiceTime;
import io.kallisto.scenario.Scenario.Workload;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A trace of real traffic, as `kallisto run` records it, opened in the model. */
class ScenarioTraceTest {
  @TempDir Path dir;

  @Test
  void requestsAndConnectionsCountOnceAndWatchdogMissesMarkTheStalledWorker() {
    // One worker, 4 connections; one request in four sleeps 250 ms: the watchdog must fire.
    Scenario s = Scenarios.load("baseline-echo").withWorkers(1).withSeed(3)
        .withDuration(Duration.ofMillis(1200))
        .withListener(new Scenario.Listener(ListenerMode.REUSE_PORT, BalancePolicy.ROUND_ROBIN))
        .withWorkload(new Workload(LoopMode.CLOSED, 4, 1, 0, Arrivals.POISSON, List.of(
            new RequestMix(RequestKind.ECHO, 3, ServiceTime.ZERO),
            new RequestMix(RequestKind.SLEEP, 1,
                new ServiceTime(Distribution.FIXED, Duration.ofMillis(250)))), 64, 0));
    Path file = dir.resolve("stalls.ktrace");
    RunSummary r = assertTimeoutPreemptively(Duration.ofSeconds(60),
        () -> new ScenarioRunner().run(s, file, "test", (e, d, a) -> { }));
    TraceModel m = TraceModel.load(file);

    assertEquals(r.totalRequests(), m.requestEnds().length,
        "each request counted once, though client and server both record its end");
    assertEquals(4, m.activeConnections().max(),
        "each connection counted once, on its accepting side");
    Lane worker = m.lanes().stream().filter(l -> l.name().equals("worker-0")).findFirst()
        .orElseThrow();
    long misses = 0;
    for (int i = 0; i < worker.marks().size(); i++) {
      if (worker.marks().kind(i) == TraceModelLoader.WATCHDOG_MISS) {
        misses++;
        assertTrue(worker.marks().a(i) > 200_000_000L, "silent for " + worker.marks().a(i));
      }
    }
    assertEquals(r.workers().get(0).watchdogMisses(), misses,
        "every miss the summary counts is marked on the stalled worker's lane");
    assertTrue(misses >= 1);

    // The server's work on each request is a slice, named by what the request asked for.
    long requests = 0;
    long sleeps = 0;
    for (int i = 0; i < worker.sliceCount(); i++) {
      if (worker.category(i) == SliceCategory.REQUEST) {
        requests++;
        if (SliceDetails.labelOf(m, worker, i).equals("sleep request")) {
          sleeps++;
          assertTrue(worker.duration(i) >= 250_000_000L, "a sleep request held the loop for "
              + worker.duration(i) + " ns");
        }
      }
    }
    assertEquals(r.totalRequests(), requests);
    assertTrue(sleeps >= 1 && sleeps < requests, sleeps + " sleeps of " + requests);
  }

  @Test
  void aSimulatedRunsTraceOpensLikeARealOneAndSaysItIsSimulated() {
    Scenario s = Scenarios.load("head-of-line-blocking").withDuration(Duration.ofMillis(300))
        .withEngine(Scenario.Engine.SIMULATED);
    Path file = dir.resolve("sim.ktrace");
    RunSummary r = assertTimeoutPreemptively(Duration.ofSeconds(60),
        () -> new ScenarioRunner().run(s, file, "test", (e, d, a) -> { }));
    TraceModel m = TraceModel.load(file);
    assertTrue(m.virtualClock());
    assertEquals("sim.ktrace · simulated (virtual time)", m.displayName());
    assertEquals(r.totalRequests(), m.requestEnds().length);
    assertTrue(m.lanes().stream().anyMatch(l -> l.name().equals("worker-1")),
        "one lane per simulated loop");
    assertJoined(m);
    assertVictimsNamed(m);
    Path real = dir.resolve("real.ktrace");
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> new ScenarioRunner().run(
        s.withEngine(Scenario.Engine.REAL), real, "test", (e, d, a) -> { }));
    TraceModel realModel = TraceModel.load(real);
    assertEquals("real.ktrace", realModel.displayName());
    // Only the join: a real 300 ms run on a crowded machine may serve no sleep request at all.
    assertJoined(realModel);
  }

  /**
   * The load generator recorded the client side: most requests the server answered are joined
   * end to end (the last few may be answered after the trace stopped).
   */
  private static void assertJoined(TraceModel m) {
    assertTrue(m.lanes().stream().anyMatch(Lane::holdsClientRequests), m.displayName());
    Requests q = m.requests();
    int joined = 0;
    for (int k = 0; k < q.size(); k++) {
      if (q.joined(k)) {
        joined++;
      }
    }
    assertTrue(joined > m.requestEnds().length / 2, joined + " of " + q.size() + " joined in "
        + m.displayName());
  }

  /** Requests name a sleep request as what they waited behind. */
  private static void assertVictimsNamed(TraceModel m) {
    Requests q = m.requests();
    // Among all of them, not only the slowest few, which may have waited for the start-up.
    Victims v = Victims.of(m, m.firstTime(), m.lastTime() + 1, q.size());
    assertTrue(v.list().stream().anyMatch(x -> x.blocker() != null
        && x.blocker().contains("behind sleep request")), m.displayName() + ": " + v.list());
  }
}
