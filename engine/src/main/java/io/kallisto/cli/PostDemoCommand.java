package io.kallisto.cli;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.DispatcherStats;
import io.kallisto.event.Dispatchers;
import io.kallisto.event.RunType;
import io.kallisto.event.Timer;
import io.kallisto.event.WorkerPool;
import io.kallisto.run.RunStop;
import io.kallisto.threadlocal.Slot;
import io.kallisto.threadlocal.ThreadLocalInstance;
import io.kallisto.trace.NamedTask;
import io.kallisto.trace.TraceEnd;
import io.kallisto.trace.TraceOptions;
import io.kallisto.trace.TraceSummary;
import io.kallisto.trace.Tracing;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExitCodeGenerator;
import picocli.CommandLine.Option;

/**
 * The Phase 1.1 walkthrough, without sockets: a WorkerPool with real epoll loops takes requests by post, runs a 1 ms timer on
 * every worker and receives a configuration push through a thread-local slot, then prints what
 * each loop did. SIGINT and SIGTERM stop it early: what ran is printed and traced, marked as
 * interrupted, and it exits with 130 or 143 (see {@link Interrupts}).
 */
@Command(
    name = "post-demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the post() walkthrough: a WorkerPool takes requests by post(), ticks a 1 ms timer on",
      "every worker and receives a config push through a thread-local slot; then it prints",
      "per-worker counts and loop statistics (Envoy's loop_duration and poll_delay)."
    })
public final class PostDemoCommand implements Runnable, IExitCodeGenerator {
  private static final long MAX_IN_FLIGHT = 1024;

  private int exitCode;

  @Option(names = "--workers", description = "Worker threads; 0 means one per core (default: ${DEFAULT-VALUE}).")
  int workers = 0;

  @Option(names = "--requests", description = "Requests to dispatch round robin (default: ${DEFAULT-VALUE}).")
  long requests = 200_000;

  @Option(names = "--work-us", description = "CPU work per request in microseconds (default: ${DEFAULT-VALUE}).")
  int workMicros = 2;

