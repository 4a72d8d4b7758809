package io.kallisto.cli;

import io.kallisto.load.LoadResult;
import io.kallisto.run.RunSummary;
import io.kallisto.run.WorkerSummary;
import io.kallisto.scenario.Durations;
import io.kallisto.scenario.Scenario;
import io.kallisto.scenario.Scenario.LoopMode;
import java.io.PrintWriter;
import java.util.Locale;

/** Prints a {@link RunSummary} as the text a person reads after {@code kallisto run}. */
final class RunReport {
  private RunReport() {}

  static void print(RunSummary s, PrintWriter out) {
    Scenario sc = s.scenario();
    LoadResult load = s.load();
    out.println();
    out.println(headline(sc, s.backend()));
    if (s.interruption() != null) {
      // Right under the headline, before any figure: they cover only the part that ran.
      out.println(s.interruption().describe() + ": the figures below cover only what ran");
    }
    out.println();
    out.printf(Locale.ROOT, "throughput  %,.0f req/s  (%,d measured after warm-up; %,d sent,"
        + " %,d answered)%n", load.throughput(), load.measured(), load.sent(), load.answered());
    out.printf(Locale.ROOT, "latency     p50 %s  p90 %s  p99 %s  p99.9 %s  max %s%n",
        us(load.latencyMicros(50)), us(load.latencyMicros(90)), us(load.latencyMicros(99)),
        us(load.latencyMicros(99.9)), us(load.latency().getTotalCount() == 0 ? 0
            : load.latency().getMaxValue() / 1000.0));
    if (sc.workload().loop() == LoopMode.OPEN) {
      double p99 = load.serviceLatency().getTotalCount() == 0 ? 0
          : load.serviceLatency().getValueAtPercentile(99) / 1000.0;
      out.println("            open loop: measured from when each request was due (corrected for"
          + " coordinated omission);");
      out.println("            measured from the send instead, p99 would read " + us(p99));
    }
    out.println();
    TextTable t = new TextTable("worker", "requests", "conns", "busy %", "loop p50 us",
        "loop p99 us", "loop max us", "poll delay p99 us", "wakeups", "avoided", "timers",
        "misses", "mega-misses");
    for (WorkerSummary w : s.workers()) {
      t.row(w.name(), TextTable.count(w.requests()), TextTable.count(w.connections()),
          fixed(w.busyPercent()), fixed(w.loopP50Micros()), fixed(w.loopP99Micros()),
          fixed(w.loopMaxMicros()), fixed(w.pollDelayP99Micros()),
          TextTable.count(w.wakeupsWritten()), TextTable.count(w.wakeupsAvoided()),
          TextTable.count(w.timersFired()), TextTable.count(w.watchdogMisses()),
          TextTable.count(w.watchdogMegaMisses()));
    }
    t.print(out);
    out.println("misses: the watchdog found the loop silent for over 200 ms (mega-misses: 1 s);"
        + " wakeups: eventfd writes for posts.");
    if (sc.configPush().enabled()) {
      out.printf(Locale.ROOT, "config push every %s: %,d pushes; every worker held the new version"
          + " after p50 %s, max %s%n", Durations.format(sc.configPush().every()),
          s.configPushes(), us(s.configPropagationP50Micros()),
          us(s.configPropagationMaxMicros()));
    }
    if (s.trace() != null) {
      out.println("trace: " + s.trace());
    }
    for (String problem : s.problems()) {
      out.println("warning: " + problem);
    }
    out.flush();
  }

  static String headline(Scenario sc, String backend) {
    Scenario.Workload w = sc.workload();
    String listener = sc.listener().mode() == Scenario.ListenerMode.REUSE_PORT
        ? "reuse-port listeners"
        : "single acceptor, " + sc.listener().balance().json();
    String loop = w.loop() == LoopMode.CLOSED
        ? String.format(Locale.ROOT, "closed loop, %d connections x %d outstanding",
            w.connections(), w.outstanding())
        : String.format(Locale.ROOT, "open loop, %s %,.0f req/s over %d connections",
            w.arrivals().json(), w.rate(), w.connections());
    return String.format(Locale.ROOT, "%s: %d workers on %s (%s); %s; %s with %s warm-up; seed %d%s",
        sc.name(), sc.workers(), backend, listener, loop, Durations.format(sc.duration()),
        Durations.format(sc.warmup()), sc.seed(), simulated(sc));
  }

  /** "; simulated (...)" for a simulated run, with its cores and scheduler; "" for a real one. */
  static String simulated(Scenario sc) {
    if (sc.engine() != Scenario.Engine.SIMULATED) {
      return "";
    }
    Scenario.SimulationSettings s = sc.simulation();
    return String.format(Locale.ROOT, "; simulated (%s, %s scheduler%s)",
        s.cores() == 0 ? "a core per loop" : s.cores() + " cores", s.scheduler().json(),
        s.latency().isZero() ? "" : ", latency " + Durations.format(s.latency()));
  }

  private static String us(double micros) {
    return String.format(Locale.ROOT, "%,.1f us", micros);
  }

  private static String fixed(double v) {
    return String.format(Locale.ROOT, "%,.1f", v);
  }
}
