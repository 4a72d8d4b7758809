package io.kallisto.load;

import io.kallisto.event.DispatcherFactory;
import io.kallisto.event.Dispatchers;
import io.kallisto.event.Worker;
import io.kallisto.scenario.Scenario.LoopMode;
import io.kallisto.scenario.Scenario.RequestMix;
import io.kallisto.scenario.Scenario;
import io.kallisto.trace.NamedTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * Offers a scenario's workload to a server on 127.0.0.1 from threads of its own, each with its
 * own event loop and connections, and measures every response's latency into HdrHistogram.
 *
 * <ul>
 *   <li><b>Closed loop</b>: each connection keeps {@code outstanding} requests in flight, sending
 *       the next as a response arrives. Load adapts to the server, so latency is measured from
 *       the send.
 *   <li><b>Open loop</b>: requests are due on a schedule (evenly spaced or Poisson) whatever the
 *       server does, spread round robin over the connections. Latency is measured from when each
 *       request was <em>due</em>, so time a stalled server kept requests waiting is counted
 *       instead of hidden: the correction for coordinated omission (Gil Tene, wrk2).
 * </ul>
 *
 * <p>Bounded: sending stops at the scenario's duration or after {@code maxRequests}, whichever is
 * first; requests still out are given a drain period, then counted as unanswered.
 *
 * <p>Every method is safe from any thread.
 *
 * <pre>{@code
 * LoadGenerator load = LoadGenerator.start(server.port(), scenario);
 * load.awaitDone(1, TimeUnit.MINUTES);
 * LoadResult r = load.result();
 * }</pre>
 */
public final class LoadGenerator implements AutoCloseable {
  private final List<LoadThread> threads = new ArrayList<>();
  private final CountDownLatch done;
  private final long start;
  private final long durationNanos;

  private LoadGenerator(Scenario scenario, LoadConnector connector,
      Function<String, Worker> workers) {
    Scenario.Workload w = scenario.workload();
    int n = Math.min(scenario.loadThreads(), w.connections());
    done = new CountDownLatch(n);
    AtomicLong budget = w.maxRequests() > 0 ? new AtomicLong(w.maxRequests()) : null;
    for (int i = 0; i < n; i++) {
      int share = w.connections() / n + (i < w.connections() % n ? 1 : 0);
      Worker worker = workers.apply("load-" + i);
      threads.add(new LoadThread(i, worker, scenario, share, connector, budget, done, n));
    }
    for (LoadThread t : threads) {
      t.worker.start();
    }
    for (LoadThread t : threads) {
      t.worker.awaitReady();
    }
    durationNanos = scenario.duration().toNanos();
    long warmup = scenario.warmup().toNanos();
    long drain = drainNanos(scenario);
    start = threads.get(0).dispatcher.now();
    for (LoadThread t : threads) {
      t.dispatcher.post(NamedTask.of("load start", () -> {
        try {
          t.begin(start, warmup, durationNanos, drain);
        } catch (RuntimeException e) {
          t.failed(e);
        }
      }));
    }
  }

  /**
   * Connects to 127.0.0.1:{@code port} and starts offering {@code scenario}'s workload. Returns
   * once the load threads are running; the load itself starts at once.
   */
  public static LoadGenerator start(int port, Scenario scenario) {
    return start(port, scenario, Dispatchers.best());
  }

  /** As {@link #start(int, Scenario)}, with the load threads' dispatchers from {@code factory}. */
  public static LoadGenerator start(int port, Scenario scenario, DispatcherFactory factory) {
    return start(scenario, LoadConnector.tcp(port), name -> Worker.create(name, factory));
  }

  /**
   * Starts offering {@code scenario}'s workload through {@code connector}, on load threads that
   * {@code workers} makes (given their names, {@code load-<i>}; created, not started: the
   * generator starts and, at {@link #close()}, stops them). How a simulated run reuses the
   * generator: simulated workers and simulated connections, the same load logic.
   */
  public static LoadGenerator start(Scenario scenario, LoadConnector connector,
      Function<String, Worker> workers) {
    return new LoadGenerator(scenario, connector, workers);
  }

