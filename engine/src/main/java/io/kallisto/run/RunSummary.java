package io.kallisto.run;

import io.kallisto.load.LoadResult;
import io.kallisto.scenario.Scenario;
import io.kallisto.trace.TraceSummary;
import java.util.List;

/**
 * Everything a scenario run measured: the load generator's view (throughput, latency) and each
 * worker's (requests, connections, busy time, loop statistics, watchdog).
 *
 * @param scenario the scenario as run (overrides applied)
 * @param backend what ran it: {@code "epoll"}, {@code "nio"} (see
 *     {@link io.kallisto.event.Dispatchers#backend()})
 * @param load what the load generator measured
 * @param workers one entry per server worker
 * @param configPushes configuration versions pushed to every worker
 * @param configPropagationP50Micros median time from a push to every worker holding it, µs
 * @param configPropagationMaxMicros the slowest push, µs
 * @param wallSeconds the run's wall-clock time, set-up and tear-down included
 * @param trace what was written to the trace file, or {@code null} when not tracing
 * @param interruption how the run was cut short (see {@link RunStop}), or {@code null} when it
 *     ran its course
 */
public record RunSummary(Scenario scenario, String backend, LoadResult load, List<WorkerSummary> workers,
    long configPushes, double configPropagationP50Micros, double configPropagationMaxMicros,
    double wallSeconds, TraceSummary trace, Interruption interruption) {

  /** Copies the list. */
  public RunSummary {
    workers = List.copyOf(workers);
  }

  /** A summary of a run that ran its course. */
  public RunSummary(Scenario scenario, String backend, LoadResult load,
      List<WorkerSummary> workers, long configPushes, double configPropagationP50Micros,
      double configPropagationMaxMicros, double wallSeconds, TraceSummary trace) {
    this(scenario, backend, load, workers, configPushes, configPropagationP50Micros,
        configPropagationMaxMicros, wallSeconds, trace, null);
  }

  /** This summary with {@code written}, what the trace file holds. */
  public RunSummary withTrace(TraceSummary written) {
    return new RunSummary(scenario, backend, load, workers, configPushes,
        configPropagationP50Micros, configPropagationMaxMicros, wallSeconds, written,
        interruption);
  }

  /** This summary marked as cut short by {@code cut}. */
  public RunSummary withInterruption(Interruption cut) {
    return new RunSummary(scenario, backend, load, workers, configPushes,
        configPropagationP50Micros, configPropagationMaxMicros, wallSeconds, trace, cut);
  }

  /** Requests answered over all workers. */
  public long totalRequests() {
    long sum = 0;
    for (WorkerSummary w : workers) {
      sum += w.requests();
    }
    return sum;
  }

  /** Watchdog misses over all workers. */
  public long totalMisses() {
    long sum = 0;
    for (WorkerSummary w : workers) {
      sum += w.watchdogMisses();
    }
    return sum;
  }

  /** Problems a reader must not miss, one line each: corrupt echoes, lost connections. */
  public List<String> problems() {
    java.util.ArrayList<String> p = new java.util.ArrayList<>();
    if (interruption != null && workers.isEmpty()) {
      p.add("the run did not stop within " + GuardedRun.CUT_GRACE_MILLIS + " ms of the cut (the"
          + " machine was overloaded): no figures were collected; " + load.answered()
          + " responses had arrived");
    } else if (interruption != null && !interruption.loadCollected()
        && interruption.ranNanos() > 0) {
      p.add("the load generator did not stop within " + ScenarioRunner.LOAD_CUT_MILLIS
          + " ms of the cut (the machine was overloaded): throughput and latency were not"
          + " collected; " + load.answered() + " responses had arrived");
    }
    if (load.corrupt() > 0) {
      p.add(load.corrupt() + " responses did not match their request (id or payload)");
    }
    if (load.connectionsLost() > 0) {
      p.add(load.connectionsLost() + " connections closed early; the first: " + load.firstLoss());
    }
    if (load.unanswered() > 0) {
      p.add(load.unanswered() + " requests were still unanswered when the run ended");
    }
    if (load.skipped() > 0) {
      p.add(load.skipped() + " requests were not sent: a connection already had "
          + "65,536 waiting");
    }
    for (WorkerSummary w : workers) {
      if (w.callbackErrors() > 0) {
        p.add(w.name() + ": " + w.callbackErrors() + " callbacks threw (see the log)");
      }
    }
    return p;
  }
}
