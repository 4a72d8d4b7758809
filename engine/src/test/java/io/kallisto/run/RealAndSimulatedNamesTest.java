package io.kallisto.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.scenario.Scenario;
import io.kallisto.scenario.Scenarios;
import io.kallisto.trace.EventType;
import io.kallisto.trace.TraceFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real run and a simulated run of one bundled scenario name their threads and callbacks the
 * same, with names the engine gives them: a student can put the two traces side by side.
 */
class RealAndSimulatedNamesTest {
  @TempDir Path dir;

  private record Names(Set<String> threads, Set<String> callbacks) {}

  private Names namesIn(Scenario s, String file) {
    Path trace = dir.resolve(file);
    assertTimeoutPreemptively(Duration.ofSeconds(60),
        () -> new ScenarioRunner().run(s, trace, "test", (e, d, a) -> { }));
    try (TraceFile t = TraceFile.open(trace)) {
      Set<String> callbacks = new TreeSet<>();
      t.forEach(e -> {
        if (e.type() == EventType.CALLBACK) {
          callbacks.add(e.callbackKind() + " " + e.label());
        }
      });
      return new Names(new TreeSet<>(t.threads().values()), callbacks);
    }
  }

  private void sameNames(String bundled) {
    Scenario s = Scenarios.load(bundled).withDuration(Duration.ofMillis(600));
    Names real = namesIn(s.withEngine(Scenario.Engine.REAL), "real.ktrace");
    Names sim = namesIn(s.withEngine(Scenario.Engine.SIMULATED), "sim.ktrace");
    assertEquals(real.threads(), sim.threads(), "thread names, real against simulated");
    assertEquals(real.callbacks(), sim.callbacks(), "callback labels, real against simulated");
    for (String label : real.callbacks()) {
      assertTrue(!label.endsWith(" lambda") && !label.contains("$"), label);
    }
  }

  @Test
  void headOfLineBlockingNamesThreadsAndCallbacksTheSameRealAndSimulated() {
    sameNames("head-of-line-blocking");
  }

  @Test
  void configPushNamesThreadsAndCallbacksTheSameRealAndSimulated() {
    sameNames("config-push");
  }
}
