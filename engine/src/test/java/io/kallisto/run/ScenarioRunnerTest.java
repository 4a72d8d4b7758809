package io.kallisto.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.scenario.Scenario;
import io.kallisto.scenario.Scenario.Arrivals;
import io.kallisto.scenario.Scenario.ConfigPush;
import io.kallisto.scenario.Scenario.LoopMode;
import io.kallisto.scenario.Scenario.RequestKind;
import io.kallisto.scenario.Scenario.TimerStorm;
import io.kallisto.scenario.Scenario.Workload;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScenarioRunnerTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);

  private static RunSummary run(Scenario s) {
    return assertTimeoutPreemptively(LIMIT,
        () -> new ScenarioRunner().run(s, null, "test", (e, d, a) -> { }));
  }

  @Test
  void closedLoopEchoAnswersEveryRequestExactly() {
    RunSummary r = run(TestScenarios.echo(8, Duration.ofMillis(800)));
    assertEquals(List.of(), r.problems());
    assertEquals(r.load().sent(), r.load().answered());
    assertEquals(r.load().answered(), r.totalRequests(), "the server counted what the client got");
    assertTrue(r.load().measured() > 100, "measured " + r.load().measured());
    assertEquals(8, r.workers().stream().mapToLong(WorkerSummary::connections).sum());
  }

  @Test
  void openLoopOffersItsRateAndCountsQueueingFromTheSchedule() {
    Scenario base = TestScenarios.echo(4, Duration.ofMillis(1500));
    Scenario s = base.withWorkload(new Workload(LoopMode.OPEN, 4, 1, 2000, Arrivals.CONSTANT,
        base.workload().mix(), 64, 0));
    RunSummary r = run(s);
    assertEquals(List.of(), r.problems());
    // 2000/s for 1.5 s is 3000 requests, give or take the last tick.
    assertTrue(Math.abs(r.load().sent() - 3000) <= 30, "sent " + r.load().sent());
    assertTrue(Math.abs(r.load().throughput() - 2000) < 200, "rate " + r.load().throughput());
    // Measured from the schedule, a request can only look slower than measured from its send.
    assertTrue(r.load().latency().getMaxValue() >= r.load().serviceLatency().getMaxValue());
  }

  @Test
  void aRequestLimitEndsTheRunBeforeItsDuration() {
    Scenario base = TestScenarios.echo(4, Duration.ofSeconds(30));
    Workload w = base.workload();
    Scenario s = base.withWorkload(new Workload(w.loop(), w.connections(), 2, 0, w.arrivals(),
        w.mix(), w.payloadBytes(), 500));
    RunSummary r = run(s);
    assertEquals(500, r.load().sent());
    assertEquals(500, r.load().answered());
    assertEquals("request limit", r.load().stoppedBy());
    assertTrue(r.wallSeconds() < 20, "took " + r.wallSeconds() + " s");
  }

  @Test
  void aBlockingRequestIsNamedByTheWatchdog() {
    Scenario base = TestScenarios.echo(1, Duration.ofMillis(1000));
    Workload w = base.workload();
    Scenario s = base.withWorkers(1).withWorkload(new Workload(LoopMode.CLOSED, 1, 1, 0,
        w.arrivals(), List.of(TestScenarios.fixed(RequestKind.SLEEP, 1, Duration.ofMillis(300))),
        16, 0));
    RunSummary r = run(s);
    // Back-to-back sleeps in one iteration make one long stall, so count stalls, not sleeps.
    WorkerSummary worker = r.workers().get(0);
    assertTrue(worker.watchdogMisses() >= 1, "a 300 ms sleep holds the loop past 200 ms: " + worker);
    assertTrue(worker.watchdogMegaMisses() <= worker.watchdogMisses(), worker.toString());
    assertEquals(0, r.load().corrupt());
  }

  @Test
  void configPushesReachEveryWorker() {
    Scenario base = TestScenarios.echo(2, Duration.ofMillis(1000));
    Scenario s = new Scenario(base.name(), "", 2, base.listener(), base.workload(),
        base.duration(), base.warmup(), TimerStorm.NONE, new ConfigPush(Duration.ofMillis(50)),
        1, false, 1, Scenario.Engine.REAL,
        Scenario.SimulationSettings.DEFAULT);
    RunSummary r = run(s);
    assertTrue(r.configPushes() >= 10, "pushes " + r.configPushes());
    assertTrue(r.configPropagationMaxMicros() >= r.configPropagationP50Micros());
    assertTrue(r.configPropagationP50Micros() > 0);
  }

  @Test
  void aTimerStormFiresEveryTimerEveryInterval() {
    Scenario base = TestScenarios.echo(2, Duration.ofMillis(1000));
    Scenario s = new Scenario(base.name(), "", 2, base.listener(), base.workload(),
        base.duration(), base.warmup(), new TimerStorm(200, Duration.ofMillis(10)),
        ConfigPush.NONE, 1, false, 1, Scenario.Engine.REAL,
        Scenario.SimulationSettings.DEFAULT);
    RunSummary r = run(s);
    for (WorkerSummary w : r.workers()) {
      // 200 timers x 100 intervals per second; allow for set-up and a loaded machine.
      assertTrue(w.timersFired() > 200 * 50, w.name() + " fired " + w.timersFired());
    }
  }
}
