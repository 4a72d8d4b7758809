package io.kallisto.run;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.Timer;
import io.kallisto.scenario.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A scenario's timer storm, the same on real and simulated workers. */
public final class TimerStorms {
  private TimerStorms() {}

  /**
   * Arms worker {@code index}'s share of {@code scenario}'s timer storm on {@code d}:
   * {@code perWorker} self-re-arming timers, their first deadlines spread at random (seeded by
   * the scenario's seed and the index) over one interval so that they fire as a steady storm, not
   * in lockstep. Loop-only, on {@code d}. Returns the timers, to disable later.
   */
  public static List<Timer> arm(Dispatcher d, Scenario scenario, int index) {
    int n = scenario.timers().perWorker();
    Duration interval = scenario.timers().interval();
    long intervalNanos = interval.toNanos();
    SplittableRandom random = new SplittableRandom(scenario.seed() + index);
    List<Timer> timers = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Timer[] self = new Timer[1];
      self[0] = d.createTimer(() -> self[0].enable(interval));
      self[0].enableAt(d.now() + random.nextLong(intervalNanos));
      timers.add(self[0]);
    }
    return timers;
  }
}
