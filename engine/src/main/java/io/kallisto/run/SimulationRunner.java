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
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
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
    return run(scenario, trace, command, listener, new RunStop());
  }

  /**
   * As {@link #run(Scenario, Path, String, ScenarioRunner.Listener)}, cut short when
   * {@code stop} is requested: the simulation checks it before every step, then cuts the load
   * and tears down in virtual time, and the summary of what ran is marked with an
   * {@link Interruption} (as is the trace's end). A cut run is not deterministic: where it was
   * cut depends on when.
   */
  public RunSummary run(Scenario scenario, Path trace, String command,
      ScenarioRunner.Listener listener, RunStop stop) {
    Scenario s = scenario.withEngine(Scenario.Engine.SIMULATED);
    long wallStart = System.nanoTime();
    // Made on the thread that runs it, which a simulation stays bound to; the trace's clock
    // reads it from there on (and 0 before, when nothing is recorded yet).
    AtomicReference<Simulation> running = new AtomicReference<>();
    LongSupplier clock = () -> {
      Simulation sim = running.get();
      return sim == null ? 0 : sim.now();
    };
    return ScenarioRunner.traced(s, trace, TraceOptions.defaults().virtualClock(clock)
            .fact("simulation.cores", Integer.toString(cores(s)))
            .fact("simulation.scheduler", scheduler(s).name().toLowerCase(java.util.Locale.ROOT)),
        command, stop, listener, l -> {
          Simulation sim = simulation(s);
          running.set(sim);
          return runIn(sim, s, l, wallStart, stop);
        });
  }

  /** Loops in a run: workers, load threads, main, the watchdog and the acceptor if any. */
  static int loops(Scenario s) {
    int load = Math.min(s.loadThreads(), s.workload().connections());
    boolean acceptor = s.listener().mode() == Scenario.ListenerMode.SINGLE_ACCEPTOR;
    return s.workers() + load + 2 + (acceptor ? 1 : 0);
  }

  private Simulation simulation(Scenario s) {
    SimulationCosts c = costs.withLatency(s.simulation().latency());
    return new Simulation(s.name(), cores(s), scheduler(s), s.seed(), c);
  }

  private static int cores(Scenario s) {
    return s.simulation().cores() == 0 ? loops(s) : s.simulation().cores();
  }

  private static Scheduler scheduler(Scenario s) {
    return s.simulation().scheduler() == Scenario.SchedulerPolicy.RANDOM ? Scheduler.RANDOM
        : Scheduler.FIFO;
  }

  private static RunSummary runIn(Simulation sim, Scenario scenario,
      ScenarioRunner.Listener listener, long wallStart, RunStop stop) {
    boolean traced = Tracing.isEnabled();
    ThreadTrace outer = traced ? sim.actAsDriver() : null;
    try {
      return runSimulated(sim, scenario, listener, wallStart, stop);
    } finally {
      if (traced) {
        Tracing.actAs(outer);
      }
    }
  }

  private static RunSummary runSimulated(Simulation sim, Scenario scenario,
      ScenarioRunner.Listener listener, long wallStart, RunStop stop) {
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
      storms.add(sim.call(d, "timer storm start",
          () -> TimerStorms.arm(d, scenario, index, stop::requested)));
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
    Interruption[] cut = {null};
    LoadResult result = await(sim, scenario, load, listener, stop, cut);
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
        (System.nanoTime() - wallStart) / 1e9, null, result.interrupted() ? cut[0] : null);
  }

  /**
   * Runs the simulation until the load is done; a requested {@code stop} is seen before the
   * next step, and cuts the load there (recorded in {@code cut[0]}).
   */
  private static LoadResult await(Simulation sim, Scenario scenario, LoadGenerator load,
      ScenarioRunner.Listener listener, RunStop stop, Interruption[] cut) {
    long duration = scenario.duration().toNanos();
    // As the real runner: the duration, the generator's own drain allowance, and slack.
    long limit = sim.now() + duration + TimeUnit.SECONDS.toNanos(60);
    BooleanSupplier doneOrStopped = () -> load.isDone() || stop.requested() && cut[0] == null;
    while (!load.isDone()) {
      if (stop.requested() && cut[0] == null) {
        // On the simulation's thread, between steps: where a simulated loop may be posted to.
        cut[0] = new Interruption(stop.reason(), sim.now(),
            Math.max(0, Math.min(duration, load.elapsedNanos())), duration, true);
        load.interrupt();
      }
      long until = Math.min(sim.now() + PROGRESS_NANOS, limit);
      // True when the load is done, or a stop wants acting on at the top of the loop.
      boolean done = sim.runUntil(doneOrStopped, until);
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
    listener.progress(cut[0] != null ? cut[0].ranNanos() : duration, duration, load.answered());
    return load.result();
  }
}