  /**
   * How long requests still out when sending stops may take: two seconds plus the longest mean
   * service time times the requests that could queue behind one another on a connection.
   */
  static long drainNanos(Scenario scenario) {
    long longest = 0;
    for (RequestMix m : scenario.workload().mix()) {
      longest = Math.max(longest, m.service().mean().toNanos());
    }
    int queued = scenario.workload().loop() == LoopMode.CLOSED
        ? scenario.workload().outstanding() : 64;
    return Duration.ofSeconds(2).toNanos() + Math.min(longest * queued * 4,
        Duration.ofSeconds(30).toNanos());
  }

  /** A histogram for nanosecond latencies up to an hour, at three significant digits. */
  static Histogram newHistogram() {
    return new Histogram(TimeUnit.HOURS.toNanos(1), 3);
  }

  /** Responses received so far, over all threads. */
  public long answered() {
    long sum = 0;
    for (LoadThread t : threads) {
      sum += t.answeredCount.get();
    }
    return sum;
  }

  /** Nanoseconds since the load started, on the load threads' clock. */
  public long elapsedNanos() {
    return threads.get(0).dispatcher.now() - start;
  }

  /**
   * The load's start on the load threads' dispatcher clock: {@link System#nanoTime()} for a
   * real run, virtual time for a simulated one.
   */
  public long startNanos() {
    return start;
  }

  /** Waits until every thread has stopped sending and drained; false on timeout. */
  public boolean awaitDone(long timeout, TimeUnit unit) throws InterruptedException {
    return done.await(timeout, unit);
  }

  /** True once every thread is done. */
  public boolean isDone() {
    return done.getCount() == 0;
  }

  /**
   * The merged result. Call after {@link #awaitDone} returned true.
   *
   * @throws IllegalStateException if the run is not done
   */
  public LoadResult result() {
    if (!isDone()) {
      throw new IllegalStateException("the load generator is still running; awaitDone() first");
    }
    Histogram latency = newHistogram();
    Histogram service = newHistogram();
    long sent = 0;
    long answered = 0;
    long measured = 0;
    long corrupt = 0;
    long unanswered = 0;
    long skipped = 0;
    long lost = 0;
    String firstLoss = null;
    String stoppedBy = "duration";
    long window = 0;
    for (LoadThread t : threads) {
      latency.add(t.latency);
      service.add(t.serviceLatency);
      sent += t.sent;
      answered += t.answeredCount.get();
      measured += t.measured;
      corrupt += t.corrupt;
      unanswered += t.unanswered;
      skipped += t.skipped;
      lost += t.connectionsLost;
      if (firstLoss == null) {
        firstLoss = t.firstLoss;
      }
      if (t.stoppedBy.equals("request limit") && !stoppedBy.equals(LoadResult.INTERRUPTED)
          || t.stoppedBy.equals(LoadResult.INTERRUPTED)) {
        stoppedBy = t.stoppedBy; // a cut anywhere marks the whole load as cut
      }
      window = Math.max(window, t.stoppedAt - t.measureFrom);
    }
    return new LoadResult(sent, answered, measured, window, latency, service, corrupt, unanswered,
        skipped, lost, firstLoss, stoppedBy);
  }

  /**
   * Cuts the load short: every thread stops sending, gives up on what is still out, closes its
   * connections and is done, so that {@link #awaitDone} returns and {@link #result()} says
   * {@value LoadResult#INTERRUPTED}. Returns at once. Safe from any thread for a real run; for a
   * simulated one, call it on the simulation's thread, as every other method.
   */
  public void interrupt() {
    for (LoadThread t : threads) {
      try {
        t.dispatcher.post(NamedTask.of("load interrupt", t::interrupt));
      } catch (IllegalStateException stopped) {
        // Stopped already: nothing left to cut.
      }
    }
  }

  /** Ends the run where it is (closing connections) and stops the load threads. Idempotent. */
  @Override
  public void close() {
    for (LoadThread t : threads) {
      try {
        t.dispatcher.post(NamedTask.of("load finish", t::finish));
      } catch (IllegalStateException stopped) {
        // Stopped already: its connections closed with it.
      }
      t.worker.stop();
    }
  }
}
