package io.kallisto.cli;

import io.kallisto.run.Interruption;
import io.kallisto.run.RunStop;
import io.kallisto.run.RunSummary;
import io.kallisto.run.ScenarioRunner;
import io.kallisto.run.SimulationRunner;
import io.kallisto.run.SummaryJson;
import io.kallisto.scenario.BundledScenario;
import io.kallisto.scenario.Durations;
import io.kallisto.scenario.Scenario;
import io.kallisto.scenario.ScenarioException;
import io.kallisto.scenario.ScenarioParser;
import io.kallisto.scenario.Scenarios;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExitCodeGenerator;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kallisto run SCENARIO}: real traffic through real event loops, then a summary. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run a scenario: a worker pool serving TCP on 127.0.0.1, a load generator on its own",
      "event loops, a watchdog over the workers; then a summary of throughput, latency",
      "percentiles and what each worker's loop did. SCENARIO is a bundled name (see --list)",
      "or a scenario JSON file (see docs/scenarios.md)."
    })
public final class RunCommand implements Runnable, IExitCodeGenerator {
  @Spec CommandSpec spec;
  private int exitCode;

  @Parameters(arity = "0..1", paramLabel = "SCENARIO",
      description = "A bundled scenario's name or a scenario file.")
  String scenario;

  @Option(names = "--list", description = "List the bundled scenarios and exit.")
  boolean list;

  @Option(names = "--duration", paramLabel = "TIME",
      description = "Run this long instead of the scenario's duration, e.g. 5s or 500ms.")
  String duration;

  @Option(names = "--seed", paramLabel = "N", description = "Use this random seed instead.")
  Long seed;

  @Option(names = "--workers", paramLabel = "N",
      description = "Use this many server workers instead (1 to 256).")
  Integer workers;

  @Option(names = "--listener", paramLabel = "MODE",
      description = "Use this listener mode instead: reuse-port or single-acceptor.")
  String listener;

  @Option(names = "--balance", paramLabel = "POLICY",
      description = "Hand connections out by this policy instead: round-robin,"
          + " least-connections or random-of-two (implies --listener single-acceptor).")
  String balance;

  @Option(names = "--engine", paramLabel = "ENGINE",
      description = "Run on this engine instead: real (epoll loops, TCP on 127.0.0.1) or"
          + " simulated (deterministic, in virtual time; see docs/simulation.md).")
  String engine;

  @Option(names = "--trace", paramLabel = "FILE",
      description = "Record a trace of the run to FILE (.ktrace); see 'kallisto trace'.")
  Path trace;

  @Mixin BudgetOptions budget;

