package io.kallisto.exercises.slots;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.Dispatchers;
import io.kallisto.sim.SimulatedDispatcher;
import io.kallisto.sim.Simulation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * A main loop and {@code n} worker loops on the simulated backend: one Java thread runs them
 * all, in virtual time, and the simulation's seed picks the interleaving. Part of the tests; do
 * not change it.
 */
final class SimLoops {
  final Simulation sim;
  final SimulatedDispatcher main;
  final List<SimulatedDispatcher> workers = new ArrayList<>();

  SimLoops(Simulation sim, int workers) {
    this.sim = sim;
    this.main = sim.createDispatcher("main");
    for (int i = 0; i < workers; i++) {
      this.workers.add(sim.createDispatcher("worker-" + i));
    }
  }

  /**
   * Runs {@code task} on main's loop (a post, so in a step of main's), then the simulation until
   * nothing is left to do, and returns the task's result; what the task throws is thrown here.
   */
  <T> T onMain(Callable<T> task) {
    T result = sim.call(main, task);
    sim.runUntilIdle();
    return result;
  }

  /** {@link #onMain(Callable)} for a task with no result. */
  void runOnMain(Runnable task) {
    onMain(() -> {
      task.run();
      return null;
    });
  }

  /** The name of the dispatcher whose callback is running, or "no loop". */
  static String current() {
    Dispatcher d = Dispatchers.current();
    return d == null ? "no loop" : d.name();
  }
}
