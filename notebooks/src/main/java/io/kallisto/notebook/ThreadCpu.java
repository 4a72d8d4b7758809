package io.kallisto.notebook;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The CPU time threads actually used while a run was in its steady part, as cores: CPU seconds
 * per second of wall time. A loop's busy share is something else: the wall time it spent out of
 * its poll, which also counts the time its thread was runnable but waiting for a core. Only CPU
 * time says how many cores a group of threads got.
 *
 * <pre>{@code
 * ThreadCpu<Result> u = ThreadCpu.of(Experiment.of("baseline-echo").workers(4));
 * u.value().throughput();   // what the experiment measured
 * u.cores("worker-");       // cores the server's worker threads used, on average
 * u.cores("load-");         // the load generator's
 * u.machine();              // other processes and steal over the same window
 * u.table();                // one row per thread
 * }</pre>
 *
 * <p>How: the window opens {@code skip} after a thread named {@code trigger} first appears, and
 * reads the CPU time of every live thread ({@link ThreadMXBean#getThreadCpuTime}, the kernel's
 * per-thread CPU clock); then it reads them again every few milliseconds until {@code length}
 * has passed. The last reading at which every one of those threads was still alive closes the
 * window, so a run that ends early, or a sampler held off its core under load, gives a shorter
 * window, not a wrong one. Threads born inside the window are not counted.
 *
 * @param <T> what the measured task returns
 */
public final class ThreadCpu<T> {
  private static final long READ_EVERY_NANOS = 10_000_000L;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final T value;
  private final long windowNanos;
  private final Map<String, Long> cpuNanos;
  private final Machine.Conditions machine;

  private ThreadCpu(T value, long windowNanos, Map<String, Long> cpuNanos,
      Machine.Conditions machine) {
    this.value = value;
    this.windowNanos = windowNanos;
    this.cpuNanos = cpuNanos;
    this.machine = machine;
  }

  /**
   * Runs {@code experiment} and measures its threads from the end of its warm-up until shortly
   * before its load stops: the window opens when the load generator's first thread
   * ({@code load-0}) appears plus the warm-up, and lasts four fifths of the rest of the run (a reading
   * that comes late, on a loaded machine, stretches it a little).
   *
   * <pre>{@code ThreadCpu<Result> u = ThreadCpu.of(Experiment.of("baseline-echo").workers(2));}</pre>
   *
   * @throws IllegalStateException if the run has no steady part to measure
   */
  public static ThreadCpu<Result> of(Experiment experiment) {
    Duration warmup = experiment.scenario().warmup();
    Duration rest = experiment.scenario().duration().minus(warmup);
    try {
      return during(experiment::run, "load-0", warmup, rest.multipliedBy(4).dividedBy(5));
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e); // Experiment.run throws no checked exception
    }
  }

  /**
   * Runs {@code task} on the calling thread and measures, beside it, the CPU time of the threads
   * alive {@code skip} after a thread named {@code trigger} appeared, for up to {@code length}.
   *
   * <pre>{@code
   * ThreadCpu<Integer> u = ThreadCpu.during(() -> spinTwoThreads(), "spin-0",
   *     Duration.ofMillis(50), Duration.ofMillis(200));
   * u.cores("spin-");
   * }</pre>
   *
   * @throws IllegalStateException if no thread named {@code trigger} appeared while the task ran,
   *     or the task ended before the window could open
   * @throws UnsupportedOperationException if this JVM cannot read threads' CPU time
   * @throws Exception what the task throws
   */
  public static <T> ThreadCpu<T> during(Callable<T> task, String trigger, Duration skip,
      Duration length) throws Exception {
    if (!THREADS.isThreadCpuTimeSupported()) {
      throw new UnsupportedOperationException("this JVM cannot measure threads' CPU time");
    }
    if (!THREADS.isThreadCpuTimeEnabled()) {
      THREADS.setThreadCpuTimeEnabled(true);
    }
    FutureTask<T> run = new FutureTask<>(task);
    Sampler sampler = new Sampler(run, trigger, skip.toNanos(), length.toNanos());
    Thread t = new Thread(sampler, "thread-cpu-sampler");
    t.setDaemon(true);
    t.start();
    run.run();
    t.join();
    T value;
    try {
      value = run.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception) {
        throw (Exception) cause;
      }
      throw (Error) cause;
    }
    if (sampler.problem != null) {
      throw new IllegalStateException(sampler.problem);
    }
    return new ThreadCpu<>(value, sampler.windowNanos, sampler.used,
        Machine.between(sampler.machineStart, sampler.machineEnd));
  }

  /** What the task returned. */
  public T value() {
    return value;
  }

  /** How long the measured window lasted. */
  public Duration window() {
    return Duration.ofNanos(windowNanos);
  }

  /**
   * The cores that threads whose names start with {@code prefix} used together, on average over
   * the window: their CPU time divided by the window's wall time. 0 if none matched.
   *
   * <pre>{@code u.cores("worker-");   // 1.3: the workers kept 1.3 cores busy}</pre>
   */
  public double cores(String prefix) {
    long sum = 0;
    for (Map.Entry<String, Long> e : cpuNanos.entrySet()) {
      if (e.getKey().startsWith(prefix)) {
        sum += e.getValue();
      }
    }
    return (double) sum / windowNanos;
  }

  /** The cores every thread of this JVM that lived through the window used together. */
  public double cores() {
    return cores("");
  }

  /** The machine over the window: other processes' cores, steal, load. */
  public Machine.Conditions machine() {
    return machine;
  }

  /** One row per thread that used CPU in the window: its name, CPU ms, and cores. */
  public Table table() {
    Table t = Table.of("thread", "cpu ms", "cores");
    cpuNanos.forEach((name, ns) -> {
      if (ns > 0) {
        t.row(name, ns / 1e6, (double) ns / windowNanos);
      }
    });
    return t;
  }

  @Override
  public String toString() {
    return "ThreadCpu[" + Numbers.millis(windowNanos) + " window, " + Numbers.plain(cores())
        + " cores in all]";
  }

  /** Watches for the trigger thread, then reads CPU clocks through the window. */
  private static final class Sampler implements Runnable {
    private final FutureTask<?> run;
    private final String trigger;
    private final long skip;
    private final long length;
    private volatile String problem;
    private long windowNanos;
    private Map<String, Long> used = new LinkedHashMap<>();
    private Machine.Sample machineStart;
    private Machine.Sample machineEnd;

    Sampler(FutureTask<?> run, String trigger, long skip, long length) {
      this.run = run;
      this.trigger = trigger;
      this.skip = skip;
      this.length = length;
    }

    @Override
    public void run() {
      long seen = -1;
      while (seen < 0) {
        if (run.isDone()) {
          problem = "no thread named '" + trigger + "' appeared while the task ran";
          return;
        }
        for (Thread t : liveThreads()) {
          if (t.getName().equals(trigger)) {
            seen = System.nanoTime();
            break;
          }
        }
        if (seen < 0) {
          sleepNanos(1_000_000L);
        }
      }
      sleepNanos(seen + skip - System.nanoTime());
      List<Thread> threads = liveThreads();
      long[] start = new long[threads.size()];
      machineStart = Machine.sample();
      long before = System.nanoTime();
      for (int i = 0; i < start.length; i++) {
        start[i] = THREADS.getThreadCpuTime(threads.get(i).getId());
      }
      long opened = before + (System.nanoTime() - before) / 2; // the readings' midpoint
      if (run.isDone()) {
        problem = "the task ended before the window " + Numbers.millis(skip) + " after '"
            + trigger + "' appeared could open; measure a longer run";
        return;
      }
      long[] last = null;
      long closed = opened;
      Machine.Sample lastMachine = machineStart;
      long end = opened + length;
      while (true) {
        long now = System.nanoTime();
        if (now >= end || run.isDone()) {
          break;
        }
        sleepNanos(Math.min(READ_EVERY_NANOS, end - now));
        long readAt = System.nanoTime();
        long[] reading = new long[start.length];
        boolean allAlive = true;
        for (int i = 0; i < reading.length && allAlive; i++) {
          reading[i] = start[i] < 0 ? -1 : THREADS.getThreadCpuTime(threads.get(i).getId());
          allAlive = start[i] < 0 || reading[i] >= 0;
        }
        long at = readAt + (System.nanoTime() - readAt) / 2;
        if (!allAlive) {
          break; // the run is ending: keep the last complete reading
        }
        last = reading;
        closed = at;
        lastMachine = Machine.sample();
      }
      if (last == null) {
        problem = "the threads ended before a reading " + Numbers.millis(READ_EVERY_NANOS)
            + " into the window; measure a longer run";
        return;
      }
      for (int i = 0; i < start.length; i++) {
        if (start[i] >= 0) {
          used.merge(threads.get(i).getName(), last[i] - start[i], Long::sum);
        }
      }
      windowNanos = Math.max(1, closed - opened);
      machineEnd = lastMachine;
    }

    private static List<Thread> liveThreads() {
      ThreadGroup root = Thread.currentThread().getThreadGroup();
      while (root.getParent() != null) {
        root = root.getParent();
      }
      Thread[] all = new Thread[root.activeCount() + 16];
      int n;
      while ((n = root.enumerate(all, true)) == all.length) {
        all = new Thread[all.length * 2];
      }
      List<Thread> live = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        if (all[i].isAlive()) {
          live.add(all[i]);
        }
      }
      return live;
    }

    private static void sleepNanos(long nanos) {
      if (nanos <= 0) {
        return;
      }
      try {
        Thread.sleep(nanos / 1_000_000L, (int) (nanos % 1_000_000L));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
