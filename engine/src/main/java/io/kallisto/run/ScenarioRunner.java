package io.kallisto.run;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.Dispatchers;
import io.kallisto.event.GuardDog;
import io.kallisto.event.Timer;
import io.kallisto.event.Worker;
import io.kallisto.event.WorkerPool;
import io.kallisto.load.LoadGenerator;
import io.kallisto.load.LoadResult;
import io.kallisto.net.ConnectionBalancer;
import io.kallisto.net.RequestServerHandler;
import io.kallisto.net.Server;
import io.kallisto.net.WorkerCounters;
import io.kallisto.scenario.Scenario;
import io.kallisto.scenario.ScenarioParser;
import io.kallisto.threadlocal.Slot;
import io.kallisto.trace.ThreadTrace;
import io.kallisto.trace.TraceOptions;
import io.kallisto.trace.TraceSummary;
import io.kallisto.trace.Tracing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.IntToLongFunction;
import org.HdrHistogram.Histogram;

/**
 * Runs a {@link Scenario} for real: a {@link WorkerPool} serving the request/response protocol on
 * 127.0.0.1, a {@link LoadGenerator} on threads of its own, a {@link GuardDog} over the workers,
 * and, as the scenario asks, a timer storm on every worker and a configuration push from a main
 * thread through a thread-local {@link Slot}. Tracing, when on, covers the whole run and is
 * written out whatever happens.
 *
 * <pre>{@code
 * RunSummary s = new ScenarioRunner().run(Scenarios.load("baseline-echo"), null, listener);
 * }</pre>
 *
 * <p>One run at a time per JVM when tracing (tracing is process-wide). Call from any thread
 * that is not an event loop.
 */
public final class ScenarioRunner {
  /** Told how a run is going, about ten times a second, on the calling thread. */
  @FunctionalInterface
  public interface Listener {
    /** {@code elapsed} of {@code duration} nanoseconds have passed; {@code answered} responses. */
    void progress(long elapsedNanos, long durationNanos, long answered);
  }

  /**
   * Runs {@code scenario}, tracing into {@code trace} when it is not null (or into a file named
   * after the scenario when the scenario asks for tracing and {@code trace} is null).
   *
   * @param command the command line, recorded in the trace's header
   * @throws io.kallisto.event.NativeException if the server cannot listen, naming the call
   * @throws java.io.UncheckedIOException if the trace file cannot be written
   */
  public RunSummary run(Scenario scenario, Path trace, String command, Listener listener) {
    if (scenario.engine() == Scenario.Engine.SIMULATED) {
      return new SimulationRunner().run(scenario, trace, command, listener);
    }
    long wallStart = System.nanoTime();
    return traced(scenario, trace, TraceOptions.defaults(), command,
        () -> asDriver(scenario, () -> runTraced(scenario, null, listener, wallStart)));
  }

  /** What runs the scenario's loops: "simulated", or the real backend's name. */
  static String backendOf(Scenario scenario) {
    return scenario.engine() == Scenario.Engine.SIMULATED ? "simulated" : Dispatchers.backend();
  }

  /**
   * The trace file a run of {@code scenario} records into: {@code trace} if not null, else
   * {@code NAME.ktrace} in the working directory if the scenario traces, else null.
   *
   * @throws IllegalArgumentException if the scenario traces into NAME.ktrace and its name is not
   *     a valid name ({@link ScenarioParser#isValidName}): a name never chooses a folder
   */
  public static Path traceFile(Scenario scenario, Path trace) {
    if (trace != null || !scenario.tracing()) {
      return trace;
    }
    if (!ScenarioParser.isValidName(scenario.name())) {
      throw new IllegalArgumentException("scenario name \"" + scenario.name() + "\" cannot name"
          + " its trace file; allowed: " + ScenarioParser.NAME.pattern() + " without '..'");
    }
    return Path.of(scenario.name() + ".ktrace");
  }

