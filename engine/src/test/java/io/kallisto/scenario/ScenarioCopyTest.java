package io.kallisto.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.kallisto.scenario.Scenario.Arrivals;
import io.kallisto.scenario.Scenario.BalancePolicy;
import io.kallisto.scenario.Scenario.ConfigPush;
import io.kallisto.scenario.Scenario.Engine;
import io.kallisto.scenario.Scenario.Listener;
import io.kallisto.scenario.Scenario.ListenerMode;
import io.kallisto.scenario.Scenario.LoopMode;
import io.kallisto.scenario.Scenario.RequestKind;
import io.kallisto.scenario.Scenario.RequestMix;
import io.kallisto.scenario.Scenario.SchedulerPolicy;
import io.kallisto.scenario.Scenario.ServiceTime;
import io.kallisto.scenario.Scenario.SimulationSettings;
import io.kallisto.scenario.Scenario.TimerStorm;
import io.kallisto.scenario.Scenario.Workload;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code with*} method changes its own components and copies every other one: a component
 * added to {@link Scenario} and forgotten in the copy would show here as a changed component.
 */
class ScenarioCopyTest {
  private static final Scenario BASE = new Scenario("copy", "a scenario to copy", 3,
      new Listener(ListenerMode.REUSE_PORT, BalancePolicy.ROUND_ROBIN),
      new Workload(LoopMode.CLOSED, 8, 2, 0, Arrivals.CONSTANT,
          List.of(new RequestMix(RequestKind.ECHO, 1, ServiceTime.ZERO)), 64, 0),
      Duration.ofSeconds(10), Duration.ofSeconds(2), TimerStorm.NONE,
      new ConfigPush(Duration.ofMillis(100)), 42, false, 2, Engine.REAL,
      SimulationSettings.DEFAULT);

  static Stream<Arguments> copies() {
    Workload otherLoad = new Workload(LoopMode.OPEN, 4, 1, 1000, Arrivals.POISSON,
        List.of(new RequestMix(RequestKind.CPU, 1, ServiceTime.ZERO)), 16, 100);
    return Stream.of(
        Arguments.of("withDuration", (UnaryOperator<Scenario>) s ->
            s.withDuration(Duration.ofSeconds(20)), List.of("duration")),
        Arguments.of("withDuration capping the warm-up", (UnaryOperator<Scenario>) s ->
            s.withDuration(Duration.ofSeconds(3)), List.of("duration", "warmup")),
        Arguments.of("withSeed", (UnaryOperator<Scenario>) s -> s.withSeed(7), List.of("seed")),
        Arguments.of("withTracing", (UnaryOperator<Scenario>) s -> s.withTracing(true),
            List.of("tracing")),
        Arguments.of("withWorkers", (UnaryOperator<Scenario>) s -> s.withWorkers(5),
            List.of("workers")),
        Arguments.of("withWorkload", (UnaryOperator<Scenario>) s -> s.withWorkload(otherLoad),
            List.of("workload")),
        Arguments.of("withTimers", (UnaryOperator<Scenario>) s ->
            s.withTimers(new TimerStorm(10, Duration.ofMillis(5))), List.of("timers")),
        Arguments.of("withListener", (UnaryOperator<Scenario>) s ->
            s.withListener(new Listener(ListenerMode.SINGLE_ACCEPTOR,
                BalancePolicy.LEAST_CONNECTIONS)), List.of("listener")),
        Arguments.of("withEngine", (UnaryOperator<Scenario>) s -> s.withEngine(Engine.SIMULATED),
            List.of("engine")),
        Arguments.of("withSimulation", (UnaryOperator<Scenario>) s ->
            s.withSimulation(new SimulationSettings(2, SchedulerPolicy.RANDOM,
                Duration.ofNanos(50_000))), List.of("simulation")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("copies")
  void aCopyChangesOnlyTheComponentsItIsAbout(String method, UnaryOperator<Scenario> copy,
      List<String> changed) throws ReflectiveOperationException {
    Scenario after = copy.apply(BASE);
    List<String> differing = new ArrayList<>();
    for (RecordComponent c : Scenario.class.getRecordComponents()) {
      Object before = c.getAccessor().invoke(BASE);
      Object now = c.getAccessor().invoke(after);
      if (!before.equals(now)) {
        differing.add(c.getName());
      }
    }
    assertEquals(changed, differing, method);
    assertNotEquals(BASE, after, method);
  }

  @Test
  void copyingEveryComponentWithItsOwnValueGivesAnEqualScenario() {
    Scenario back = BASE.withDuration(BASE.duration()).withSeed(BASE.seed())
        .withTracing(BASE.tracing()).withWorkers(BASE.workers()).withWorkload(BASE.workload())
        .withTimers(BASE.timers()).withListener(BASE.listener()).withEngine(BASE.engine())
        .withSimulation(BASE.simulation());
    assertEquals(BASE, back);
  }
}
