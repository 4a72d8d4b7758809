package io.kallisto.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;

/**
 * Ping-pong: two loops of the same kind on two threads bounce a task {@value #ROUND_TRIPS} times
 * per operation. Loop A stamps the time, posts to B, B posts back to A, and A records the round
 * trip in an HdrHistogram. The JMH score is the mean round trip; p50 and p99 of each measurement
 * iteration go to {@link SideResults}.
 *
 * <p>The benchmark thread only starts the rally and waits on a latch, so it is parked while the
 * two loops bounce: a round trip is two cross-thread posts, and each usually wakes a sleeping
 * loop. Run it once free and once under {@code taskset -c 0}, where the two loops share a CPU.
 */
@State(Scope.Benchmark)
@Fork(1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PingPongBenchmark {
  /** Round trips per benchmark operation. */
  public static final int ROUND_TRIPS = 1_000;

  @Param({Loops.KALLISTO, Loops.NETTY_EPOLL, Loops.NETTY_NIO, Loops.JDK})
  public String loop;

  private BenchLoop a;
  private BenchLoop b;
  // Recorded on loop A only; read by the benchmark thread after a latch, which orders it.
  private final Histogram roundTrips = new Histogram(1, TimeUnit.SECONDS.toNanos(10), 3);
  private final Rally rally = new Rally();

  /** Starts both loops. */
  @Setup(Level.Trial)
  public void start() {
    a = Loops.start(loop, "ping-" + loop);
    b = Loops.start(loop, "pong-" + loop);
    Await.onLoop(a, () -> { }, "first task");
    Await.onLoop(b, () -> { }, "first task");
  }

  private long writesAtStart;
  private long roundTripsThisIteration;

  /** Starts each iteration with an empty histogram and notes the loops' write counts. */
  @Setup(Level.Iteration)
  public void startIteration() {
    roundTrips.reset();
    roundTripsThisIteration = 0;
    writesAtStart = loopWrites();
  }

  /** Write syscalls made so far by both loop threads: in a rally, those are the wakeups. */
  private long loopWrites() {
    long[] writes = new long[2];
    Await.onLoop(a, () -> writes[0] = ThreadSyscalls.writes(), "count writes");
    Await.onLoop(b, () -> writes[1] = ThreadSyscalls.writes(), "count writes");
    return writes[0] < 0 || writes[1] < 0 ? -1 : writes[0] + writes[1];
  }

  /** Records the iteration's round-trip percentiles, in microseconds. */
  @TearDown(Level.Iteration)
  public void endIteration(IterationParams iteration) {
    SideResults.record(iteration, "pingpong", loop, "p50_us",
        roundTrips.getValueAtPercentile(50) / 1000.0);
    SideResults.record(iteration, "pingpong", loop, "p99_us",
        roundTrips.getValueAtPercentile(99) / 1000.0);
    long writes = loopWrites();
    if (writes >= 0 && writesAtStart >= 0 && roundTripsThisIteration > 0) {
      SideResults.record(iteration, "pingpong", loop, "wakeups_per_round_trip",
          (double) (writes - writesAtStart) / roundTripsThisIteration);
    }
  }

  /** Stops both loops. */
  @TearDown(Level.Trial)
  public void stop() {
    try {
      a.close();
    } finally {
      b.close();
    }
  }

  /** Bounces a task {@value #ROUND_TRIPS} times between the two loops. */
  @Benchmark
  @OperationsPerInvocation(ROUND_TRIPS)
  public void pingPong() {
    CountDownLatch done = new CountDownLatch(1);
    rally.done = done;
    rally.remaining = ROUND_TRIPS;
    a.execute(rally.serve);
    Await.latch(done, "ping-pong on " + loop);
    roundTripsThisIteration += ROUND_TRIPS;
  }

  /** The rally's state and its three tasks, allocated once so that bouncing allocates nothing. */
  private final class Rally {
    // Written by the benchmark thread before the first post, then used on loop A only.
    CountDownLatch done;
    int remaining;
    long start;

    final Runnable back = this::onReturn;
    final Runnable pong = () -> a.execute(back);
    final Runnable serve = () -> {
      start = System.nanoTime();
      b.execute(pong);
    };

    private void onReturn() {
      long now = System.nanoTime();
      roundTrips.recordValue(Math.max(1, now - start));
      if (--remaining == 0) {
        done.countDown();
      } else {
        start = now;
        b.execute(pong);
      }
    }
  }
}