  /**
   * Runs {@code run} with tracing into {@link #traceFile} (when there is one) with
   * {@code options} and the scenario's facts, and returns its summary with what was written.
   */
  static RunSummary traced(Scenario scenario, Path trace, TraceOptions options, String command,
      java.util.function.Supplier<RunSummary> run) {
    Path traceFile = traceFile(scenario, trace);
    if (traceFile == null) {
      return run.get();
    }
    Tracing.start(traceFile, options.scenario(scenario.name()).seed(scenario.seed())
        .command(command).fact("engine", scenario.engine().json())
        .fact("backend", backendOf(scenario)));
    TraceSummary written = null;
    try {
      RunSummary s = run.get();
      written = Tracing.stop();
      return new RunSummary(s.scenario(), s.backend(), s.load(), s.workers(), s.configPushes(),
          s.configPropagationP50Micros(), s.configPropagationMaxMicros(), s.wallSeconds(),
          written);
    } finally {
      if (written == null && Tracing.isEnabled()) {
        Tracing.stop(); // a failed run still keeps what was recorded
      }
    }
  }

  /**
   * Runs {@code run} with the calling thread traced as the run's driver, named after the scenario
   * as a simulation names its driver, so that real and simulated traces name the same threads.
   */
  private static RunSummary asDriver(Scenario scenario,
      java.util.function.Supplier<RunSummary> run) {
    ThreadTrace driver = Tracing.newThread(scenario.name());
    if (driver == null) {
      return run.get();
    }
    ThreadTrace outer = Tracing.actAs(driver);
    try {
      return run.get();
    } finally {
      Tracing.actAs(outer);
    }
  }

  private RunSummary runTraced(Scenario scenario, TraceSummary none, Listener listener,
      long wallStart) {
    WorkerPool pool = WorkerPool.create(scenario.workers());
    // "main" as in a simulated run; the JVM's own main thread is traced as the driver, under the
    // scenario's name (see asDriver).
    Worker main = Worker.create("main", Dispatchers.best());
    main.start();
    main.awaitReady();
    ConfigPusher pusher = Dispatchers.callOnLoop(main.dispatcher(),
        () -> new ConfigPusher(main.dispatcher(), workerDispatchers(pool)));
    Server server = null;
    GuardDog dog = null;
    LoadGenerator load = null;
    List<List<Timer>> storms = new ArrayList<>();
    try {
      pool.start();
      storms = startTimerStorm(scenario, pool);
      server = openServer(scenario, pool);
      dog = GuardDog.start(workerDispatchers(pool));
      if (scenario.configPush().enabled()) {
        long every = scenario.configPush().every().toNanos();
        Dispatchers.callOnLoop(main.dispatcher(), () -> {
          pusher.startPushing(every);
          return null;
        });
      }
      long[] busyBefore = busy(pool);
      load = LoadGenerator.start(server.port(), scenario);
      LoadResult result = await(scenario, load, listener);
      long window = load.elapsedNanos();
      long[] busyAfter = busy(pool);
      Dispatchers.callOnLoop(main.dispatcher(), () -> {
        pusher.stopPushing();
        return null;
      });
      dog.close();
      Server srv = server;
      GuardDog watchdog = dog;
      List<WorkerSummary> workers = summarize(pool, srv::counters, watchdog::misses,
          watchdog::megaMisses, busyBefore, busyAfter, window);
      Histogram propagation = Dispatchers.callOnLoop(main.dispatcher(), pusher::propagation);
      return new RunSummary(scenario, Dispatchers.backend(), result, workers,
          propagation.getTotalCount(),
          ConfigPusher.p50Micros(propagation), ConfigPusher.maxMicros(propagation),
          (System.nanoTime() - wallStart) / 1e9, none);
    } finally {
      if (load != null) {
        load.close();
      }
      if (dog != null) {
        dog.close();
      }
      if (server != null) {
        server.close();
      }
      stopTimerStorm(pool, storms);
      Dispatchers.callOnLoop(main.dispatcher(), () -> {
        pusher.shutdown();
        return null;
      });
      pool.stop();
      main.stop();
    }
  }

