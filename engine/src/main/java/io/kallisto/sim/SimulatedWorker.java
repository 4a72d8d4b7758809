package io.kallisto.sim;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.Worker;
import io.kallisto.trace.NamedTask;
import java.util.Objects;

/**
 * A {@link Worker} whose thread is simulated: its dispatcher is a {@link SimulatedDispatcher}
 * that its {@link Simulation} runs from {@link #start()} until the loop exits. The methods that
 * wait for the worker ({@link #awaitReady()}, {@link #stop()}) wait by running the simulation, so
 * they must be called on the simulation's thread and outside its steps; {@code stop()} called from
 * inside a simulated callback only asks the loop to exit.
 *
 * <pre>{@code
 * SimulatedWorker w = new SimulatedWorker(sim, "worker-0");
 * w.start();
 * w.awaitReady();   // runs the simulation until the loop turned once
 * w.post(() -> Simulate.cpu(Duration.ofMillis(1)));
 * w.stop();         // runs the simulation until the loop drained what was posted and exited
 * }</pre>
 */
public final class SimulatedWorker implements Worker {
  private final Simulation sim;
  private final SimulatedDispatcher dispatcher;
  private long requests;
  private boolean started;
  private boolean stopped;
  private boolean ready;

  /** A stopped worker named {@code name}, with a new dispatcher in {@code sim}. */
  public SimulatedWorker(Simulation sim, String name) {
    this.sim = Objects.requireNonNull(sim, "sim");
    this.dispatcher = sim.newDispatcher(name);
    dispatcher.drainsOnExit = true;
    dispatcher.onExit(() -> {
      if (!dispatcher.isClosedNow()) {
        dispatcher.close();
      }
    });
  }

  // Worker

  @Override
  public String name() {
    return dispatcher.name();
  }

  @Override
  public void start() {
    if (started || stopped) {
      throw new IllegalStateException("worker '" + name() + "' was already "
          + (stopped ? "stopped" : "started") + "; create a new one");
    }
    started = true;
    dispatcher.post(NamedTask.of(Worker.LOOP_STARTED, () -> ready = true));
    sim.activate(dispatcher);
  }

  @Override
  public void awaitReady() {
    if (!started) {
      throw new IllegalStateException("worker '" + name() + "' was not started");
    }
    if (!ready && !sim.runUntil(() -> ready, Long.MAX_VALUE)) {
      throw new IllegalStateException("worker '" + name() + "': the simulation went idle before"
          + " its loop ran");
    }
  }

  @Override
  public Dispatcher dispatcher() {
    return dispatcher;
  }

  /** The worker's dispatcher, as the simulated type. */
  public SimulatedDispatcher simulatedDispatcher() {
    return dispatcher;
  }

  @Override
  public void post(Runnable request) {
    dispatcher.post(request);
    requests++;
  }

  @Override
  public long requestCount() {
    return requests;
  }

  @Override
  public void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    if (!started) {
      dispatcher.close();
      return;
    }
    if (!dispatcher.isClosedNow()) {
      dispatcher.post(NamedTask.of(Worker.LOOP_EXIT, dispatcher::exit)); // FIFO: what was posted before runs first
    }
    if (sim.running() == null) {
      sim.runUntil(dispatcher::hasExited, Long.MAX_VALUE);
    }
  }
}
