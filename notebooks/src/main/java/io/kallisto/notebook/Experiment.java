package io.kallisto.notebook;

import io.kallisto.run.RunSummary;
import io.kallisto.run.ScenarioRunner;
import io.kallisto.scenario.Scenario;
import io.kallisto.scenario.Scenarios;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One scenario run from a notebook: a bundled scenario or a file, changed as the experiment
 * needs, run for real, its results returned as a {@link Result}.
 *
 * <pre>{@code
 * Result r = Experiment.of("baseline-echo").workers(2).duration(Duration.ofSeconds(2)).run();
 * r;                                           // summary and per-worker table
 * r.p(99);                                     // p99 latency, µs
 * Result hol = Experiment.run(Scenarios.load("head-of-line-blocking").withWorkers(1));
 * }</pre>
 *
 * <p>Experiments are values: every setter returns a new {@code Experiment}, so one base can be
 * varied in a loop. A traced run writes its trace to a temporary file that {@link Result#trace()}
 * names. Runs are one at a time per JVM (tracing is process-wide).
 */
public final class Experiment {
  private final Scenario scenario;
  private final boolean traced;

  private Experiment(Scenario scenario, boolean traced) {
    this.scenario = scenario;
    this.traced = traced;
  }

  /**
   * An experiment on a bundled scenario's name or a scenario file's path.
   *
   * <pre>{@code Experiment e = Experiment.of("accept-imbalance");}</pre>
   *
   * @throws io.kallisto.scenario.ScenarioException naming what is wrong with the scenario
   */
  public static Experiment of(String nameOrPath) {
    return of(Scenarios.load(nameOrPath));
  }

  /**
   * An experiment on a scenario already loaded or built.
   *
   * <pre>{@code Experiment e = Experiment.of(Scenarios.load("config-push").withSeed(7));}</pre>
   */
  public static Experiment of(Scenario scenario) {
    return new Experiment(scenario, scenario.tracing());
  }

  /**
   * Runs {@code scenario} as it is and returns what it measured.
   *
   * <pre>{@code Result r = Experiment.run(Scenarios.load("baseline-echo"));}</pre>
   */
  public static Result run(Scenario scenario) {
    return of(scenario).run();
  }

  /**
   * Runs {@code experiment}: the same as {@code experiment.run()}.
   *
   * <pre>{@code Result r = Experiment.run(Experiment.of("baseline-echo").workers(1));}</pre>
   */
  public static Result run(Experiment experiment) {
    return experiment.run();
  }

  /** The scenario this experiment will run. <pre>{@code e.scenario().workers();}</pre> */
  public Scenario scenario() {
    return scenario;
  }

  /**
   * With {@code n} server workers.
   *
   * <pre>{@code e.workers(4)}</pre>
   */
  public Experiment workers(int n) {
    return new Experiment(scenario.withWorkers(n), traced);
  }

  /**
   * Offering load for {@code d}, warm-up included (the warm-up is capped at half of it).
   *
   * <pre>{@code e.duration(Duration.ofMillis(1500))}</pre>
   */
  public Experiment duration(Duration d) {
    return new Experiment(scenario.withDuration(d), traced);
  }

  /**
   * With a warm-up of {@code d}, whose latencies are not recorded.
   *
   * <pre>{@code e.warmup(Duration.ofMillis(300))}</pre>
   */
  public Experiment warmup(Duration d) {
    Scenario s = scenario;
    return new Experiment(new Scenario(s.name(), s.description(), s.workers(), s.listener(),
        s.workload(), s.duration(), d, s.timers(), s.configPush(), s.seed(), s.tracing(),
        s.loadThreads(), s.engine(), s.simulation()), traced);
  }

  /** With another random seed. <pre>{@code e.seed(7)}</pre> */
  public Experiment seed(long seed) {
    return new Experiment(scenario.withSeed(seed), traced);
  }

  /**
   * With this many load-generator connections.
   *
   * <pre>{@code e.connections(64)}</pre>
   */
  public Experiment connections(int n) {
    return workload(w -> new Scenario.Workload(w.loop(), n, w.outstanding(), w.rate(),
        w.arrivals(), w.mix(), w.payloadBytes(), w.maxRequests()));
  }

  /**
   * Every request spins on its worker's thread for {@code service} (a CPU-bound server).
   *
   * <pre>{@code e.cpuWork(Duration.ofNanos(50_000))}</pre>
   */
  public Experiment cpuWork(Duration service) {
    return workload(w -> new Scenario.Workload(w.loop(), w.connections(), w.outstanding(),
        w.rate(), w.arrivals(),
        List.of(new Scenario.RequestMix(Scenario.RequestKind.CPU, 1,
            new Scenario.ServiceTime(Scenario.Distribution.FIXED, service))),
        w.payloadBytes(), w.maxRequests()));
  }

  /**
   * With connections spread by one {@code SO_REUSEPORT} listener per worker.
   *
   * <pre>{@code e.reusePort()}</pre>
   */
  public Experiment reusePort() {
    return listener(Scenario.ListenerMode.REUSE_PORT, scenario.listener().balance());
  }

  /**
   * With one acceptor handing connections to workers by {@code policy}.
   *
   * <pre>{@code e.singleAcceptor(Scenario.BalancePolicy.LEAST_CONNECTIONS)}</pre>
   */
  public Experiment singleAcceptor(Scenario.BalancePolicy policy) {
    return listener(Scenario.ListenerMode.SINGLE_ACCEPTOR, policy);
  }

  /**
   * With the workload changed by {@code change}: the way to any field this class has no setter
   * for.
   *
   * <pre>{@code e.workload(w -> new Scenario.Workload(w.loop(), w.connections(), 4, w.rate(),
   *     w.arrivals(), w.mix(), w.payloadBytes(), w.maxRequests()))}</pre>
   */
  public Experiment workload(UnaryOperator<Scenario.Workload> change) {
    return new Experiment(scenario.withWorkload(change.apply(scenario.workload())), traced);
  }

  /**
   * Recording a trace of the run into a temporary file ({@link Result#trace()}).
   *
   * <pre>{@code Result r = e.traced().run(); Timeline.show(r.trace(), ...);}</pre>
   */
  public Experiment traced() {
    return new Experiment(scenario, true);
  }

  /**
   * Runs the experiment now, on real event loops and sockets, and returns what it measured.
   * Takes the scenario's duration plus a moment to set up and drain.
   *
   * <pre>{@code Result r = Experiment.of("baseline-echo").duration(Duration.ofSeconds(1)).run();}</pre>
   *
   * @throws io.kallisto.event.NativeException if the server cannot listen, naming the call
   */
  public Result run() {
    Path trace = null;
    if (traced) {
      try {
        trace = Files.createTempFile("kallisto-" + scenario.name() + "-", ".ktrace");
        trace.toFile().deleteOnExit();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a temporary trace file", e);
      }
    }
    RunSummary summary;
    Machine.beginWindow();
    try {
      summary = new ScenarioRunner().run(scenario.withTracing(false), trace,
          "notebook: Experiment.run", (elapsed, total, answered) -> { });
    } finally {
      Machine.endWindow();
    }
    return new Result(summary, trace);
  }

  private Experiment listener(Scenario.ListenerMode mode, Scenario.BalancePolicy policy) {
    return new Experiment(scenario.withListener(new Scenario.Listener(mode, policy)), traced);
  }

  @Override
  public String toString() {
    return "Experiment[" + scenario.name() + ", " + scenario.workers() + " workers, "
        + scenario.duration().toMillis() + " ms" + (traced ? ", traced" : "") + "]";
  }
}
