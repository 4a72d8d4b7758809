package io.kallisto.exercises.slots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.kallisto.sim.Simulate;
import io.kallisto.sim.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * One {@code runOnAllThreads} call on simulated loops, watched: which loops ran the callback and
 * when its work ended, and where and when the completion ran. Part of the tests; do not change
 * it.
 *
 * <p>What "never early" means here. The simulated loops take turns on one Java thread, each
 * step running to its end before the next begins, so "the completion ran after every loop ran
 * the callback" is checked in that order. A step also has virtual times: its callbacks spend
 * virtual time ({@link Simulate#cpu}), and loops on different simulated cores overlap in it.
 * The completion must start, in virtual time, after the callback that finished last has ended:
 * a completion posted before that callback's work was done starts too early.
 *
 * <p>Rounds whose completions can queue up on main together ({@link #inExecutionOrder}) are
 * checked in execution order only: there the time a completion starts depends on the other
 * completions queued before it, not only on the workers' callbacks.
 */
final class SimRound {
  private final Simulation sim;
  private final String name;
  private final int loops;
  private final boolean virtualTime;
  private final List<String> ran = new ArrayList<>();
  private final List<String> completions = new ArrayList<>();
  private String lastLoop;
  private long lastEnd = -1;
  private String problem;

  /**
   * @param name names the call in messages, such as "runOnAllThreads #2"
   * @param loops how many loops must run the callback: main and every worker
   */
  SimRound(Simulation sim, String name, int loops) {
    this(sim, name, loops, true);
  }

  private SimRound(Simulation sim, String name, int loops, boolean virtualTime) {
    this.sim = sim;
    this.name = name;
    this.loops = loops;
    this.virtualTime = virtualTime;
  }

  /** A round checked in execution order only: one of several whose completions may queue up. */
  static SimRound inExecutionOrder(Simulation sim, String name, int loops) {
    return new SimRound(sim, name, loops, false);
  }

  /**
   * The callback to pass: records its loop and spends {@code work} of virtual time on the value
   * (0 for none).
   */
  <T> Consumer<T> callback(ToLongFunction<T> workNanos) {
    return value -> {
      ran.add(SimLoops.current());
      long work = workNanos.applyAsLong(value);
      if (work > 0) {
        Simulate.cpu(Duration.ofNanos(work));
      }
      lastLoop = SimLoops.current();
      lastEnd = sim.now();
    };
  }

  /** The completion to pass: checks, as it starts, that it is not early. */
  Runnable completion() {
    return () -> {
      String where = SimLoops.current();
      completions.add(where);
      if (problem != null) {
        return;
      }
      if (ran.size() < loops) {
        problem = "the completion of " + name + " ran on " + where + " when only " + ran
            + " had run the callback (of " + loops + " loops)";
      } else if (virtualTime && sim.now() < lastEnd) {
        problem = "the completion of " + name + " started at " + sim.now() + " ns of virtual"
            + " time, before the callback that finished last (" + lastLoop + "'s) ended at "
            + lastEnd + " ns: it was posted before that callback's work was done";
      }
    };
  }

  /** Asserts that every loop ran the callback once and the completion ran once, on main. */
  void check() {
    if (problem != null) {
      fail("expected no completion before every loop's callback had ended, but " + problem);
    }
    assertEquals(loops, ran.size(), "expected the callback of " + name + " to run once on each"
        + " of " + loops + " loops (main and every worker), but it ran on " + ran);
    assertEquals(loops, ran.stream().distinct().count(), "expected the callback of " + name
        + " to run once on each of " + loops + " loops, but it ran on " + ran);
    assertEquals(List.of("main"), completions, "expected the completion of " + name + " to run"
        + " once, on main; it ran on " + (completions.isEmpty() ? "no loop" : completions)
        + " (callbacks ran on " + ran + ")");
  }
}
