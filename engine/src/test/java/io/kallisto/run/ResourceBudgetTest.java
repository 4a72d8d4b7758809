package io.kallisto.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.run.ResourceEstimate.Resource;
import io.kallisto.scenario.BundledScenario;
import io.kallisto.scenario.Scenario;
import io.kallisto.scenario.ScenarioParser;
import io.kallisto.scenario.Scenarios;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The resource budget, checked before anything runs, on the two melt-downs the hostile tester
 * found (issue 16, item 7) and on every bundled scenario: on this machine, and on a small and a
 * large one whose numbers are fixed here so that the verdicts do not depend on where tests run.
 */
class ResourceBudgetTest {
  private static final long GIB = 1L << 30;
  /** 2 cores, 1 GiB of heap, 4 GiB of memory, 4,096 threads: a small laptop or CI runner. */
  static final MachineLimits SMALL = new MachineLimits(GIB, GIB, 4 * GIB, 4096, 2, 1 << 20);
  /** 64 cores, 32 GiB of heap, 256 GiB of memory. */
  static final MachineLimits LARGE =
      new MachineLimits(32 * GIB, 32 * GIB, 256 * GIB, 1 << 20, 64, 1 << 20);

  /** 1 MiB payloads x 10,000 connections x 1,024 outstanding, simulated: out of memory. */
  static Scenario payloadMeltdown() {
    return parse("{\"workers\": 2, \"engine\": \"simulated\", \"workload\": {\"connections\":"
        + " 10000, \"outstanding\": 1024, \"payloadBytes\": 1048576}}");
  }

  /** 256 workers x 100,000 timers every 1 ms on the real engine: minutes of no output. */
  static Scenario timerMeltdown() {
    return parse("{\"workers\": 256, \"timers\": {\"perWorker\": 100000, \"interval\":"
        + " \"1ms\"}}");
  }

  private static Scenario parse(String json) {
    return ScenarioParser.parse(json, "meltdown");
  }

  static Stream<Arguments> machines() {
    return Stream.of(Arguments.of("this machine", MachineLimits.ofThisJvm()),
        Arguments.of("a small machine", SMALL), Arguments.of("a large machine", LARGE));
  }

  static Stream<Arguments> bundledOnEveryMachine() {
    return machines().flatMap(m -> Scenarios.bundled().stream().map(BundledScenario::name)
        .map(name -> Arguments.of(m.get()[0], m.get()[1], name)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("machines")
  void refusesThePayloadMeltdownNamingTheFieldsThatDriveItsHeap(String where,
      MachineLimits machine) {
    ResourceBudget.Overrun o = budget(machine).check(payloadMeltdown(), false);
    assertNotNull(o, where);
    assertEquals(Resource.HEAP, o.resource());
    assertTrue(o.needed() > 10e12, "terabytes: " + o.describe());
    String line = o.describe();
    assertTrue(line.startsWith("needs about 14.7 TiB of heap, mostly for the requests in flight"
        + " (workload.connections 10,000 x workload.outstanding 1,024 x (workload.payloadBytes"
        + " 1,048,576 + 24) B x 1.5), over its budget of "), line);
    assertTrue(line.endsWith("(50% of the JVM's maximum heap, "
        + ResourceEstimate.bytes(machine.maxHeap()) + ")"), line);
    assertTrue(!line.contains("\n"), line);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("machines")
  void refusesTheTimerMeltdownNamingTheFieldsThatDriveItsCores(String where,
      MachineLimits machine) {
    ResourceBudget.Overrun o = budget(machine).check(timerMeltdown(), false);
    assertNotNull(o, where);
    assertEquals(Resource.CORES, o.resource(), o.describe());
    assertEquals(256, o.needed(), 1e-9, "every loop a whole core");
    assertTrue(o.describe().contains("(workers 256 x timers.perWorker 100,000 every"
        + " timers.interval 1ms"), o.describe());
  }

  @ParameterizedTest(name = "{2} on {0}")
  @MethodSource("bundledOnEveryMachine")
  void everyBundledScenarioFitsTracedOrNotOnEitherEngine(String where, MachineLimits machine,
      String name) {
    Scenario s = Scenarios.load(name);
    for (Scenario.Engine engine : Scenario.Engine.values()) {
      for (boolean traced : new boolean[] {false, true}) {
        ResourceBudget.Overrun o = budget(machine).check(s.withEngine(engine), traced);
        assertNull(o, () -> name + " on " + where + ", " + engine + ", traced " + traced + ": "
            + o.describe());
      }
    }
  }

  @Test
  void cappingTheTimerMeltdownLowersOnlyTheStormUntilItFits() {
    ResourceBudget b = budget(SMALL);
    ResourceBudget.Capped c = b.cap(timerMeltdown(), false);
    assertNotNull(c);
    assertNull(b.check(c.scenario(), false), "capped, it fits");
    // 1 core of callbacks (half of 2) at 4 million a second, every 1 ms, over 256 loops.
    assertEquals(List.of("timers.perWorker 100,000 -> 15"), c.changes());
    assertEquals(Resource.CORES, c.overrun().resource());
  }

  @Test
  void cappingThePayloadMeltdownLowersInFlightRequestsBeforeConnectionsAndKeepsThePayload() {
    ResourceBudget b = budget(SMALL);
    ResourceBudget.Capped c = b.cap(payloadMeltdown(), false);
    assertNotNull(c);
    assertNull(b.check(c.scenario(), false));
    Scenario.Workload w = c.scenario().workload();
    assertEquals(1 << 20, w.payloadBytes(), "the payload is what the experiment is about");
    assertTrue(w.outstanding() < 1024 && w.connections() < 10_000, c.changes().toString());
    assertEquals(2, c.changes().size(), c.changes().toString());
  }

  @Test
  void aScenarioThatFitsIsNotCapped() {
    Scenario s = Scenarios.load("baseline-echo");
    ResourceBudget.Capped c = budget(SMALL).cap(s, true);
    assertEquals(s, c.scenario());
    assertEquals(List.of(), c.changes());
    assertNull(c.overrun());
  }

  @Test
  void whatNoKnobCanLowerCannotBeCapped() {
    // A heap so small that the event loops no run can do without are over half of it.
    MachineLimits tiny = new MachineLimits(256 * 1024, GIB, 4 * GIB, 4096, 2, 1 << 20);
    assertNull(budget(tiny).cap(Scenarios.load("baseline-echo"), true));
  }

  @Test
  void aShareOutside1To100PercentIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new ResourceBudget(SMALL, 0));
    assertThrows(IllegalArgumentException.class, () -> new ResourceBudget(SMALL, 101));
  }

  private static ResourceBudget budget(MachineLimits m) {
    return new ResourceBudget(m, ResourceBudget.DEFAULT_SHARE_PERCENT);
  }
}
