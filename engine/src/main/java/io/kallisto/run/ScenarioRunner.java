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
import io.kallisto.trace.NamedTask;
import io.kallisto.trace.ThreadTrace;
import io.kallisto.trace.TraceEnd;
import io.kallisto.trace.TraceOptions;
import io.kallisto.trace.TraceSummary;
import io.kallisto.trace.Tracing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
 *
 * <p><b>Cut short</b> ({@link RunStop}), a run returns as soon as its summary is ready: it waits
 * at most {@value #CUT_TEARDOWN_MILLIS} ms for its loops to stop, and leaves any still working
 * through a backlog to stop on a background thread. A process that exits at once, as the CLI
 * does, then never waits for them; one that goes on to trace another run in the same JVM before
 * they have stopped may see them in that trace.
 */
public final class ScenarioRunner {
  /**
   * How long a cut run waits for its loops to stop before it returns anyway (see
   * {@link #tearDownWithin}): a signal must end a run within about two seconds, whatever its size.
   */
  static final long CUT_TEARDOWN_MILLIS = 300;

  /**
   * How long a cut run waits for the load generator's threads to finish before it reports
   * without their figures: they need a core, which a melted-down run's loops may hold.
   */
  static final long LOAD_CUT_MILLIS = 400;

  /** Told how a run is going, about ten times a second, on the thread that runs it. */
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
    return run(scenario, trace, command, listener, new RunStop());
  }

  /**
   * As {@link #run(Scenario, Path, String, Listener)}, cut short when {@code stop} is requested:
   * the load stops at once, the timer storm stops re-arming, and the summary of what ran is
   * marked with an {@link Interruption} (as is the trace's end).
   */
  public RunSummary run(Scenario scenario, Path trace, String command, Listener listener,
      RunStop stop) {
    if (scenario.engine() == Scenario.Engine.SIMULATED) {
      return new SimulationRunner().run(scenario, trace, command, listener, stop);
    }
    long wallStart = System.nanoTime();
    return traced(scenario, trace, TraceOptions.defaults(), command, stop, listener,
        l -> asDriver(scenario, () -> runTraced(scenario, null, l, wallStart, stop)));
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
   * Runs {@code run} (see {@link GuardedRun}, which hands it the listener to use) with tracing
   * into {@link #traceFile} (when there is one) with {@code options} and the scenario's facts,
   * and returns its summary with what was written.
   */
  static RunSummary traced(Scenario scenario, Path trace, TraceOptions options, String command,
      RunStop stop, Listener listener, java.util.function.Function<Listener, RunSummary> run) {
    Path traceFile = traceFile(scenario, trace);
    if (traceFile == null) {
      return GuardedRun.call(scenario, backendOf(scenario), stop, listener, run);
    }
    // The buffers' cap is what the resource budget counts for a trace (ResourceEstimate).
    options.maxBufferMemory(ResourceEstimate.traceBufferMemory(Runtime.getRuntime().maxMemory()));
    Tracing.start(traceFile, options.scenario(scenario.name()).seed(scenario.seed())
        .command(command).fact("engine", scenario.engine().json())
        .fact("backend", backendOf(scenario)));
    TraceSummary written = null;
    try {
      RunSummary s = GuardedRun.call(scenario, backendOf(scenario), stop, listener, run);
      Interruption cut = s.interruption();
      written = Tracing.stop(cut == null ? null : cut.traceEnd());
      return s.withTrace(written);
    } finally {
      if (written == null && Tracing.isEnabled()) {
        // A failed run still keeps what was recorded, and its end says it did not finish.
        Tracing.stop(TraceEnd.interrupted(Tracing.activeSession().now(), "failure",
            scenario.duration().toNanos(), 0));
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
      long wallStart, RunStop stop) {
    WorkerPool pool = WorkerPool.create(scenario.workers());
    // A stopped run's loops may have a backlog to work off (every timer of a melted-down storm
    // fires once more before a loop can leave): they yield the cores to the threads that stop
    // the load, report the run and close its trace.
    stop.whenRequested(() -> {
      for (int i = 0; i < pool.size(); i++) {
        pool.worker(i).lowerPriority();
      }
    });
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
      storms = startTimerStorm(scenario, pool, stop);
      if (!stop.requested()) {
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
        LoadResult result;
        // Cut by the requesting thread itself, so that a stop waits for no one; a stop requested
        // during setup cuts the load as soon as it exists.
        try (RunStop.Registration cut = stop.whenRequested(load::interrupt)) {
          result = await(scenario, load, listener, stop);
        }
        boolean collected = result != null;
        if (!collected) {
          result = LoadResult.uncollected(load.answered());
        }
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
            (System.nanoTime() - wallStart) / 1e9, none,
            result.interrupted() ? interruption(scenario, stop, load.startNanos(), collected)
                : null);
      }
    } finally {
      LoadGenerator l = load;
      GuardDog g = dog;
      Server srv = server;
      List<List<Timer>> armed = storms;
      Runnable tearDown = () -> {
        if (l != null) {
          l.close();
        }
        if (g != null) {
          g.close();
        }
        if (srv != null) {
          srv.close();
        }
        if (!stop.requested()) {
          stopTimerStorm(pool, armed); // after a stop they no longer re-arm: nothing to disarm
        }
        Dispatchers.callOnLoop(main.dispatcher(), () -> {
          pusher.shutdown();
          return null;
        });
        pool.stop();
        main.stop();
      };
      if (stop.requested()) {
        tearDownWithin(CUT_TEARDOWN_MILLIS, tearDown);
      } else {
        tearDown.run();
      }
    }
    // Cut while setting up (arming a big timer storm, say): no load was offered.
    return cutBeforeLoad(scenario, pool, stop, wallStart);
  }

  /**
   * Runs {@code tearDown} on a thread of its own and waits for it at most {@code millis}. A loop
   * working through a backlog (a melted-down timer storm: every timer fires once more before the
   * loop can leave) may take longer than a cut run should; it then finishes in the background,
   * on a daemon thread that holds no process up. A failure within the wait is rethrown.
   */
  private static void tearDownWithin(long millis, Runnable tearDown) {
    Throwable[] failure = {null};
    Thread t = new Thread(() -> {
      try {
        tearDown.run();
      } catch (Throwable e) {
        failure[0] = e;
      }
    }, "kallisto-teardown");
    t.setDaemon(true);
    t.start();
    try {
      t.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Throwable f = t.isAlive() ? null : failure[0]; // join() orders the write before this read
    if (f instanceof RuntimeException) {
      throw (RuntimeException) f;
    }
    if (f instanceof Error) {
      throw (Error) f;
    }
  }

  /**
   * The summary of a run cut while it was being set up (arming a big timer storm, say): no load
   * was offered, so only the loops have anything to report.
   */
  private static RunSummary cutBeforeLoad(Scenario scenario, WorkerPool pool, RunStop stop,
      long wallStart) {
    long[] none = new long[pool.size()];
    List<WorkerSummary> workers = summarize(pool,
        i -> new WorkerCounters(pool.worker(i).name()), i -> 0, i -> 0, none, none, 0);
    return new RunSummary(scenario, Dispatchers.backend(), LoadResult.uncollected(0), workers, 0,
        0, 0, (System.nanoTime() - wallStart) / 1e9, null,
        new Interruption(stop.reason(), stop.requestedAtNanos(), 0,
            scenario.duration().toNanos(), false));
  }

  /** The cut {@code stop} made, for a load that started at {@code loadStart} (nanoTime). */
  private static Interruption interruption(Scenario scenario, RunStop stop, long loadStart,
      boolean collected) {
    long planned = scenario.duration().toNanos();
    long at = stop.requestedAtNanos();
    return new Interruption(stop.reason(), at, Math.max(0, Math.min(planned, at - loadStart)),
        planned, collected);
  }

  /**
   * Waits for the load to finish and returns its result; or null if {@code stop} was requested
   * and the load threads have not finished {@value #LOAD_CUT_MILLIS} ms later (a melted-down
   * run's loops can keep them off the cores for longer).
   */
  private static LoadResult await(Scenario scenario, LoadGenerator load, Listener listener,
      RunStop stop) {
    long duration = scenario.duration().toNanos();
    // Generous: the duration, the load generator's own drain allowance, and set-up slack.
    long limit = duration + TimeUnit.SECONDS.toNanos(60);
    try {
      while (!load.awaitDone(100, TimeUnit.MILLISECONDS)) {
        if (stop.requested() && System.nanoTime() - stop.requestedAtNanos()
            > TimeUnit.MILLISECONDS.toNanos(LOAD_CUT_MILLIS)) {
          return null;
        }
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
    // Cut, the load ran until the stop; the listener hears that, not the duration.
    listener.progress(stop.requested() ? Math.max(0, Math.min(duration,
        stop.requestedAtNanos() - load.startNanos())) : duration, duration, load.answered());
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
   * random over one interval so that they fire as a steady storm, not in lockstep. Every worker
   * arms its own share at once, in parallel; a stop ends the wait (and the arming, and the
   * storm) at once, and only the workers that had finished are returned.
   */
  private static List<List<Timer>> startTimerStorm(Scenario scenario, WorkerPool pool,
      RunStop stop) {
    List<List<Timer>> all = new ArrayList<>();
    if (scenario.timers().perWorker() == 0) {
      return all;
    }
    List<CompletableFuture<List<Timer>>> arming = new ArrayList<>();
    for (int w = 0; w < pool.size(); w++) {
      Dispatcher d = pool.worker(w).dispatcher();
      int index = w;
      CompletableFuture<List<Timer>> armed = new CompletableFuture<>();
      d.post(NamedTask.of("timer storm start", () -> {
        try {
          armed.complete(TimerStorms.arm(d, scenario, index, stop::requested));
        } catch (Throwable e) {
          armed.completeExceptionally(e);
        }
      }));
      arming.add(armed);
    }
    for (CompletableFuture<List<Timer>> armed : arming) {
      List<Timer> timers = awaitUnlessStopped(armed, stop);
      if (timers == null) {
        break;
      }
      all.add(timers);
    }
    return all;
  }

  /** {@code f}'s value, or null once {@code stop} is requested first. */
  private static <T> T awaitUnlessStopped(CompletableFuture<T> f, RunStop stop) {
    try (RunStop.Registration wake = stop.whenRequested(() -> f.complete(null))) {
      return f.join();
    } catch (CompletionException e) {
      throw GuardedRun.unwrapped(e);
    }
  }

  /** Disarms the storm, every worker at once. */
  private static void stopTimerStorm(WorkerPool pool, List<List<Timer>> storms) {
    List<Dispatcher> ds = workerDispatchers(pool).subList(0, storms.size());
    Dispatchers.runOnEach(ds, "timer storm stop", w -> storms.get(w).forEach(Timer::disable));
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
