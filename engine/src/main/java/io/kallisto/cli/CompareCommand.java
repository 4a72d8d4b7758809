package io.kallisto.cli;

import io.kallisto.load.LoadResult;
import io.kallisto.run.RunSummary;
import io.kallisto.run.WorkerSummary;
import io.kallisto.scenario.Durations;
import io.kallisto.scenario.Scenario;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExitCodeGenerator;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kallisto compare SCENARIO}: runs a scenario for real, then simulated with the same
 * seed, and prints the two summaries side by side: metric, real, simulated, and their ratio,
 * marked where they differ by more than {@value #FACTOR}x either way.
 */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
      "Run a scenario for real, then in the simulation (same seed), and print both summaries",
      "side by side: metric | real | simulated | simulated/real, with '<<' where the two differ",
      "by more than " + CompareCommand.FACTOR + "x. SCENARIO is a bundled name or a scenario file.",
      "It records no trace, even for a scenario with \"tracing\": true: use 'kallisto run",
      "--trace' for each engine."
    })
public final class CompareCommand implements Runnable, IExitCodeGenerator {
  /** Ratios beyond this factor, either way, are marked. */
  static final double FACTOR = 2.0;
  static final String MARK = "<<";

  @Spec CommandSpec spec;
  private int exitCode;

  @Mixin BudgetOptions budget;

  @Parameters(paramLabel = "SCENARIO", description = "A bundled scenario's name or a scenario file.")
  String scenario;

  @Option(names = "--duration", paramLabel = "TIME",
      description = "Run each this long instead of the scenario's duration, e.g. 2s.")
  String duration;

  @Option(names = "--seed", paramLabel = "N", description = "Use this random seed instead.")
  Long seed;

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    // No trace: two runs into one NAME.ktrace would have the second replace the first.
    Scenario s = RunCommand.withTimeAndSeed(RunCommand.load(scenario), duration, seed)
        .withTracing(false);
    Scenario real = budget.admit(RunCommand.checkRunnable(s.withEngine(Scenario.Engine.REAL),
        "compare runs it for real, but"), scenario, false, out);
    Scenario simulated = budget.admit(s.withEngine(Scenario.Engine.SIMULATED), scenario, false,
        out);
    String command = "kallisto compare " + scenario + " --duration "
        + Durations.format(s.duration()) + " --seed " + s.seed();
    // SIGINT and SIGTERM cut the comparison short: the summary of what ran, no side by side.
    try (Interrupts interrupts = Interrupts.catchSignals("kallisto compare")) {
      RunSummary r = RunCommand.execute(real, null, command, interrupts.stop());
      RunSummary sim = r.interruption() != null ? null
          : RunCommand.execute(simulated, null, command, interrupts.stop());
      if (sim == null || sim.interruption() != null) {
        RunReport.print(r, out);
        if (sim != null) {
          RunReport.print(sim, out);
        }
      } else {
        print(r, sim, out);
      }
      exitCode = interrupts.exitCode();
    }
  }

  /** 0, or 130 / 143 when SIGINT / SIGTERM cut the comparison short. */
  @Override
  public int getExitCode() {
    return exitCode;
  }

  /** The side-by-side table of two runs of one scenario. */
  static void print(RunSummary real, RunSummary sim, PrintWriter out) {
    out.println();
    out.println(RunReport.headline(real.scenario(), real.backend()));
    out.println("simulated" + RunReport.simulated(sim.scenario()).substring("; simulated".length()));
    out.println();
    TextTable t = new TextTable("metric", "real", "simulated", "sim/real", "");
    LoadResult a = real.load();
    LoadResult b = sim.load();
    row(t, "throughput req/s", a.throughput(), b.throughput());
    for (double p : new double[] {50, 90, 99, 99.9}) {
      row(t, "latency p" + trim(p) + " us", a.latencyMicros(p), b.latencyMicros(p));
    }
    row(t, "latency max us", maxMicros(a), maxMicros(b));
    row(t, "answered", a.answered(), b.answered());
    row(t, "config push p50 us", real.configPropagationP50Micros(),
        sim.configPropagationP50Micros());
    List<WorkerSummary> ws = real.workers();
    List<WorkerSummary> ss = sim.workers();
    for (int i = 0; i < Math.min(ws.size(), ss.size()); i++) {
      String n = ws.get(i).name() + " ";
      worker(t, n + "requests", ws.get(i), ss.get(i), w -> w.requests());
      worker(t, n + "conns", ws.get(i), ss.get(i), w -> w.connections());
      worker(t, n + "busy %", ws.get(i), ss.get(i), WorkerSummary::busyPercent);
      worker(t, n + "loop p50 us", ws.get(i), ss.get(i), WorkerSummary::loopP50Micros);
      worker(t, n + "loop p99 us", ws.get(i), ss.get(i), WorkerSummary::loopP99Micros);
      worker(t, n + "poll delay p99 us", ws.get(i), ss.get(i),
          WorkerSummary::pollDelayP99Micros);
      worker(t, n + "wakeups", ws.get(i), ss.get(i), w -> w.wakeupsWritten());
      worker(t, n + "timers", ws.get(i), ss.get(i), w -> w.timersFired());
      worker(t, n + "misses", ws.get(i), ss.get(i), w -> w.watchdogMisses());
    }
    t.print(out);
    out.printf(Locale.ROOT, "%s: the two differ by more than %.0fx (a 0 against a non-zero value"
        + " counts too). The simulation's costs are in docs/simulation.md.%n", MARK, FACTOR);
    for (String p : real.problems()) {
      out.println("warning (real): " + p);
    }
    for (String p : sim.problems()) {
      out.println("warning (simulated): " + p);
    }
    out.flush();
  }

  private static void worker(TextTable t, String metric, WorkerSummary a, WorkerSummary b,
      ToDoubleFunction<WorkerSummary> value) {
    row(t, metric, value.applyAsDouble(a), value.applyAsDouble(b));
  }

  private static void row(TextTable t, String metric, double real, double sim) {
    t.row(metric, number(real), number(sim), ratio(real, sim), differs(real, sim) ? MARK : "");
  }

  /** True when the two differ by more than {@link #FACTOR} either way, or one alone is 0. */
  static boolean differs(double real, double sim) {
    if (real == 0 || sim == 0) {
      return (real == 0) != (sim == 0);
    }
    double r = sim / real;
    return r > FACTOR || r < 1 / FACTOR;
  }

  private static String ratio(double real, double sim) {
    if (real == 0) {
      return sim == 0 ? "1.00" : "-";
    }
    return String.format(Locale.ROOT, "%.2f", sim / real);
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? TextTable.count((long) v)
        : String.format(Locale.ROOT, "%,.1f", v);
  }

  private static String trim(double p) {
    return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
  }

  private static double maxMicros(LoadResult r) {
    return r.latency().getTotalCount() == 0 ? 0 : r.latency().getMaxValue() / 1000.0;
  }
}
