package io.kallisto.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.run.RunSummary;
import io.kallisto.run.SimulationRunner;
import io.kallisto.run.WorkerSummary;
import io.kallisto.scenario.BundledScenario;
import io.kallisto.scenario.Scenario;
import io.kallisto.scenario.Scenario.BalancePolicy;
import io.kallisto.scenario.Scenario.Listener;
import io.kallisto.scenario.Scenario.ListenerMode;
import io.kallisto.scenario.Scenario.SchedulerPolicy;
import io.kallisto.scenario.Scenario.SimulationSettings;
import io.kallisto.scenario.ScenarioParser;
import io.kallisto.scenario.Scenarios;
import io.kallisto.trace.EventType;
import io.kallisto.trace.TraceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bundled scenario runs simulated; runs repeat byte for byte; the lessons of
 * head-of-line-blocking and accept-imbalance come out as they do for real; and a run far beyond
 * this machine (64 workers, 100,000 connections) completes. Durations are cut to a few hundred
 * ms of virtual time to keep each test within seconds.
 */
class SimulatedScenarioTest {
  private static final Duration LIMIT = Duration.ofSeconds(30);
  private static final Duration SHORT = Duration.ofMillis(300);

  @TempDir
  Path dir;

  private static RunSummary run(Scenario s, Path trace) {
    return new SimulationRunner().run(s, trace, "test", (elapsed, total, answered) -> { });
  }

  private static Scenario bundled(String name) {
    return Scenarios.load(name).withEngine(Scenario.Engine.SIMULATED).withDuration(SHORT);
  }

