package io.kallisto.sim;

import io.kallisto.event.RoundRobinWorkerPool;
import io.kallisto.event.Worker;
import io.kallisto.event.WorkerPool;
import io.kallisto.trace.NamedTask;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link WorkerPool} of {@link SimulatedWorker}s named {@code worker-<i>}, all in one
 * {@link Simulation}: 64 workers on a 2-core machine are 64 simulated threads on as many
 * simulated cores as the simulation has. Like the workers, {@link #start()} and {@link #stop()}
 * run the simulation until they are done, and must be called on its thread outside its steps.
 *
 * <pre>{@code
 * Simulation sim = new Simulation("pool", 64, Scheduler.FIFO, 1, SimulationCosts.DEFAULT);
 * SimulatedWorkerPool pool = new SimulatedWorkerPool(sim, 64);
 * pool.start();
 * pool.dispatch(() -> Simulate.cpu(Duration.ofMicros(50)));
 * pool.stop();
 * }</pre>
 */
public final class SimulatedWorkerPool extends RoundRobinWorkerPool<SimulatedWorker> {
  private final Simulation sim;

  /** {@code n} stopped workers in {@code sim}. */
  public SimulatedWorkerPool(Simulation sim, int n) {
    super(make(sim, n));
    this.sim = sim;
  }

  private static List<SimulatedWorker> make(Simulation sim, int n) {
    if (n < 1) {
      throw new IllegalArgumentException("n=" + n + "; a simulated pool needs 1 or more workers");
    }
    List<SimulatedWorker> made = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      made.add(new SimulatedWorker(sim, "worker-" + i));
    }
    return made;
  }

  /** Worker {@code index}, as the simulated type. */
  public SimulatedWorker simulatedWorker(int index) {
    return member(index);
  }

  // WorkerPool

  @Override
  public void stop() {
    // Ask all to exit first so that they drain side by side in virtual time, then wait for each.
    for (SimulatedWorker w : members()) {
      if (!w.simulatedDispatcher().isClosedNow() && !w.simulatedDispatcher().hasExited()) {
        w.simulatedDispatcher().post(NamedTask.of(Worker.LOOP_EXIT, w.simulatedDispatcher()::exit));
      }
    }
    if (sim.running() == null) {
      sim.runUntil(this::allExited, Long.MAX_VALUE);
    }
    for (SimulatedWorker w : members()) {
      w.stop();
    }
  }

  private boolean allExited() {
    // Indexed, not for-each: the simulation asks after every step, and an iterator would be
    // garbage each time.
    List<SimulatedWorker> workers = members();
    for (int i = 0; i < workers.size(); i++) {
      SimulatedWorker w = workers.get(i);
      if (!w.simulatedDispatcher().hasExited() && !w.simulatedDispatcher().isClosedNow()) {
        return false;
      }
    }
    return true;
  }
}
