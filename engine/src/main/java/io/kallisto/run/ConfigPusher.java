package io.kallisto.run;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.DispatcherStats;
import io.kallisto.event.Timer;
import io.kallisto.threadlocal.Slot;
import io.kallisto.threadlocal.ThreadLocalInstance;
import io.kallisto.trace.NamedTask;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The main thread's side of a scenario's configuration pushes: every period a new version goes
 * into a thread-local {@link Slot} on every worker, and the time until the last worker holds it
 * is measured on the main loop's clock (real or virtual). Created on the main loop, which makes
 * that loop's thread the thread-local instance's main thread; every method runs on the main
 * loop.
 *
 * <pre>{@code
 * ConfigPusher p = new ConfigPusher(main, workerDispatchers);   // on main's loop
 * p.startPushing(Duration.ofMillis(50).toNanos());
 * ...
 * p.stopPushing();
 * Histogram h = p.propagation();
 * p.shutdown();
 * }</pre>
 */
public final class ConfigPusher {
  /** A configuration version, as workers hold it in their slot. */
  public record ConfigVersion(long version) {}

  private final Dispatcher main;
  private final List<Dispatcher> workers;
  private final ThreadLocalInstance tls = ThreadLocalInstance.create();
  private final Slot<ConfigVersion> config;
  private final Histogram propagation = new Histogram(TimeUnit.MINUTES.toNanos(1), 3);
  private Timer pushTimer;
  private long version = 1;
  private long periodNanos;

  /** Registers {@code main} and the workers and gives every one version 1. */
  public ConfigPusher(Dispatcher main, List<Dispatcher> workers) {
    this.main = main;
    this.workers = List.copyOf(workers);
    tls.registerThread(main, true);
    for (Dispatcher w : this.workers) {
      tls.registerThread(w, false);
    }
    config = tls.allocateSlot("config");
    config.set(d -> new ConfigVersion(1));
  }

  /** Pushes a new version every {@code every} nanoseconds from now on. */
  public void startPushing(long every) {
    periodNanos = every;
    pushTimer = main.createTimer(NamedTask.of("config push", this::push));
    pushTimer.enableAt(main.now() + periodNanos);
  }

  private void push() {
    long v = ++version;
    long start = main.now();
    config.set(d -> new ConfigVersion(v));
    // Completion runs once every worker has run what was posted after the set: all hold v.
    config.runOnAllThreads(c -> { }, () -> propagation.recordValue(main.now() - start));
    pushTimer.enableAt(start + periodNanos);
  }

  /** Stops pushing. */
  public void stopPushing() {
    if (pushTimer != null) {
      pushTimer.disable();
    }
  }

  /** A copy of the push-to-every-worker times so far, ns. */
  public Histogram propagation() {
    return propagation.copy();
  }

  /** Stops, then has every thread destroy its value (workers by a post). */
  public void shutdown() {
    stopPushing();
    tls.shutdownGlobalThreading();
    tls.shutdownThread();
    for (Dispatcher w : workers) {
      w.post(NamedTask.of("slot shutdown", tls::shutdownThread));
    }
  }

  /** A propagation histogram's median in µs, 0 if empty. */
  public static double p50Micros(Histogram h) {
    return DispatcherStats.micros(h, 50);
  }

  /** A propagation histogram's maximum in µs, 0 if empty. */
  public static double maxMicros(Histogram h) {
    return h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1000.0;
  }
}
