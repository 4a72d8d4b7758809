package io.kallisto.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the standard benchmark set through JMH's Runner API and prints one table: for each figure
 * and loop the median of the measurement iterations with min and max, and Kallisto's ratio to
 * each peer. The same table is written as Markdown to {@code OUT/standard-MODE.md}.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.kallisto.bench.StandardRun [--pinned | --tracing] [--out DIR]
 * </pre>
 *
 * <p>{@code --pinned} runs only the ping-pong benchmark, for use under {@code taskset -c 0}
 * (the forked JVMs inherit the affinity). Settings are 1 fork, 3 warmup and 5 measurement
 * iterations of 1 s each, which keeps the whole set under 10 minutes on two cores.
 * {@code --tracing} runs only the tracing benchmarks ({@code io.kallisto.bench.trace}), Kallisto
 * alone, with the settings their annotations give, and prints {@link TracingTable} instead.
 * {@code bench/run-standard.sh} runs all three modes and the C floor.
 *
 * <p><b>Note:</b> a ratio is always Kallisto's median divided by the peer's, whatever the
 * figure's direction; the "better" column says whether a higher or a lower figure wins.
 */
public final class StandardRun {
  private static final String PKG = "io.kallisto.bench.";

  private StandardRun() {}

  /** Entry point; see the class comment for arguments. */
  public static void main(String[] args) throws RunnerException {
    boolean pinned = false;
    boolean tracing = false;
    Path out = Path.of("bench/target/bench-results");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--pinned":
          pinned = true;
          break;
        case "--tracing":
          tracing = true;
          break;
        case "--out":
          if (i + 1 == args.length) {
            throw new IllegalArgumentException("--out needs a directory after it");
          }
          out = Path.of(args[++i]);
          break;
        default:
          throw new IllegalArgumentException("argument '" + args[i]
              + "' is unknown; use --pinned or --tracing, and --out DIR");
      }
    }
    if (pinned && tracing) {
      throw new IllegalArgumentException("--pinned and --tracing are separate runs; give one");
    }
    if (tracing) {
      TracingTable.run(out);
      return;
    }
    String mode = pinned ? "pinned" : "free";
    Path side = out.resolve("side-" + mode + ".tsv");
    try {
      Files.createDirectories(out);
      Files.deleteIfExists(side);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + out, e);
    }

    // Forks come from each class's @Fork: post throughput varies by fork (where the JIT and the
    // scheduler put producer and consumer), so it gets three; the others one.
    ChainedOptionsBuilder options = new OptionsBuilder()
        .warmupIterations(3)
        .warmupTime(TimeValue.seconds(1))
        .measurementIterations(5)
        .measurementTime(TimeValue.seconds(1))
        .jvmArgsAppend("-Xms1g", "-Xmx1g",
            "-D" + SideResults.PROPERTY + "=" + side.toAbsolutePath())
        .result(out.resolve("jmh-" + mode + ".json").toString())
        .resultFormat(org.openjdk.jmh.results.format.ResultFormatType.JSON);
    if (pinned) {
      options.include(PKG + "PingPongBenchmark");
    } else {
      options.include(PKG + "PostThroughputBenchmark")
          .include(PKG + "PingPongBenchmark")
          .include(PKG + "TimerLatenessBenchmark")
          .include(PKG + "TimerScheduleBenchmark")
          .include(PKG + "NativeCallBenchmark")
          .include(PKG + "EchoBenchmark\\.roundTrips");
    }
    Collection<RunResult> results = new Runner(options.build()).run();

    Table table = new Table(mode);
    Map<String, Map<String, List<Double>>> jmh = primaryScores(results);
    Map<String, Map<String, List<Double>>> extra = readSide(side);
    String suffix = pinned ? " (pinned)" : "";
    if (!pinned) {
      table.loops("post throughput", "M tasks/s", true,
          jmh.get("PostThroughputBenchmark.post"), 1e-6);
      table.loops("wakeup writes per 1M posts", "writes", false,
          extra.get("post/wakeups_per_million_posts"), 1);
    }
    table.loops("ping-pong mean" + suffix, "us", false, jmh.get("PingPongBenchmark.pingPong"), 1);
    table.loops("ping-pong p50" + suffix, "us", false, extra.get("pingpong/p50_us"), 1);
    table.loops("ping-pong p99" + suffix, "us", false, extra.get("pingpong/p99_us"), 1);
    table.loops("ping-pong wakeup writes per round trip" + suffix, "writes", false,
        extra.get("pingpong/wakeups_per_round_trip"), 1);
    if (!pinned) {
      table.loops("timer lateness p50", "us", false, extra.get("timers/late_p50_us"), 1);
      table.loops("timer lateness p99", "us", false, extra.get("timers/late_p99_us"), 1);
      table.loops("timer scheduling rate", "M timers/s", true,
          jmh.get("TimerScheduleBenchmark.schedule"), 1e-6);
      String[] echoPeers = {Loops.NETTY_EPOLL, Loops.NETTY_NIO};
      table.loops("echo round trips", "k/s", true, jmh.get("EchoBenchmark.roundTrips"), 1e-3,
          echoPeers);
      table.loops("echo round trip p50", "us", false, extra.get("echo/p50_us"), 1, echoPeers);
      table.loops("echo round trip p99", "us", false, extra.get("echo/p99_us"), 1, echoPeers);
      Map<String, Double> floor = readCFloor(out.resolve("cfloor.tsv"));
      table.natives("epoll_wait(empty, 0)", jmh, "kallistoEpollWait", "nettyEpollWait",
          floor.get("epoll_wait_empty"));
      table.natives("getpid()", jmh, "kallistoGetpid", null, floor.get("getpid"));
      table.natives("eventfd write+epoll_wait+read", jmh, "kallistoWakeupRoundTrip",
          "nettyWakeupRoundTrip", floor.get("wakeup_round_trip"));
    }
    write(out, mode, table.render());
  }

  /** Prints {@code text} and writes it to {@code OUT/standard-MODE.md}. */
  static void write(Path out, String mode, String text) {
    System.out.println();
    System.out.println(text);
    try {
      Files.write(out.resolve("standard-" + mode + ".md"), text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the table to " + out, e);
    }
  }

  /**
   * benchmark "Class.method" to loop (or "-") to the primary score of each iteration. Results
   * without a {@code loop} parameter are keyed by their {@code tracing} parameter, if any.
   */
  static Map<String, Map<String, List<Double>>> primaryScores(Collection<RunResult> results) {
    Map<String, Map<String, List<Double>>> scores = new LinkedHashMap<>();
    for (RunResult rr : results) {
      String benchmark = rr.getParams().getBenchmark();
      String key = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1)
          + 1);
      String loop = rr.getParams().getParam("loop");
      if (loop == null) {
        loop = rr.getParams().getParam("tracing");
      }
      List<Double> values = scores.computeIfAbsent(key, k -> new LinkedHashMap<>())
          .computeIfAbsent(loop == null ? "-" : loop, k -> new ArrayList<>());
      for (BenchmarkResult br : rr.getBenchmarkResults()) {
        for (IterationResult ir : br.getIterationResults()) {
          values.add(ir.getPrimaryResult().getScore());
        }
      }
    }
    return scores;
  }

  /** "benchmark/metric" to loop to the values {@link SideResults} wrote. */
  private static Map<String, Map<String, List<Double>>> readSide(Path file) {
    Map<String, Map<String, List<Double>>> values = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return values;
    }
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String[] f = line.split("\t");
        if (f.length != 4) {
          continue;
        }
        values.computeIfAbsent(f[0] + "/" + f[2], k -> new LinkedHashMap<>())
            .computeIfAbsent(f[1], k -> new ArrayList<>())
            .add(Double.parseDouble(f[3]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return values;
  }

  /** The C floor medians in ns written by {@code cfloor}, or an empty map if it did not run. */
  private static Map<String, Double> readCFloor(Path file) {
    Map<String, Double> floor = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return floor;
    }
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String[] f = line.split("\t");
        if (f.length >= 2 && !line.startsWith("#")) {
          floor.put(f[0], Double.parseDouble(f[1]));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return floor;
  }

  /** The result table, built row by row and rendered as Markdown. */
  static final class Table {
    private final StringBuilder sb = new StringBuilder();

    Table(String mode) {
      sb.append("## Standard run (").append(mode).append(")\n\n");
      sb.append("| figure | unit | better | loop | median | min | max | Kallisto / loop |\n");
      sb.append("|---|---|---|---|---|---|---|---|\n");
    }

    /** One row per loop for a figure measured on every loop of {@link Loops#PEERS}. */
    void loops(String figure, String unit, boolean higherBetter,
        Map<String, List<Double>> byLoop, double scale) {
      loops(figure, unit, higherBetter, byLoop, scale, Loops.PEERS);
    }

    /** One row for Kallisto and one per peer in {@code peers}, with Kallisto's ratio to it. */
    void loops(String figure, String unit, boolean higherBetter,
        Map<String, List<Double>> byLoop, double scale, String[] peers) {
      if (byLoop == null || byLoop.isEmpty()) {
        row(figure, unit, higherBetter, "(no data)", null, "");
        return;
      }
      Function<String, Stats> stats = loop -> byLoop.containsKey(loop)
          ? Stats.of(byLoop.get(loop)).scaled(scale) : null;
      Stats kallisto = stats.apply(Loops.KALLISTO);
      row(figure, unit, higherBetter, Loops.KALLISTO, kallisto, "1.00");
      for (String peer : peers) {
        Stats s = stats.apply(peer);
        if (s == null) {
          row(figure, unit, higherBetter, peer, null, "not measured");
        } else {
          row(figure, unit, higherBetter, peer, s, ratio(kallisto, s.median));
        }
      }
    }

    /** Rows for one native call: Kallisto (JNA), Netty (JNI) and the C floor. */
    void natives(String figure, Map<String, Map<String, List<Double>>> jmh, String kallistoMethod,
        String nettyMethod, Double cFloor) {
      Stats k = nativeStats(jmh, kallistoMethod);
      row(figure, "ns/call", false, "kallisto (JNA)", k, "1.00");
      Stats n = nettyMethod == null ? null : nativeStats(jmh, nettyMethod);
      if (nettyMethod != null) {
        row(figure, "ns/call", false, "netty (JNI)", n, ratio(k, n == null ? Double.NaN
            : n.median));
      }
      if (cFloor != null) {
        row(figure, "ns/call", false, "C floor", null, ratio(k, cFloor)
            + String.format(Locale.ROOT, " (C median %.0f ns)", cFloor));
        if (k != null && n != null) {
          double overhead = (k.median - cFloor) / (n.median - cFloor);
          row(figure, "ns over C", false, "overhead K/N", null,
              String.format(Locale.ROOT, "%.2f (K %.0f ns, N %.0f ns over C)", overhead,
                  k.median - cFloor, n.median - cFloor));
        }
      }
    }

    private static Stats nativeStats(Map<String, Map<String, List<Double>>> jmh, String method) {
      Map<String, List<Double>> m = jmh.get("NativeCallBenchmark." + method);
      return m == null ? null : Stats.of(m.get("-"));
    }

    private static String ratio(Stats kallisto, double peer) {
      if (kallisto == null || Double.isNaN(peer) || peer == 0) {
        return "n/a";
      }
      return String.format(Locale.ROOT, "%.2f", kallisto.median / peer);
    }

    private void row(String figure, String unit, boolean higherBetter, String loop, Stats s,
        String ratio) {
      sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |\n",
          figure, unit, higherBetter ? "higher" : "lower", loop,
          s == null ? "" : fmt(s.median), s == null ? "" : fmt(s.min),
          s == null ? "" : fmt(s.max), ratio));
    }

    static String fmt(double v) {
      if (Math.abs(v) >= 100) {
        return String.format(Locale.ROOT, "%.0f", v);
      }
      if (Math.abs(v) >= 10) {
        return String.format(Locale.ROOT, "%.1f", v);
      }
      return String.format(Locale.ROOT, "%.2f", v);
    }

    String render() {
      return sb.toString();
    }
  }
}
