package io.kallisto.bench;

import io.kallisto.bench.trace.TempTrace;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
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
import org.openjdk.jmh.infra.IterationParams;

/**
 * Echo over loopback: {@value EchoPeer#CONNECTIONS} TCP connections on 127.0.0.1, each with
 * exactly one {@value EchoExchange#MESSAGE_BYTES}-byte message outstanding. A client connection
 * sends, waits for the whole echo (checked byte for byte), and sends again. One operation is
 * {@value #ROUND_TRIPS} round trips spread over the connections; the score is round trips per
 * second. Each round trip's time goes into an HdrHistogram, whose p50 and p99 per measurement
 * iteration go to {@link SideResults} ({@code echo/p99_us}), with the CPUs other processes kept
 * busy meanwhile ({@code echo/other_cpus}, see {@link OtherLoad}).
 *
 * <p>Every peer runs its server on one loop thread (listener and all accepted connections) and
 * its client on another: two busy threads on this 2-CPU machine, the same for all peers. The
 * benchmark thread only starts an operation and waits on a latch.
 *
 * <ul>
 *   <li>{@code roundTrips}, {@code -p loop=kallisto,netty-epoll,netty-nio}: the peers.
 *   <li>{@code kallistoTracing}, {@code -p tracing=off,on}: Kallisto alone, with a tracing session
 *       ({@link TempTrace}) started before its loops and stopped after them. Loss = 1 - on / off;
 *       target: at most 5 %.
 * </ul>
 *
 * <p>Three forks each, because where the scheduler puts the two loop threads moves the score.
 */
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EchoBenchmark {
  /** Round trips per benchmark operation, across all connections. */
  public static final int ROUND_TRIPS = 10_000;

  /**
   * What both states share: the peer, and per measurement iteration its round-trip percentiles
   * and the other processes' CPU use, recorded as {@code BENCHMARK KEY metric value}.
   */
  @State(Scope.Benchmark)
  public abstract static class Trial {
    private final String benchmark;
    EchoPeer peer;
    private OtherLoad load;

    Trial(String benchmark) {
      this.benchmark = benchmark;
    }

    /** The parameter value the side results are keyed by. */
    abstract String key();

    /** Starts each iteration with an empty histogram. */
    @Setup(Level.Iteration)
    public void startIteration() {
      peer.latency().reset();
      load = OtherLoad.start();
    }

    /** Records p50 and p99 in microseconds, and the CPUs other processes kept busy. */
    @TearDown(Level.Iteration)
    public void endIteration(IterationParams iteration) {
      Histogram h = peer.latency();
      SideResults.record(iteration, benchmark, key(), "p50_us",
          h.getValueAtPercentile(50) / 1000.0);
      SideResults.record(iteration, benchmark, key(), "p99_us",
          h.getValueAtPercentile(99) / 1000.0);
      SideResults.record(iteration, benchmark, key(), "other_cpus", load.cpus());
    }
  }

  /** One peer, client and server, for a trial. */
  @State(Scope.Benchmark)
  public static class Peers extends Trial {
    @Param({Loops.KALLISTO, Loops.NETTY_EPOLL, Loops.NETTY_NIO})
    public String loop;

    /** Side results go to {@code echo/LOOP/...}. */
    public Peers() {
      super("echo");
    }

    @Override
    String key() {
      return loop;
    }

    /** Opens the server and the client and connects them. */
    @Setup(Level.Trial)
    public void open() {
      peer = EchoPeer.open(loop);
    }

    /** Closes the connections and both loops. */
    @TearDown(Level.Trial)
    public void close() {
      peer.close();
    }
  }

  /** Kallisto's peer under a tracing session, or not. */
  @State(Scope.Benchmark)
  public static class Traced extends Trial {
    @Param({"off", "on"})
    public String tracing;

    private TempTrace trace;

    /** Side results go to {@code echo-tracing/off/...} and {@code echo-tracing/on/...}. */
    public Traced() {
      super("echo-tracing");
    }

    @Override
    String key() {
      return tracing;
    }

    /** Turns tracing on if asked, then opens the peer, so its loops record from the start. */
    @Setup(Level.Trial)
    public void open() {
      trace = TempTrace.startIf(tracing, "echo");
      boolean success = false;
      try {
        peer = EchoPeer.open(Loops.KALLISTO);
        success = true;
      } finally {
        if (!success && trace != null) {
          trace.close();
        }
      }
    }

    /** Closes the peer, then stops tracing and deletes the file. */
    @TearDown(Level.Trial)
    public void close() {
      try {
        peer.close();
      } finally {
        if (trace != null) {
          trace.close();
          // Dropped records would flatter the traced score; the log shows whether there were any.
          System.out.println("[echo] trace: " + trace.summary());
        }
      }
    }
  }

  /** {@value #ROUND_TRIPS} round trips on the chosen peer. */
  @Benchmark
  @OperationsPerInvocation(ROUND_TRIPS)
  public void roundTrips(Peers peers) {
    peers.peer.roundTrips(ROUND_TRIPS);
  }

  /** {@value #ROUND_TRIPS} round trips on Kallisto, traced or not. */
  @Benchmark
  @OperationsPerInvocation(ROUND_TRIPS)
  public void kallistoTracing(Traced traced) {
    traced.peer.roundTrips(ROUND_TRIPS);
  }
}