  private static LoadResult await(Scenario scenario, LoadGenerator load, Listener listener) {
    long duration = scenario.duration().toNanos();
    // Generous: the duration, the load generator's own drain allowance, and set-up slack.
    long limit = duration + TimeUnit.SECONDS.toNanos(60);
    try {
      while (!load.awaitDone(100, TimeUnit.MILLISECONDS)) {
        listener.progress(Math.min(load.elapsedNanos(), duration), duration, load.answered());
        if (load.elapsedNanos() > limit) {
          throw new IllegalStateException("the load generator did not finish within "
              + TimeUnit.NANOSECONDS.toSeconds(limit) + " s");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + scenario.name());
    }
    listener.progress(duration, duration, load.answered());
    return load.result();
  }

  private static Server openServer(Scenario scenario, WorkerPool pool) {
    Scenario.Listener l = scenario.listener();
    if (l.mode() == Scenario.ListenerMode.REUSE_PORT) {
      return Server.reusePort(pool, RequestServerHandler::new);
    }
    return Server.singleAcceptor(pool, balancer(scenario), RequestServerHandler::new);
  }

  /** The single acceptor's policy the scenario names (random-of-two seeded by its seed). */
  static ConnectionBalancer balancer(Scenario scenario) {
    ConnectionBalancer balancer;
    switch (scenario.listener().balance()) {
      case LEAST_CONNECTIONS:
        balancer = ConnectionBalancer.leastConnections();
        break;
      case RANDOM_OF_TWO:
        balancer = ConnectionBalancer.randomOfTwo(scenario.seed());
        break;
      case ROUND_ROBIN:
      default:
        balancer = ConnectionBalancer.roundRobin();
        break;
    }
    return balancer;
  }

  /**
   * {@code perWorker} self-re-arming timers on every worker, their first deadlines spread at
   * random over one interval so that they fire as a steady storm, not in lockstep.
   */
  private static List<List<Timer>> startTimerStorm(Scenario scenario, WorkerPool pool) {
    List<List<Timer>> all = new ArrayList<>();
    for (int w = 0; w < pool.size() && scenario.timers().perWorker() > 0; w++) {
      Dispatcher d = pool.worker(w).dispatcher();
      int index = w;
      all.add(Dispatchers.callOnLoop(d, "timer storm start",
          () -> TimerStorms.arm(d, scenario, index)));
    }
    return all;
  }

  private static void stopTimerStorm(WorkerPool pool, List<List<Timer>> storms) {
    for (int w = 0; w < storms.size(); w++) {
      List<Timer> timers = storms.get(w);
      Dispatchers.callOnLoop(pool.worker(w).dispatcher(), "timer storm stop", () -> {
        timers.forEach(Timer::disable);
        return null;
      });
    }
  }

  static List<Dispatcher> workerDispatchers(WorkerPool pool) {
    List<Dispatcher> ds = new ArrayList<>();
    for (int i = 0; i < pool.size(); i++) {
      ds.add(pool.worker(i).dispatcher());
    }
    return ds;
  }

  static long[] busy(WorkerPool pool) {
    long[] b = new long[pool.size()];
    for (int i = 0; i < b.length; i++) {
      b[i] = pool.worker(i).dispatcher().stats().busyNanos();
    }
    return b;
  }

  /** One row per worker; the busy share is over the load's {@code window}. */
  static List<WorkerSummary> summarize(WorkerPool pool, IntFunction<WorkerCounters> counters,
      IntToLongFunction misses, IntToLongFunction megaMisses, long[] busyBefore,
      long[] busyAfter, long window) {
    List<WorkerSummary> rows = new ArrayList<>();
    for (int i = 0; i < pool.size(); i++) {
      rows.add(WorkerSummary.of(pool.worker(i).dispatcher().stats(), counters.apply(i),
          busyAfter[i] - busyBefore[i], window, misses.applyAsLong(i),
          megaMisses.applyAsLong(i)));
    }
    return rows;
  }
}