  @Option(names = "--timeout", description = "Give up after this many seconds (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds = 60;

  @Option(names = "--trace", paramLabel = "FILE",
      description = "Record a trace of the run to FILE (.ktrace); see 'kallisto trace'.")
  Path trace;

  /** Record of the configuration each worker holds in its slot. */
  private static final class Config {
    final int version;

    Config(int version) {
      this.version = version;
    }
  }

  @Override
  public void run() {
    validate();
    new FileArguments().output("--trace", trace).check();
    // SIGINT and SIGTERM stop the requests; what ran is still printed and traced, whole.
    try (Interrupts interrupts = Interrupts.catchSignals("kallisto post-demo")) {
      runAndTrace(interrupts.stop());
      exitCode = interrupts.exitCode();
    }
  }

  /** 0, or 130 / 143 when SIGINT / SIGTERM cut the demo short. */
  @Override
  public int getExitCode() {
    return exitCode;
  }

  private void runAndTrace(RunStop stop) {
    if (trace == null) {
      runDemo(stop);
      return;
    }
    try {
      Tracing.start(trace, TraceOptions.defaults().scenario("post-demo").command(commandLine()));
    } catch (UncheckedIOException e) {
      throw new UserError("--trace: " + e.getMessage());
    }
    TraceEnd end = null;
    try {
      end = runDemo(stop);
    } finally {
      // Whatever happened, what was recorded reaches the file, and its end says how it ended.
      TraceSummary written = Tracing.stop(end);
      System.out.println("trace: " + written);
    }
  }

  private String commandLine() {
    return "kallisto post-demo --workers " + workers + " --requests " + requests + " --work-us "
        + workMicros;
  }

  /**
   * Runs the demo until every request ran or {@code stop} is requested. Returns the trace's end:
   * null (complete) or where it was cut.
   */
  private TraceEnd runDemo(RunStop stop) {
    PrintStream out = System.out;
    WorkerPool pool = WorkerPool.create(workers);
    Dispatcher main = Dispatchers.create("main");
    ThreadLocalInstance tls = ThreadLocalInstance.create();
    tls.registerThread(main, true);
    for (int i = 0; i < pool.size(); i++) {
      tls.registerThread(pool.worker(i).dispatcher(), false);
    }
    Slot<Config> config = tls.allocateSlot("config");
    config.set(d -> new Config(1));

    out.printf(Locale.ROOT, "Kallisto post demo: %d workers on epoll, %,d requests of ~%d us each,"
        + " a 1 ms timer per worker, one config push mid-run%n", pool.size(), requests,
        workMicros);
    pool.start();
    List<AtomicLong> ticks = startTickers(pool);

    LongAdder done = new LongAdder();
    LongAdder sawNewConfig = new LongAdder();
    CountDownLatch allDone = new CountDownLatch(1);
    long workNanos = workMicros * 1000L;
    Runnable request = NamedTask.of("post-demo request", () -> {
      burn(workNanos);
      if (config.get().version == 2) {
        sawNewConfig.increment();
      }
      done.increment();
      if (done.sum() == requests) {
        allDone.countDown();
      }
    });

    long start = System.nanoTime();
    Progress progress = new Progress(System.err, "requests", requests);
    long pushAt = requests / 2;
    long pushNanos = 0;
    long dispatched = 0;
    for (; dispatched < requests && !stop.requested(); dispatched++) {
      if (dispatched == pushAt) {
        pushNanos = pushConfig(config, main);
      }
      // Back-pressure, as a load balancer would apply it: keep the queues short so that
      // timers and the config push are not stuck behind a wall of requests.
      while (dispatched - done.sum() >= MAX_IN_FLIGHT && !stop.requested()) {
        LockSupport.parkNanos(20_000);
        progress.update(done.sum());
      }
      pool.dispatch(request);
    }
    try {
      while (!stop.requested() && !allDone.await(100, TimeUnit.MILLISECONDS)) {
        progress.update(done.sum());
        if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(timeoutSeconds)) {
          throw new UserError("post-demo did not finish within --timeout=" + timeoutSeconds
              + "s: " + done.sum() + " of " + requests + " requests ran");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("post-demo interrupted");
    }
    long stoppedAt = System.nanoTime();
    boolean cut = stop.requested() && done.sum() < requests;
    progress.finish(done.sum());
    // Stopping drains what was dispatched: at most MAX_IN_FLIGHT short requests.
    pool.stop();
    tls.shutdownGlobalThreading();
    tls.shutdownThread();
    main.close();

    long ran = done.sum();
    double seconds = ((cut ? stop.requestedAtNanos() : stoppedAt) - start) / 1e9;
    if (cut) {
      out.printf(Locale.ROOT, "%ninterrupted after %.2f s (%s): %,d of %,d requests ran (%,.0f/s)"
          + "; the figures below cover only what ran%n", seconds, stop.reason(), ran, requests,
          ran / seconds);
      out.printf(Locale.ROOT, pushNanos > 0 ? "config v2 reached every worker in %.1f us and was"
          + " seen by %,d requests%n%n" : "the config push (due halfway) never ran%n%n",
          pushNanos / 1000.0, sawNewConfig.sum());
    } else {
      out.printf(Locale.ROOT, "%n%,d requests in %.2f s (%,.0f/s); config v2 reached every worker"
          + " in %.1f us and was seen by %,d requests%n%n", requests, seconds, requests / seconds,
          pushNanos / 1000.0, sawNewConfig.sum());
    }
    printTable(out, pool, ticks);
    out.flush();
    // The trace's clock is System.nanoTime() on a real run; the demo has no planned length.
    return cut ? TraceEnd.interrupted(stop.requestedAtNanos(), stop.reason(), 0,
        stop.requestedAtNanos() - start) : null;
  }

  private void validate() {
    if (requests < 1 || requests > 1_000_000_000L) {
      throw new UserError("--requests=" + requests + " is out of range; use 1 to 1000000000");
    }
    if (workers < 0 || workers > 1024) {
      throw new UserError("--workers=" + workers + " is out of range; use 0 (one per core) to 1024");
    }
    if (workMicros < 0 || workMicros > 1_000_000) {
      throw new UserError("--work-us=" + workMicros + " is out of range; use 0 to 1000000");
    }
    if (timeoutSeconds < 1) {
      throw new UserError("--timeout=" + timeoutSeconds + " must be at least 1 second");
    }
  }

  /** A timer on each worker that re-arms itself every millisecond until the worker stops. */
  private static List<AtomicLong> startTickers(WorkerPool pool) {
    List<AtomicLong> ticks = new ArrayList<>();
    Duration period = Duration.ofMillis(1);
    for (int i = 0; i < pool.size(); i++) {
      AtomicLong count = new AtomicLong();
      ticks.add(count);
      Dispatcher d = pool.worker(i).dispatcher();
      d.post(NamedTask.of("post-demo ticker start", () -> {
        Timer[] self = new Timer[1];
        self[0] = d.createTimer(NamedTask.of("post-demo tick", () -> {
          count.incrementAndGet();
          self[0].enable(period);
        }));
        self[0].enable(period);
      }));
    }
    return ticks;
  }

  /** Sets config v2 everywhere and waits on the main loop for the completion; returns nanos. */
  private static long pushConfig(Slot<Config> config, Dispatcher main) {
    long t0 = System.nanoTime();
    config.set(d -> new Config(2));
    long[] elapsed = new long[1];
    config.runOnAllThreads(c -> { }, () -> {
      elapsed[0] = System.nanoTime() - t0;
      main.exit();
    });
    main.run(RunType.RUN_UNTIL_EXIT);
    return elapsed[0];
  }

  private static void burn(long nanos) {
    long end = System.nanoTime() + nanos;
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
  }

  private static void printTable(PrintStream out, WorkerPool pool, List<AtomicLong> ticks) {
    String header = String.format(Locale.ROOT, "%-10s %10s %10s %8s %11s %9s %9s %9s %9s %9s %7s",
        "worker", "requests", "posts run", "timers", "iterations", "wakeups", "avoided",
        "loop p50", "loop p99", "poll p99", "errors");
    out.println(header);
    out.println(String.format(Locale.ROOT, "%-10s %10s %10s %8s %11s %9s %9s %9s %9s %9s %7s",
        "", "", "", "", "", "written", "", "(us)", "(us)", "(us)", ""));
    out.println("-".repeat(header.length()));
    long requests = 0;
    for (int i = 0; i < pool.size(); i++) {
      DispatcherStats s = pool.worker(i).dispatcher().stats();
      requests += pool.worker(i).requestCount();
      out.println(String.format(Locale.ROOT,
          "%-10s %,10d %,10d %,8d %,11d %,9d %,9d %9.1f %9.1f %9.1f %7d",
          s.name(), pool.worker(i).requestCount(), s.postsRun(), s.timersFired(),
          s.iterations(), s.wakeupsWritten(), s.wakeupsAvoided(),
          DispatcherStats.micros(s.loopDuration(), 50), DispatcherStats.micros(s.loopDuration(), 99),
          DispatcherStats.micros(s.pollDelay(), 99), s.callbackErrors()));
    }
    out.println("-".repeat(header.length()));
    out.println(String.format(Locale.ROOT, "%-10s %,10d  (timers ticked %s)", "total", requests,
        ticks.stream().map(a -> String.format(Locale.ROOT, "%,d", a.get()))
            .reduce((a, b) -> a + " / " + b).orElse("-")));
    out.println();
    out.println("posts run includes the pool's own start/stop and config-push posts;"
        + " 'avoided' counts posts that needed no eventfd write because the loop was awake.");
  }
}