  @Test
  void everyBundledScenarioRunsSimulatedAndTwoRunsWithOneSeedWriteIdenticalTraceBytes() {
    assertTimeoutPreemptively(LIMIT, () -> {
      for (BundledScenario b : Scenarios.bundled()) {
        Scenario s = bundled(b.name());
        Path first = dir.resolve(b.name() + "-1.ktrace");
        Path second = dir.resolve(b.name() + "-2.ktrace");
        RunSummary r = run(s, first);
        run(s, second);
        assertTrue(r.load().answered() > 0, b.name() + ": nothing answered");
        assertEquals(java.util.List.of(), r.problems(), b.name());
        assertTrue(r.trace().events() > 1000, b.name() + ": " + r.trace());
        if (s.configPush().enabled()) {
          // Pushes through the real ThreadLocalInstance and Slot, every 50 ms of 300.
          assertTrue(r.configPushes() >= 5, b.name() + ": " + r.configPushes() + " pushes");
          assertTrue(r.configPropagationP50Micros() > 0, b.name());
        }
        if (s.timers().perWorker() > 0) {
          assertTrue(r.workers().get(0).timersFired() >= s.timers().perWorker() * 20L,
              b.name() + ": " + r.workers().get(0).timersFired() + " timers fired");
        }
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second),
            b.name() + ": the two traces differ");
        try (TraceFile t = TraceFile.open(first)) {
          assertTrue(t.virtualClock(), "marked as simulated");
          assertEquals("simulated", t.header().get("engine"));
        }
      }
    });
  }

  @Test
  void anotherSeedInterleavesDifferentlyUnderTheRandomSchedulerAndIdenticallyUnderFifo() {
    assertTimeoutPreemptively(LIMIT, () -> {
      // Single acceptor, round robin, echo, closed loop: the seed steers nothing but the
      // scheduler, so what differs between seeds is the interleaving alone.
      Scenario base = bundled("baseline-echo")
          .withListener(new Listener(ListenerMode.SINGLE_ACCEPTOR, BalancePolicy.ROUND_ROBIN))
          .withDuration(Duration.ofMillis(100));
      for (SchedulerPolicy policy : SchedulerPolicy.values()) {
        Scenario s = base.withSimulation(new SimulationSettings(3, policy, Duration.ZERO));
        String one = events(s.withSeed(1), dir.resolve(policy + "-1.ktrace"));
        String two = events(s.withSeed(2), dir.resolve(policy + "-2.ktrace"));
        if (policy == SchedulerPolicy.RANDOM) {
          assertNotEquals(one, two, "random scheduler: seeds 1 and 2 interleave alike");
        } else {
          assertEquals(one, two, "FIFO: the seed must not change the interleaving");
        }
      }
    });
  }

  /** Every callback and request record as thread, type and virtual time, in file order. */
  private static String events(Scenario s, Path trace) {
    run(s, trace);
    StringBuilder b = new StringBuilder();
    try (TraceFile t = TraceFile.open(trace)) {
      t.forEach(e -> {
        if (e.type() == EventType.CALLBACK || e.type() == EventType.REQUEST_BEGIN) {
          b.append(e.thread()).append(' ').append(e.type()).append(' ').append(e.time())
              .append('\n');
        }
      });
    }
    return b.toString();
  }

  @Test
  void headOfLineBlockingPutsP99AboveTheSleepWhileTheBaselineStaysFarBelow() {
    assertTimeoutPreemptively(LIMIT, () -> {
      RunSummary hol = run(bundled("head-of-line-blocking").withDuration(Duration.ofSeconds(2)),
          null);
      RunSummary baseline = run(bundled("baseline-echo"), null);
      double sleepMicros = 20_000;
      assertTrue(hol.load().latencyMicros(99) >= sleepMicros,
          "HOL p99 " + hol.load().latencyMicros(99) + " us");
      assertTrue(hol.load().latencyMicros(50) < sleepMicros / 10,
          "HOL p50 stays low: " + hol.load().latencyMicros(50) + " us");
      assertTrue(baseline.load().latencyMicros(99) < sleepMicros / 20,
          "baseline p99 " + baseline.load().latencyMicros(99) + " us");
    });
  }

  @Test
  void reusePortSpreadsFewConnectionsUnevenlyWhereLeastConnectionsEvensThemOut() {
    assertTimeoutPreemptively(LIMIT, () -> {
      Scenario base = bundled("accept-imbalance").withDuration(Duration.ofMillis(100));
      int uneven = 0;
      for (long seed = 1; seed <= 20; seed++) {
        RunSummary reuse = run(base.withSeed(seed), null);
        RunSummary least = run(base.withSeed(seed).withListener(
            new Listener(ListenerMode.SINGLE_ACCEPTOR, BalancePolicy.LEAST_CONNECTIONS)), null);
        assertEquals(0, spread(least), "least-connections, seed " + seed);
        if (spread(reuse) > 0) {
          uneven++;
          assertTrue(least.load().throughput() > reuse.load().throughput(),
              "seed " + seed + ": an even spread serves more");
        }
      }
      // 4^8 ways to hash 8 connections; only 2,520 of the 65,536 give each worker two.
      assertTrue(uneven >= 15, "reuse-port was uneven for only " + uneven + " of 20 seeds");
    });
  }

  private static long spread(RunSummary r) {
    long min = Long.MAX_VALUE;
    long max = 0;
    for (WorkerSummary w : r.workers()) {
      min = Math.min(min, w.connections());
      max = Math.max(max, w.connections());
    }
    return max - min;
  }

  @Test
  void sixtyFourWorkersAndAHundredThousandConnectionsCompleteInSimulation() {
    assertTimeoutPreemptively(LIMIT, () -> {
      Scenario s = ScenarioParser.parse("{\"workers\": 64, \"engine\": \"simulated\","
          + " \"workload\": {\"connections\": 100000}, \"duration\": \"100ms\","
          + " \"warmup\": \"20ms\", \"loadThreads\": 8}", "big.json");
      // CPU time of this thread, which runs the whole simulation: on a crowded machine the wall
      // clock mostly measures waiting for a core (10.4 s was seen at load 21).
      java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory
          .getThreadMXBean();
      long start = mx.getCurrentThreadCpuTime();
      RunSummary r = run(s, null);
      double seconds = (mx.getCurrentThreadCpuTime() - start) / 1e9;
      assertEquals(64, r.workers().size());
      long connections = 0;
      for (WorkerSummary w : r.workers()) {
        connections += w.connections();
        assertTrue(w.requests() > 0, w.name() + " served nothing");
      }
      assertEquals(100_000, connections);
      assertEquals(java.util.List.of(), r.problems());
      assertTrue(r.load().answered() >= 100_000, "answered " + r.load().answered());
      assertTrue(seconds < 10, "took " + seconds + " s of CPU");
    });
  }
}
