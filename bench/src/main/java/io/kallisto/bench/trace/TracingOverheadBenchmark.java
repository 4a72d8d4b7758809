package io.kallisto.bench.trace;

import io.kallisto.bench.Loops;
import io.kallisto.bench.PingPongBenchmark;
import io.kallisto.bench.PostThroughputBenchmark;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Two loop benchmarks on Kallisto alone, with tracing off and on ({@code -p tracing=off,on}),
 * each driving the standard benchmark's own code:
 *
 * <ul>
 *   <li>{@code pingPong}: {@link PingPongBenchmark}'s rally, mean round trip. Each round trip
 *       records two posts, two callbacks, two queue-depth counters and both loops' poll and
 *       work slices. Loss = on / off - 1; target: at most 5 %.
 *   <li>{@code post}: {@link PostThroughputBenchmark}'s flood, tasks per second. Every post
 *       records a POST on the posting thread and a CALLBACK on the loop, so this is the worst
 *       case. Loss = 1 - on / off; no target.
 * </ul>
 *
 * <p>With tracing on, the session starts before the loops, so they record from their first
 * poll, and writes to a temporary file deleted after the trial.
 */
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TracingOverheadBenchmark {
  /** A trial's tracing session and the loops under it. */
  @State(Scope.Benchmark)
  public abstract static class Traced {
    @Param({"off", "on"})
    public String tracing;

    private final String name;
    private final Runnable startLoops;
    private final Runnable stopLoops;
    private TempTrace trace;

    Traced(String name, Runnable startLoops, Runnable stopLoops) {
      this.name = name;
      this.startLoops = startLoops;
      this.stopLoops = stopLoops;
    }

    /** Turns tracing on if asked, then starts the loops. */
    @Setup(Level.Trial)
    public void start() {
      trace = TempTrace.startIf(tracing, name);
      startLoops.run();
    }

    /** Stops the loops, then tracing, and deletes the file. */
    @TearDown(Level.Trial)
    public void stop() {
      try {
        stopLoops.run();
      } finally {
        if (trace != null) {
          trace.close();
        }
      }
    }
  }

  /** Two Kallisto loops for the rally. */
  @State(Scope.Benchmark)
  public static class Rally extends Traced {
    final PingPongBenchmark benchmark;

    /** Kallisto's rally, started in {@link #start}. */
    public Rally() {
      this(new PingPongBenchmark());
    }

    private Rally(PingPongBenchmark b) {
      super("pingpong", b::start, b::stop);
      b.loop = Loops.KALLISTO;
      benchmark = b;
    }
  }

  /** One Kallisto loop for the flood. */
  @State(Scope.Benchmark)
  public static class Flood extends Traced {
    final PostThroughputBenchmark benchmark;

    /** Kallisto's flood, started in {@link #start}. */
    public Flood() {
      this(new PostThroughputBenchmark());
    }

    private Flood(PostThroughputBenchmark b) {
      super("post", b::start, b::stop);
      b.loop = Loops.KALLISTO;
      benchmark = b;
    }
  }

  /** {@value PingPongBenchmark#ROUND_TRIPS} round trips; the score is the mean. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @OperationsPerInvocation(PingPongBenchmark.ROUND_TRIPS)
  public void pingPong(Rally rally) {
    rally.benchmark.pingPong();
  }

  /** {@value PostThroughputBenchmark#POSTS} posts, then waits for the last to run. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(PostThroughputBenchmark.POSTS)
  public void post(Flood flood) {
    flood.benchmark.post();
  }
}
