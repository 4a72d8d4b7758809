package io.kallisto.run;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.Timer;
import io.kallisto.scenario.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

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
    return arm(d, scenario, index, () -> false);
  }

  /**
   * As {@link #arm(Dispatcher, Scenario, int)}, but each timer stops re-arming itself once
   * {@code stopped} is true: a storm that has fallen behind (thousands of timers due at every
   * turn of the loop) dies out within one interval, without a post having to get through to
   * the loop to disarm it; a storm still being armed stops there. {@code stopped} is read on the
   * loop thread at every firing.
   */
  public static List<Timer> arm(Dispatcher d, Scenario scenario, int index,
      BooleanSupplier stopped) {
    int n = scenario.timers().perWorker();
    Duration interval = scenario.timers().interval();
    long intervalNanos = interval.toNanos();
    SplittableRandom random = new SplittableRandom(scenario.seed() + index);
    List<Timer> timers = new ArrayList<>(n);
    // Stopped mid-way, the rest is not armed: at 100,000 timers a worker, arming takes a while.
    for (int i = 0; i < n && !stopped.getAsBoolean(); i++) {
      Timer[] self = new Timer[1];
      self[0] = d.createTimer(() -> {
        if (!stopped.getAsBoolean()) {
          self[0].enable(interval);
        }
      });
      self[0].enableAt(d.now() + random.nextLong(intervalNanos));
      timers.add(self[0]);
    }
    return timers;
  }
}
