package io.kallisto.run;

import io.kallisto.scenario.Scenario;
import io.kallisto.scenario.Scenario.Arrivals;
import io.kallisto.scenario.Scenario.BalancePolicy;
import io.kallisto.scenario.Scenario.ConfigPush;
import io.kallisto.scenario.Scenario.Distribution;
import io.kallisto.scenario.Scenario.ListenerMode;
import io.kallisto.scenario.Scenario.LoopMode;
import io.kallisto.scenario.Scenario.RequestKind;
import io.kallisto.scenario.Scenario.RequestMix;
import io.kallisto.scenario.Scenario.ServiceTime;
import io.kallisto.scenario.Scenario.TimerStorm;
import io.kallisto.scenario.Scenario.Workload;
import java.time.Duration;
import java.util.List;

/** Small scenarios built in code, for tests that must not depend on the bundled files. */
public final class TestScenarios {
  private TestScenarios() {}

  /** Closed-loop echo: {@code connections} x 1 outstanding, 64-byte payloads, 2 workers. */
  public static Scenario echo(int connections, Duration duration) {
    return new Scenario("test-echo", "echo", 2,
        new Scenario.Listener(ListenerMode.REUSE_PORT, BalancePolicy.ROUND_ROBIN),
        new Workload(LoopMode.CLOSED, connections, 1, 0, Arrivals.POISSON,
            List.of(new RequestMix(RequestKind.ECHO, 1, ServiceTime.ZERO)), 64, 0),
        duration, Duration.ZERO, TimerStorm.NONE, ConfigPush.NONE, 1, false, 1,
        Scenario.Engine.REAL, Scenario.SimulationSettings.DEFAULT);
  }

  /** A mix entry of {@code kind} with a fixed service time. */
  public static RequestMix fixed(RequestKind kind, double weight, Duration service) {
    return new RequestMix(kind, weight, new ServiceTime(Distribution.FIXED, service));
  }
}