  @Option(names = "--json", paramLabel = "FILE",
      description = "Also write the summary as JSON to FILE.")
  Path json;

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    if (list) {
      TextTable t = new TextTable("scenario", "what it shows").alignLeft(1);
      for (BundledScenario b : Scenarios.bundled()) {
        t.row(b.name(), b.purpose());
      }
      t.print(out);
      out.println();
      out.println("Run one with 'kallisto run NAME'; write your own: docs/scenarios.md");
      out.flush();
      return;
    }
    if (scenario == null) {
      throw new UserError("name a SCENARIO (a bundled name or a file), or use --list to see"
          + " the bundled ones");
    }
    Scenario planned = configured();
    outputs(planned, trace).input("SCENARIO", scenarioFile(scenario)).output("--json", json)
        .check();
    Scenario s = budget.admit(planned, scenario, trace != null || planned.tracing(), out);
    // SIGINT and SIGTERM cut the run short; what ran is still reported and written, whole.
    try (Interrupts interrupts = Interrupts.catchSignals("kallisto run")) {
      runAndReport(s, out, interrupts.stop());
      exitCode = interrupts.exitCode();
    }
  }

  /** 0, or 130 / 143 when SIGINT / SIGTERM cut the run short. */
  @Override
  public int getExitCode() {
    return exitCode;
  }

  private void runAndReport(Scenario s, PrintWriter out, RunStop stop) {
    RunSummary summary = execute(s, trace, commandLine(s), stop);
    RunReport.print(summary, out);
    if (json != null) {
      try {
        SummaryJson.write(summary, json);
      } catch (UncheckedIOException e) {
        throw new UserError("--json: " + e.getMessage());
      }
      out.println("summary: " + json);
      out.flush();
    }
  }

  /**
   * Runs {@code s} with a progress bar on stderr, tracing into {@code trace} if not null.
   *
   * @throws UserError if the trace file cannot be written
   */
  static RunSummary execute(Scenario s, Path trace, String command) {
    return execute(s, trace, command, new RunStop());
  }

  /** As {@link #execute(Scenario, Path, String)}, cut short when {@code stop} is requested. */
  static RunSummary execute(Scenario s, Path trace, String command, RunStop stop) {
    boolean simulated = s.engine() == Scenario.Engine.SIMULATED;
    Progress progress = new Progress(System.err, simulated ? "simulating" : "running",
        s.duration().toMillis());
    RunSummary summary;
    ScenarioRunner.Listener listener = (elapsed, total, answered) ->
        progress.update(elapsed / 1_000_000, detail(elapsed, total, answered));
    try {
      summary = simulated ? new SimulationRunner().run(s, trace, command, listener, stop)
          : new ScenarioRunner().run(s, trace, command, listener, stop);
    } catch (UncheckedIOException e) {
      throw new UserError("--trace: " + e.getMessage());
    }
    Interruption cut = summary.interruption();
    long ran = cut != null ? cut.ranNanos() : s.duration().toNanos();
    progress.finish(ran / 1_000_000, detail(ran, s.duration().toNanos(),
        summary.load().answered()) + (cut != null ? ", " + cut.describe() : ""));
    return summary;
  }

  /** The scenario with the command line's overrides applied. */
  private Scenario configured() {
    Scenario s = withTimeAndSeed(load(scenario), duration, seed);
    if (listener != null || balance != null) {
      s = s.withListener(listener(s.listener()));
    }
    if (workers != null) {
      if (workers < 1 || workers > 256) {
        throw new UserError("--workers=" + workers + " is out of range; use 1 to 256");
      }
      s = s.withWorkers(workers);
    }
    if (engine != null) {
      s = s.withEngine(engine(engine));
    }
    return checkRunnable(s, "--engine real");
  }

  /** {@code s} with the {@code --duration} and {@code --seed} given (either may be null). */
  static Scenario withTimeAndSeed(Scenario s, String duration, Long seed) {
    if (duration != null) {
      try {
        s = s.withDuration(Durations.parse(duration, ScenarioParser.MIN_DURATION,
            ScenarioParser.MAX_DURATION));
      } catch (IllegalArgumentException e) {
        throw new UserError("--duration: " + e.getMessage());
      }
    }
    return seed == null ? s : s.withSeed(seed);
  }

  /** A bundled scenario or a file, as a user error if it is neither or does not parse. */
  static Scenario load(String nameOrPath) {
    try {
      return Scenarios.load(nameOrPath);
    } catch (ScenarioException e) {
      throw new UserError(e.getMessage());
    }
  }

  /** The engine {@code --engine} names. */
  static Scenario.Engine engine(String text) {
    try {
      return Scenario.Named.byJson(Scenario.Engine.class, text);
    } catch (IllegalArgumentException e) {
      throw new UserError("--engine: " + e.getMessage());
    }
  }

  /** {@code s}, unless it is real with more connections than a real run may open. */
  static Scenario checkRunnable(Scenario s, String what) {
    String problem = s.engine() == Scenario.Engine.REAL
        ? ScenarioParser.tooManyConnections(s.workload().connections()) : null;
    if (problem != null) {
      throw new UserError(what + ": the scenario's workload.connections " + problem);
    }
    return s;
  }

  private Scenario.Listener listener(Scenario.Listener from) {
    Scenario.ListenerMode mode = from.mode();
    Scenario.BalancePolicy policy = from.balance();
    try {
      if (listener != null) {
        mode = Scenario.Named.byJson(Scenario.ListenerMode.class, listener);
      }
    } catch (IllegalArgumentException e) {
      throw new UserError("--listener: " + e.getMessage());
    }
    try {
      if (balance != null) {
        policy = Scenario.Named.byJson(Scenario.BalancePolicy.class, balance);
        if (listener == null) {
          mode = Scenario.ListenerMode.SINGLE_ACCEPTOR;
        }
      }
    } catch (IllegalArgumentException e) {
      throw new UserError("--balance: " + e.getMessage());
    }
    if (balance != null && mode == Scenario.ListenerMode.REUSE_PORT) {
      throw new UserError("--balance applies only to --listener single-acceptor; with reuse-port"
          + " the kernel picks the worker");
    }
    return new Scenario.Listener(mode, policy);
  }

  /**
   * The file checks of a run of {@code s}, with its trace as an output: {@code --trace}, or the
   * {@code NAME.ktrace} a scenario with {@code "tracing": true} writes.
   */
  static FileArguments outputs(Scenario s, Path trace) {
    FileArguments files = new FileArguments();
    if (trace != null) {
      return files.output("--trace", trace);
    }
    return files.output("--trace (from \"tracing\": true)", ScenarioRunner.traceFile(s, null));
  }

  /** The scenario file {@code nameOrPath} names, or null for a bundled scenario. */
  static Path scenarioFile(String nameOrPath) {
    if (Scenarios.isBundled(nameOrPath)) {
      return null;
    }
    try {
      return Path.of(nameOrPath);
    } catch (java.nio.file.InvalidPathException e) {
      return null; // then it was no file, and loading it already failed
    }
  }

  private static String detail(long elapsed, long total, long answered) {
    return String.format(Locale.ROOT, "%.1f s of %.1f s, %,d responses", elapsed / 1e9,
        total / 1e9, answered);
  }

  private String commandLine(Scenario s) {
    return "kallisto run " + scenario + " --duration " + Durations.format(s.duration())
        + " --seed " + s.seed() + " --workers " + s.workers() + " --listener "
        + s.listener().mode().json() + (s.listener().mode() == Scenario.ListenerMode.REUSE_PORT
            ? "" : " --balance " + s.listener().balance().json()) + " --engine "
        + s.engine().json();
  }
}
