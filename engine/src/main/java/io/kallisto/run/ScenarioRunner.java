package io.kallisto.run;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.DispatcherStats;
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
import io.kallisto.scenario.Scenario;
import io.kallisto.threadlocal.Slot;
import io.kallisto.threadlocal.ThreadLocalInstance;
import io.kallisto.trace.TraceOptions;
import io.kallisto.trace.TraceSummary;
import io.kallisto.trace.Tracing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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

  /** A configuration version, as workers hold it in their slot. */
  public record ConfigVersion(long version) {}

  /**
   * Runs {@code scenario}, tracing into {@code trace} when it is not null (or into a file named
   * after the scenario when the scenario asks for tracing and {@code trace} is null).
   *
   * @param command the command line, recorded in the trace's header
   * @throws io.kallisto.event.NativeException if the server cannot listen, naming the call
   * @throws java.io.UncheckedIOException if the trace file cannot be written
   */
  public RunSummary run(Scenario scenario, Path trace, String command, Listener listener) {
    Path traceFile = trace != null ? trace
        : scenario.tracing() ? Path.of(scenario.name() + ".ktrace") : null;
    long wallStart = System.nanoTime();
    if (traceFile == null) {
      return runTraced(scenario, null, listener, wallStart);
    }
    Tracing.start(traceFile, TraceOptions.defaults().scenario(scenario.name())
        .seed(scenario.seed()).command(command).fact("backend", Dispatchers.backend()));
    TraceSummary written = null;
    try {
      RunSummary s = runTraced(scenario, null, listener, wallStart);
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

  private RunSummary runTraced(Scenario scenario, TraceSummary none, Listener listener,
      long wallStart) {
    WorkerPool pool = WorkerPool.create(scenario.workers());
    // Not "main": that is the JVM's first thread, which traces too (it starts the run).
    Worker main = Worker.create("main-loop", Dispatchers.best());
    main.start();
    main.awaitReady();
    ConfigPusher pusher = Dispatchers.callOnLoop(main.dispatcher(),
        () -> new ConfigPusher(main.dispatcher(), pool));
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
        Dispatchers.callOnLoop(main.dispatcher(), () -> pusher.startPushing(every));
      }
      long[] busyBefore = busy(pool);
      load = LoadGenerator.start(server.port(), scenario);
      LoadResult result = await(scenario, load, listener);
      long window = load.elapsedNanos();
      long[] busyAfter = busy(pool);
      Dispatchers.callOnLoop(main.dispatcher(), pusher::stopPushing);
      dog.close();
      List<WorkerSummary> workers = summarize(pool, server, dog, busyBefore, busyAfter, window);
      Histogram propagation = pusher.propagation();
      return new RunSummary(scenario, Dispatchers.backend(), result, workers,
          propagation.getTotalCount(),
          micros(propagation, 50), propagation.getTotalCount() == 0 ? 0
              : propagation.getMaxValue() / 1000.0,
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
    ConnectionBalancer balancer;
    switch (l.balance()) {
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
    return Server.singleAcceptor(pool, balancer, RequestServerHandler::new);
  }

  /**
   * {@code perWorker} self-re-arming timers on every worker, their first deadlines spread at
   * random over one interval so that they fire as a steady storm, not in lockstep.
   */
  private static List<List<Timer>> startTimerStorm(Scenario scenario, WorkerPool pool) {
    List<List<Timer>> all = new ArrayList<>();
    int n = scenario.timers().perWorker();
    if (n == 0) {
      return all;
    }
    Duration interval = scenario.timers().interval();
    long intervalNanos = interval.toNanos();
    for (int w = 0; w < pool.size(); w++) {
      Dispatcher d = pool.worker(w).dispatcher();
      SplittableRandom random = new SplittableRandom(scenario.seed() + w);
      all.add(Dispatchers.callOnLoop(d, () -> {
        List<Timer> timers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          Timer[] self = new Timer[1];
          self[0] = d.createTimer(() -> self[0].enable(interval));
          self[0].enableAt(d.now() + random.nextLong(intervalNanos));
          timers.add(self[0]);
        }
        return timers;
      }));
    }
    return all;
  }

  private static void stopTimerStorm(WorkerPool pool, List<List<Timer>> storms) {
    for (int w = 0; w < storms.size(); w++) {
      List<Timer> timers = storms.get(w);
      Dispatchers.callOnLoop(pool.worker(w).dispatcher(), () -> {
        timers.forEach(Timer::disable);
        return null;
      });
    }
  }

  private static List<Dispatcher> workerDispatchers(WorkerPool pool) {
    List<Dispatcher> ds = new ArrayList<>();
    for (int i = 0; i < pool.size(); i++) {
      ds.add(pool.worker(i).dispatcher());
    }
    return ds;
  }

  private static long[] busy(WorkerPool pool) {
    long[] b = new long[pool.size()];
    for (int i = 0; i < b.length; i++) {
      b[i] = pool.worker(i).dispatcher().stats().busyNanos();
    }
    return b;
  }

  private static List<WorkerSummary> summarize(WorkerPool pool, Server server, GuardDog dog,
      long[] busyBefore, long[] busyAfter, long window) {
    List<WorkerSummary> rows = new ArrayList<>();
    for (int i = 0; i < pool.size(); i++) {
      DispatcherStats s = pool.worker(i).dispatcher().stats();
      double busy = window <= 0 ? 0 : 100.0 * (busyAfter[i] - busyBefore[i]) / window;
      rows.add(new WorkerSummary(s.name(), server.counters(i).requests(),
          server.counters(i).acceptedConnections(), Math.min(100, busy),
          micros(s.loopDuration(), 50), micros(s.loopDuration(), 99),
          s.loopDuration().getMaxValue() / 1000.0, micros(s.pollDelay(), 50),
          micros(s.pollDelay(), 99), s.wakeupsWritten(), s.wakeupsAvoided(), s.timersFired(),
          dog.misses(i), dog.megaMisses(i), s.callbackErrors()));
    }
    return rows;
  }

  private static double micros(Histogram h, double percentile) {
    return DispatcherStats.micros(h, percentile);
  }

  /**
   * The main thread's side of configuration pushes: created on the main loop, which makes that
   * loop's thread the thread-local instance's main thread. Every method runs on the main loop.
   */
  private static final class ConfigPusher {
    private final Dispatcher main;
    private final WorkerPool pool;
    private final ThreadLocalInstance tls = ThreadLocalInstance.create();
    private final Slot<ConfigVersion> config;
    private final Histogram propagation = new Histogram(TimeUnit.MINUTES.toNanos(1), 3);
    private Timer pushTimer;
    private long version = 1;
    private long periodNanos;

    ConfigPusher(Dispatcher main, WorkerPool pool) {
      this.main = main;
      this.pool = pool;
      tls.registerThread(main, true);
      for (int i = 0; i < pool.size(); i++) {
        tls.registerThread(pool.worker(i).dispatcher(), false);
      }
      config = tls.allocateSlot();
      config.set(d -> new ConfigVersion(1));
    }

    Void startPushing(long every) {
      periodNanos = every;
      pushTimer = main.createTimer(this::push);
      pushTimer.enableAt(main.now() + periodNanos);
      return null;
    }

    private void push() {
      long v = ++version;
      long start = System.nanoTime();
      config.set(d -> new ConfigVersion(v));
      // Completion runs once every worker has run what was posted after the set: all hold v.
      config.runOnAllThreads(c -> { }, () -> propagation.recordValue(System.nanoTime() - start));
      pushTimer.enableAt(start + periodNanos);
    }

    Void stopPushing() {
      if (pushTimer != null) {
        pushTimer.disable();
      }
      return null;
    }

    Histogram propagation() {
      return Dispatchers.callOnLoop(main, propagation::copy);
    }

    void shutdown() {
      stopPushing();
      tls.shutdownGlobalThreading();
      tls.shutdownThread();
      for (int i = 0; i < pool.size(); i++) {
        pool.worker(i).dispatcher().post(tls::shutdownThread);
      }
    }
  }
}
