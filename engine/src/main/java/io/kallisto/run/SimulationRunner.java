package io.kallisto.run;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.StallDetector;
import io.kallisto.event.Timer;
import io.kallisto.load.LoadConnector;
import io.kallisto.load.LoadGenerator;
import io.kallisto.load.LoadResult;
import io.kallisto.scenario.Scenario;
import io.kallisto.sim.Scheduler;
import io.kallisto.sim.SimNetwork;
import io.kallisto.sim.SimulatedDispatcher;
import io.kallisto.sim.SimulatedServer;
import io.kallisto.sim.SimulatedWorker;
import io.kallisto.sim.SimulatedWorkerPool;
import io.kallisto.sim.Simulation;
import io.kallisto.sim.SimulationCosts;
import io.kallisto.trace.ThreadTrace;
import io.kallisto.trace.TraceOptions;
import io.kallisto.trace.Tracing;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Runs a {@link Scenario} in the deterministic simulation ({@code "engine": "simulated"}): the
 * same pieces as {@link ScenarioRunner}, on simulated loops in virtual time. The workers are a
 * {@link SimulatedWorkerPool}; the server is the engine's request handler behind a
 * {@link SimulatedServer} (reuse-port hash or single acceptor with the scenario's balancer); the
 * load generator is the engine's own {@link LoadGenerator} on simulated load threads, connecting
 * through a {@link SimNetwork}; the watchdog is the engine's {@link StallDetector} on a simulated
 * {@code guarddog} loop; the timer storm and the configuration push are the real ones. The result
 * is the same {@link RunSummary}, every time in it virtual, except {@code wallSeconds}.
 *
 * <p>With the same scenario and seed, two runs give byte-identical traces.
 *
 * <pre>{@code
 * RunSummary s = new SimulationRunner().run(scenario.withEngine(Engine.SIMULATED), null, "", l);
 * }</pre>
 *
 * <p>Call from any thread that is not an event loop; the simulation runs on it. One traced run at
 * a time per JVM (tracing is process-wide).
 */
public final class SimulationRunner {
  /** How often, in virtual time, the listener hears how the run goes. */
  private static final long PROGRESS_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final SimulationCosts costs;

  /** A runner with the default costs (see {@link SimulationCosts#DEFAULT}). */
  public SimulationRunner() {
    this(SimulationCosts.DEFAULT);
  }

  /** A runner with {@code costs}; the scenario's latency replaces theirs. */
  public SimulationRunner(SimulationCosts costs) {
    this.costs = costs;
  }

  /**
   * Runs {@code scenario} in virtual time, tracing into {@code trace} when it is not null (or
   * into NAME.ktrace when the scenario asks for tracing). Whatever the scenario's engine says,
   * this runs it simulated.
   *
   * @param command the command line, recorded in the trace's header
   * @throws java.io.UncheckedIOException if the trace file cannot be written
   */
  public RunSummary run(Scenario scenario, Path trace, String command,
      ScenarioRunner.Listener listener) {
    Scenario s = scenario.withEngine(Scenario.Engine.SIMULATED);
    long wallStart = System.nanoTime();
    Simulation sim = simulation(s);
    return ScenarioRunner.traced(s, trace, TraceOptions.defaults().virtualClock(sim::now)
            .fact("simulation.cores", Integer.toString(sim.cores()))
            .fact("simulation.scheduler", sim.scheduler().name().toLowerCase(java.util.Locale.ROOT)),
        command, () -> runIn(sim, s, listener, wallStart));
  }

  /** Loops in a run: workers, load threads, main, the watchdog and the acceptor if any. */
  static int loops(Scenario s) {
    int load = Math.min(s.loadThreads(), s.workload().connections());
    boolean acceptor = s.listener().mode() == Scenario.ListenerMode.SINGLE_ACCEPTOR;
    return s.workers() + load + 2 + (acceptor ? 1 : 0);
  }

  private Simulation simulation(Scenario s) {
    Scenario.SimulationSettings settings = s.simulation();
    int cores = settings.cores() == 0 ? loops(s) : settings.cores();
    Scheduler scheduler = settings.scheduler() == Scenario.SchedulerPolicy.RANDOM
        ? Scheduler.RANDOM : Scheduler.FIFO;
    SimulationCosts c = costs.withLatency(settings.latency());
    return new Simulation(s.name(), cores, scheduler, s.seed(), c);
  }

  private static RunSummary runIn(Simulation sim, Scenario scenario,
      ScenarioRunner.Listener listener, long wallStart) {
    boolean traced = Tracing.isEnabled();
    ThreadTrace outer = traced ? sim.actAsDriver() : null;
    try {
      return runSimulated(sim, scenario, listener, wallStart);
    } finally {
      if (traced) {
        Tracing.actAs(outer);
      }
    }
  }

  private static RunSummary runSimulated(Simulation sim, Scenario scenario,
      ScenarioRunner.Listener listener, long wallStart) {
    boolean single = scenario.listener().mode() == Scenario.ListenerMode.SINGLE_ACCEPTOR;
    SimulatedDispatcher main = sim.createDispatcher("main");
    SimulatedWorkerPool pool = new SimulatedWorkerPool(sim, scenario.workers());
    SimulatedDispatcher acceptor = single ? sim.createDispatcher("acceptor") : null;
    SimulatedDispatcher guard = sim.createDispatcher("guarddog");
    pool.start();
    List<Dispatcher> workers = ScenarioRunner.workerDispatchers(pool);

    ConfigPusher pusher = sim.call(main, () -> new ConfigPusher(main, workers));
    List<List<Timer>> storms = new ArrayList<>();
    for (int w = 0; w < pool.size() && scenario.timers().perWorker() > 0; w++) {
      SimulatedDispatcher d = pool.simulatedWorker(w).simulatedDispatcher();
      int index = w;
      storms.add(sim.call(d, "timer storm start", () -> TimerStorms.arm(d, scenario, index)));
    }
    SimulatedServer server = single
        ? SimulatedServer.singleAcceptor(pool, acceptor, ScenarioRunner.balancer(scenario))
        : SimulatedServer.reusePort(pool, scenario.seed());
    SimNetwork net = new SimNetwork(sim);
    List<String> names = new ArrayList<>();
    workers.forEach(d -> names.add(d.name()));
    StallDetector stalls = new StallDetector(names, sim.now());
    List<Timer> touches = new ArrayList<>();
    for (int w = 0; w < pool.size(); w++) {
      SimulatedDispatcher d = pool.simulatedWorker(w).simulatedDispatcher();
      int index = w;
      touches.add(sim.call(d, "watchdog start", () -> stalls.touchTimer(d, index)));
    }
    Timer check = sim.call(guard, "watchdog start", () -> stalls.checkTimer(guard));
    if (scenario.configPush().enabled()) {
      long every = scenario.configPush().every().toNanos();
      sim.call(main, () -> {
        pusher.startPushing(every);
        return null;
      });
    }

    long[] busyBefore = ScenarioRunner.busy(pool);
    LoadConnector connector = (d, receiver) ->
        net.connect((SimulatedDispatcher) d, server, receiver);
    LoadGenerator load = LoadGenerator.start(scenario, connector,
        name -> new SimulatedWorker(sim, name));
    LoadResult result = await(sim, scenario, load, listener);
    long window = load.elapsedNanos();
    long[] busyAfter = ScenarioRunner.busy(pool);
    Histogram propagation = sim.call(main, () -> {
      pusher.stopPushing();
      return pusher.propagation();
    });
    List<WorkerSummary> rows = ScenarioRunner.summarize(pool, server::counters,
        stalls::misses, stalls::megaMisses, busyBefore, busyAfter, window);

    // Tear down in virtual time too, so that the trace ends with every loop quiet.
    sim.call(guard, "watchdog stop", () -> {
      check.disable();
      return null;
    });
    for (int w = 0; w < pool.size(); w++) {
      Timer touch = touches.get(w);
      List<Timer> storm = w < storms.size() ? storms.get(w) : List.of();
      SimulatedDispatcher d = pool.simulatedWorker(w).simulatedDispatcher();
      // Two calls, as the real run makes them: the watchdog's, then the timer storm's.
      sim.call(d, "watchdog stop", () -> {
        touch.disable();
        return null;
      });
      if (!storm.isEmpty()) {
        sim.call(d, "timer storm stop", () -> {
          storm.forEach(Timer::disable);
          return null;
        });
      }
    }
    load.close();
    sim.call(main, () -> {
      pusher.shutdown();
      return null;
    });
    pool.stop();
    return new RunSummary(scenario, "simulated", result, rows, propagation.getTotalCount(),
        ConfigPusher.p50Micros(propagation), ConfigPusher.maxMicros(propagation),
        (System.nanoTime() - wallStart) / 1e9, null);
  }

  private static LoadResult await(Simulation sim, Scenario scenario, LoadGenerator load,
      ScenarioRunner.Listener listener) {
    long duration = scenario.duration().toNanos();
    // As the real runner: the duration, the generator's own drain allowance, and slack.
    long limit = sim.now() + duration + TimeUnit.SECONDS.toNanos(60);
    while (!load.isDone()) {
      long until = Math.min(sim.now() + PROGRESS_NANOS, limit);
      boolean done = sim.runUntil(load::isDone, until);
      listener.progress(Math.min(load.elapsedNanos(), duration), duration, load.answered());
      if (!done && sim.now() < until) {
        throw new IllegalStateException("the simulation of " + scenario.name() + " went idle"
            + " before the load generator finished");
      }
      if (!done && sim.now() >= limit) {
        throw new IllegalStateException("the simulated load generator did not finish within "
            + TimeUnit.NANOSECONDS.toSeconds(limit) + " s of virtual time");
      }
    }
    listener.progress(duration, duration, load.answered());
    return load.result();
  }
}
